// Reconciliation of matomo_daily_kpis with Matomo's own aggregates (VisitsSummary.get, Actions.get,
// Goals.get): which metric of which (site, day) differs, and whether truncated visits explain it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"

namespace metl::models {

// Metric values as integers; money (revenue) in cents: Matomo reports it to the cent, and cents in
// an int64 hold any day's sum (micro-units would overflow past 9.2e12, a normal day in IDR or VND).
using Metrics = std::map<std::string, int64_t>;

struct DayFigures {
  int64_t site_id = 0;
  CivilDate date;
  Metrics warehouse;
  Metrics matomo;
  int64_t truncated_visits = 0;           // visits of the day carrying truncatedActionsCount
  std::vector<int64_t> truncated_ids;     // their visit ids (a few)
};

struct Difference {
  int64_t site_id = 0;
  CivilDate date;
  std::string metric;
  int64_t warehouse = 0;
  int64_t matomo = 0;
  bool explained = false;  // by truncated visits (goals, orders, pageviews cut from a 500-action tail)
  std::string note;
};

// Metrics compared, in report order, and the Matomo method each comes from.
const std::vector<std::pair<std::string, std::string>>& ComparedMetrics();
bool IsMoneyMetric(const std::string& metric);
// A decimal number as text ("2000123456789.123455", "-12.5", "1e3") in cents, half away from zero,
// exactly (never through a double), saturated past int64; nullopt when it is not a number.
std::optional<int64_t> MoneyTextToCents(std::string_view text);

std::vector<Difference> Reconcile(const std::vector<DayFigures>& days);

// Parses one Matomo aggregate response for period=day&date=A,B: an object keyed by date, each
// value an object of metrics or [] (a day without data). Returns date -> metrics (money metrics
// in cents). Every numeric field is kept.
Result<std::map<std::string, Metrics>> ParseDailyAggregates(const std::string& body);

}  // namespace metl::models
