// The Matomo API methods matomo-etl uses, on top of MatomoClient.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/civil_date.h"
#include "core/error.h"
#include "matomo/client.h"

namespace metl::matomo {

struct SiteInfo {
  int64_t id = 0;
  std::string name;
  std::string timezone;  // IANA name or Matomo's "UTC+5:30"
  std::string ts_created;
};

// API.getMatomoVersion -> "5.1.2".
Result<std::string> GetMatomoVersion(MatomoClient& client);
// SitesManager.getSitesWithAtLeastViewAccess, sorted by id.
Result<std::vector<SiteInfo>> GetSites(MatomoClient& client);
// SitesManager.getSiteFromId.
Result<SiteInfo> GetSite(MatomoClient& client, int64_t site_id);
// VisitsSummary.get nb_visits of one site-local day (`[]` = 0).
Result<int64_t> GetNbVisits(MatomoClient& client, int64_t site_id, CivilDate date, CallInfo* info = nullptr);

// One visit of a Live page: its bytes exactly as served, and the fields the extractor needs.
struct LiveVisit {
  std::string_view raw;
  int64_t id_visit = 0;
  int64_t last_action_ts = 0;
  bool truncated = false;  // carries truncatedActionsCount
  int64_t invalid_utf8_replaced = 0;  // invalid bytes Matomo sent in this visit, now U+FFFD in raw
};

struct LivePage {
  simdjson::padded_string body;
  std::vector<LiveVisit> visits;  // point into body
  int64_t invalid_utf8_replaced = 0;  // invalid bytes Matomo sent, replaced by U+FFFD in body
};

// The Live.getLastVisitsDetails parameters of one partition page (never the token).
Params LiveParams(int64_t site_id, CivilDate date, int64_t limit, int64_t offset);
// The parameters recorded in a manifest (without paging).
Params LiveManifestParams(int64_t site_id, CivilDate date);

// Fetches and parses one page; a cut-off or malformed body is a kTransient error (retried).
Result<LivePage> FetchLivePage(MatomoClient& client, int64_t site_id, CivilDate date, int64_t limit, int64_t offset,
                               CallInfo* info = nullptr);
// Parses a Live JSON array (exposed for tests).
Result<LivePage> ParseLivePage(std::string&& body);

}  // namespace metl::matomo
