#include "models/ch_analysis.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/log.h"
#include "models/ch_analysis_sql.h"
#include "models/models.h"

namespace metl::models {
namespace {

using warehouse::PartitionKey;
using warehouse::Session;

// More partitions than this to swap for one table: rebuild it whole (one RENAME) instead of as many
// REPLACE PARTITION statements on every shard (a backfill of scattered days widens the windows).
constexpr size_t kMaxSwappedPartitions = 400;

struct Statement {
  std::string sql;
  bool global = false;  // Session::ExecuteGlobal
};

std::string Lit(CivilDate d) {
  return "DATE '" + d.ToString() + "'";
}

// Per site, the days in [from, to].
using Ranges = std::map<int64_t, std::pair<CivilDate, CivilDate>>;

// (site_id = 1 AND visit_date IN (...)) OR ...
std::string DaysWhere(const std::map<int64_t, std::set<CivilDate>>& days) {
  std::string sql;
  for (const auto& [site, set] : days) {
    sql += std::string(sql.empty() ? "" : " OR ") + "(site_id = " + std::to_string(site) + " AND visit_date IN (";
    bool first = true;
    for (CivilDate d : set) {
      sql += (first ? "" : ", ") + Lit(d);
      first = false;
    }
    sql += "))";
  }
  return sql.empty() ? "0" : "(" + sql + ")";
}

std::string RangeWhere(const Ranges& ranges) {
  std::string sql;
  for (const auto& [site, r] : ranges) {
    sql += std::string(sql.empty() ? "" : " OR ") + "(site_id = " + std::to_string(site) + " AND visit_date BETWEEN " +
           Lit(r.first) + " AND " + Lit(r.second) + ")";
  }
  return sql.empty() ? "0" : "(" + sql + ")";
}

// Every `step`-th day of each range, as partitions.
std::set<PartitionKey> Partitions(const Ranges& ranges, int step) {
  std::set<PartitionKey> out;
  for (const auto& [site, r] : ranges) {
    for (CivilDate d = r.first; d <= r.second; d = d + step) out.insert({site, d});
  }
  return out;
}

CivilDate Monday(CivilDate d) {
  int64_t dow = (d.days() + 3) % 7;  // 1970-01-01 was a Thursday: 0 = Monday
  if (dow < 0) dow += 7;
  return d - dow;
}

class Script {
 public:
  explicit Script(std::string token) : token_(std::move(token)) {}

  // `live` rebuilt by `inserts` (each filling {STG}): the partitions in `parts` swapped in, or the whole
  // table when `parts` is null.
  void Table(const std::string& live, const std::vector<std::string>& inserts, const std::set<PartitionKey>* parts,
             bool global) {
    if (parts && parts->empty()) return;
    if (parts && parts->size() > kMaxSwappedPartitions) parts = nullptr;
    const std::string stg = "_metl_stg_ana_" + token_ + "_" + live;
    staging_.push_back(stg);
    Add("DROP TABLE IF EXISTS " + stg);
    Add("CREATE TABLE " + stg + " AS " + live);
    for (std::string sql : inserts) {
      for (size_t at = sql.find("{STG}"); at != std::string::npos; at = sql.find("{STG}", at)) sql.replace(at, 5, stg);
      statements_.push_back({std::move(sql), global});
    }
    if (!parts) {
      const std::string old = "_metl_stg_ana_" + token_ + "_old_" + live;
      Add("RENAME TABLE " + live + " TO " + old + ", " + stg + " TO " + live);
      Add("DROP TABLE " + old);
      return;
    }
    for (const PartitionKey& k : *parts) {
      Add("ALTER TABLE " + live + " REPLACE PARTITION (" + std::to_string(k.site_id) + ", '" + k.date.ToString() +
          "') FROM " + stg);
    }
    Add("DROP TABLE " + stg);
  }

  Status Run(Session& session) {
    for (const Statement& s : statements_) {
      Status st = s.global ? session.ExecuteGlobal(s.sql) : TimedExecute(session, "analysis", s.sql);
      if (!st.ok()) {
        for (const std::string& t : staging_) (void)session.Execute("DROP TABLE IF EXISTS " + t);
        return Error(ErrorKind::kInternal,
                     "analysis model failed: " + st.error().message() + "\n" + s.sql.substr(0, 300));
      }
    }
    return OkStatus();
  }

 private:
  void Add(std::string sql) { statements_.push_back({std::move(sql), false}); }
  std::string token_;
  std::vector<Statement> statements_;
  std::vector<std::string> staging_;
};

}  // namespace

Status RunChAnalysisModels(Session& session, const AnalysisOptions& options, const ChAnalysisPlan& plan,
                           const std::vector<std::string>& date_rows) {
  Script script(StagingRunToken());
  std::map<int64_t, std::set<CivilDate>> days;
  for (const auto& k : plan.touched) days[k.site_id].insert(k.date);
  std::set<PartitionKey> touched(plan.touched.begin(), plan.touched.end());

  // matomo_dates: whole, every time (a few thousand rows).
  std::vector<std::string> dates;
  for (size_t i = 0; i < date_rows.size(); i += 400) {
    std::string stmt =
        "INSERT INTO {STG} (date, day_number, year, quarter, month, month_name, year_month, day_of_month, "
        "day_of_week, day_name, is_weekend, week_start, week_seq, iso_year, iso_week) VALUES\n";
    for (size_t j = i; j < std::min(date_rows.size(), i + 400); ++j) stmt += (j > i ? ",\n" : "") + date_rows[j];
    dates.push_back(std::move(stmt));
  }
  script.Table("matomo_dates", dates, nullptr, false);

  // Channels and funnels: the touched days, each shard its own.
  const std::string touched_days = plan.full ? "1" : DaysWhere(days);
  script.Table("matomo_channels_daily", {ChChannelsSql(touched_days)}, plan.full ? nullptr : &touched, false);
  std::vector<std::string> funnels;
  const bool funnels_full = plan.full || plan.funnels_full;
  for (const Funnel& f : options.funnels) funnels.push_back(ChFunnelSql(f, funnels_full ? "1" : touched_days));
  script.Table("matomo_funnels", funnels, funnels_full ? nullptr : &touched, false);

  // Attribution: the conversions from a touched day to lookback days after the last one, their touches
  // from lookback days before the first (analysis.cc).
  Ranges conv_window, touch_window;
  for (const auto& [site, set] : days) {
    // (No conversion after the last loaded day: the window stops there.)
    const CivilDate last = std::min(*set.rbegin() + options.lookback_days, std::max(plan.loaded_to, *set.rbegin()));
    conv_window[site] = {*set.begin(), last};
    touch_window[site] = {*set.begin() - options.lookback_days, *set.rbegin() + options.lookback_days};
  }
  const std::set<PartitionKey> conv_parts = Partitions(conv_window, 1);
  script.Table("matomo_attribution",
               {ChAttributionSql(plan.full ? "1" : RangeWhere(conv_window), plan.full ? "1" : RangeWhere(touch_window),
                                 options.lookback_days)},
               plan.full ? nullptr : &conv_parts, true);

  // Cohorts: the activity weeks from the week of the first touched day on.
  std::string sites, window;
  Ranges weeks;
  for (const auto& [site, set] : days) {
    const CivilDate from = Monday(*set.begin());
    sites += (sites.empty() ? "" : ", ") + std::to_string(site);
    window += std::string(window.empty() ? "" : " OR ") + "(site_id = " + std::to_string(site) +
              " AND visit_date >= " + Lit(from) + ")";
    weeks[site] = {from, Monday(std::max(plan.loaded_to, *set.rbegin()))};
  }
  const std::set<PartitionKey> week_parts = Partitions(weeks, 7);
  script.Table("matomo_cohorts",
               {ChCohortsSql(plan.full ? "1" : "site_id IN (" + sites + ")", plan.full ? "1" : "(" + window + ")")},
               plan.full ? nullptr : &week_parts, true);

  METL_TRY(script.Run(session));
  LogDebug("analysis models rebuilt (ClickHouse)", {{"full", plan.full}, {"sites", days.size()}});
  return OkStatus();
}

}  // namespace metl::models
