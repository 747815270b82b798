// The simulator's data: sites and, per (site, site-local day), the visits Matomo would return.
// Two sources implement it: the seeded generator (generated_dataset.h) and --replay files
// (replay_dataset.h). The HTTP server (server.h) only ever sees this interface.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/time_zone.h"

namespace metl::sim {

class LogActions;

struct SimGoal {
  int64_t id = 0;
  std::string name;
  double revenue = 0;  // default revenue of the goal
  std::string match_attribute;  // "url", "event_action", ... (Goals.getGoals)
  std::string pattern;
};

struct SimSite {
  int64_t id = 0;
  std::string name;
  std::string main_url;
  std::string timezone;  // IANA name, e.g. "America/New_York"
  std::string currency;  // "EUR"
  bool ecommerce = false;
  std::string ts_created;  // "YYYY-MM-DD HH:MM:SS"
  std::vector<SimGoal> goals;
  std::shared_ptr<const TimeZone> tz;
};

// One visit as served. `json` is the complete JSON object exactly as Live.getLastVisitsDetails
// returns it (with actionDetails); the other fields are what paging, filtering and the aggregate
// APIs need, extracted once so that the server never re-parses JSON on the hot path.
struct SimVisit {
  int64_t id_visit = 0;
  int64_t first_action_ts = 0;  // UTC epoch
  int64_t last_action_ts = 0;   // UTC epoch; the visit belongs to the site-local date of this
  std::string json;
  // The same visit with "actionDetails":[] (doNotFetchActions=1).
  std::string json_without_actions;
  // A visit Live cuts at 500 actions: the actionDetails entries cut off, as a JSON array ("" otherwise).
  // Not served by Live; the DWC export (dwc_export.h) writes them, as Matomo's log tables hold them.
  std::string cut_actions_json;

  // For VisitsSummary.get / Actions.get / Goals.get, by Matomo's definitions (MATOMO-API.md).
  std::string visitor_id;
  std::string user_id;  // empty = null
  int64_t actions = 0;  // visit_total_actions
  int64_t visit_duration = 0;
  bool converted = false;
  int64_t pageviews = 0;  // count of "action" entries (what Actions.get counts)
  int64_t downloads = 0, outlinks = 0, searches = 0, events = 0;
  // Distinct URLs per type in this visit (Actions.get's nb_uniq_* sum them over visits) and the
  // distinct site-search keywords (nb_keywords counts them over the day).
  int64_t uniq_pageviews = 0, uniq_downloads = 0, uniq_outlinks = 0;
  std::vector<std::string> search_keywords;
  // Goal conversions as Goals.get counts them, including those cut off by truncation.
  struct Conversion {
    int64_t goal_id;  // 0 = ecommerce order, -1 = abandoned cart
    std::string revenue;  // decimal text
    int64_t items = 0;
  };
  std::vector<Conversion> conversions;
};

// Visits of one site-local day, ascending by last_action_ts (ties in any order).
using DayVisits = std::shared_ptr<const std::vector<SimVisit>>;

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual const std::vector<SimSite>& Sites() const = 0;
  const SimSite* FindSite(int64_t id) const {
    for (const auto& s : Sites()) {
      if (s.id == id) return &s;
    }
    return nullptr;
  }
  // The visits whose last action falls on `day` in the site's time zone. Thread-safe; may
  // generate on demand and cache. Days outside the data's range return an empty list.
  virtual DayVisits VisitsOfDay(int64_t site_id, CivilDate day) const = 0;
  // The log_action ids behind the visits' pageIdAction and item order (log_actions.h), when the data
  // has them: the DWC export writes log_action with them. None by default (the export numbers its own).
  virtual const LogActions* Actions() const { return nullptr; }
  // Visits that "arrive late" for a past day (the --late-data fault): not part of VisitsOfDay,
  // disjoint idVisit values. Once the server releases them, Live and the aggregates include them.
  virtual DayVisits LateVisitsOfDay(int64_t /*site_id*/, CivilDate /*day*/) const {
    return std::make_shared<const std::vector<SimVisit>>();
  }
  // A report Matomo really answered for one day (--replay DIR/reports/agg_<report>_s<site>_<date>.json),
  // served instead of the simulator's own; `report` is the method and its parameter, e.g.
  // "Goals.get_idGoal-2" (report_api.h ReportFileKey). None by default.
  virtual std::optional<std::string> RecordedReport(int64_t /*site_id*/, CivilDate /*day*/,
                                                    const std::string& /*report*/) const {
    return std::nullopt;
  }
};

}  // namespace metl::sim
