// log_action: the ids of URLs, titles and names, the simulator's own where it has them (log_actions.h:
// the ids its Live shows and orders items by), else numbered after them.
#include <zlib.h>

#include "sim/dwc_exporter.h"

namespace metl::sim::dwcx {

// The log_action row is written with the first day that uses the action.
int64_t Exporter::ActionId(int type, const std::string& name, std::optional<int> url_prefix) {
  auto key = std::make_pair(type, name);
  auto it = actions_.find(key);
  if (it != actions_.end()) return it->second;
  std::optional<int64_t> known = known_ ? known_->Find(type, name) : std::nullopt;
  int64_t id = known ? *known : next_id_++;
  actions_.emplace(key, id);
  Row r;
  r["idaction"] = Int(id);
  r["name"] = Str(name);
  r["hash"] = Int(
      static_cast<int64_t>(crc32(0L, reinterpret_cast<const Bytef*>(name.data()), static_cast<uInt>(name.size()))));
  r["type"] = Int(type);
  if (url_prefix) r["url_prefix"] = Int(*url_prefix);
  day_rows_["log_action"].push_back(RowJson(r, kActionColumns));
  return id;
}

// A URL action as Matomo stores page and event URLs: the scheme (and www.) folded into url_prefix.
int64_t Exporter::UrlAction(int type, const std::string& url) {
  LogActionName n = PrefixedUrl(url);
  return ActionId(type, n.name, n.url_prefix);
}

}  // namespace metl::sim::dwcx
