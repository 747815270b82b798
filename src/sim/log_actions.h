// Matomo's log_action for the generated sites: one numbering of the actions they use, shared by what
// Live shows of it and by the DWC export's log_action rows (dwc_export.h), so that both exits describe
// the same table. Live shows an id as actionDetails[].pageIdAction (the idaction of the entry's URL:
// a page's type-1 URL, an event's type-10 URL, a content's type-13 URL, an outlink's or download's
// URL) and, without showing it, in the order of an order's items, which Matomo reads by SKU id
// (log_conversion_item's primary key; DWC.md §2.5, §2.6). Names are the texts Matomo stores: page and
// event URLs without their scheme (kept in url_prefix), URLs HTML-escaped (DWC.md §1.4).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace metl::sim {

// log_action.type (Matomo's core/Tracker/Action.php).
enum LogActionType : int {
  kPageUrl = 1,
  kOutlink = 2,
  kDownload = 3,
  kPageTitle = 4,
  kItemSku = 5,
  kItemName = 6,
  kItemCategory = 7,
  kSiteSearch = 8,
  kEventCategory = 10,
  kEventAction = 11,
  kEventName = 12,
  kContentName = 13,
  kContentPiece = 14,
  kContentTarget = 15,
  kContentInteraction = 16,
};

// htmlspecialchars(ENT_QUOTES): how Matomo stores URLs and referrer strings (DWC.md §1.4).
std::string HtmlEscape(std::string_view s);

struct LogActionName {
  std::string name;
  std::optional<int> url_prefix;
};
// A page or event URL as Matomo stores it: the scheme (and www.) folded into url_prefix
// (0 http://, 1 http://www., 2 https://, 3 https://www.), the rest HTML-escaped.
LogActionName PrefixedUrl(std::string_view url);

// (type, name) -> idaction, numbered from 1 in the order first asked, like Matomo's autoincrement.
class LogActions {
 public:
  // The id of (type, name), numbered when new.
  int64_t Id(int type, std::string_view name);
  std::optional<int64_t> Find(int type, std::string_view name) const;
  int64_t MaxId() const { return static_cast<int64_t>(ids_.size()); }

 private:
  std::map<std::pair<int, std::string>, int64_t> ids_;
};

}  // namespace metl::sim
