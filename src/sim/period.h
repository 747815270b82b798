// Matomo's `period` and `date` parameters resolved to site-local days. "today" is per the site's
// time zone and the simulator's clock (--now).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"
#include "core/time_zone.h"

namespace metl::sim {

enum class PeriodKind { kDay, kWeek, kMonth, kYear, kRange };

struct ResolvedPeriod {
  PeriodKind kind = PeriodKind::kDay;
  CivilDate first;  // inclusive, site-local
  CivilDate last;   // inclusive
  // period=day with date=A,B (or lastN): the aggregate APIs answer one entry per day.
  bool multiple_days = false;
  // date was today in the site's time zone (Live then also returns yesterday).
  bool is_today = false;
};

// Errors carry Matomo's exact message (kTerminal).
Result<ResolvedPeriod> ResolvePeriod(const std::string& period, const std::string& date, const TimeZone& tz,
                                     int64_t now_utc);

// Matomo's messages, shared with the server.
std::string BadPeriodMessage(const std::string& period);
std::string BadDateMessage();

}  // namespace metl::sim
