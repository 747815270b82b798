// Site time zones (IANA names such as "America/New_York"), read from the system's TZif files.
// libstdc++ 12 has no chrono time zone database, and TZ-environment tricks are not thread-safe,
// so this small reader is the one place that turns UTC instants into site-local wall times.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/error.h"

namespace metl {

// A site-local wall time encoded like an epoch ("seconds since 1970-01-01 00:00 local").
using LocalSeconds = int64_t;

class TimeZone {
 public:
  // Loads (and caches) a zone. "UTC" and fixed offsets like "UTC+5:30" (Matomo's manual
  // time zones) are built in; other names come from $TZDIR or /usr/share/zoneinfo.
  static Result<std::shared_ptr<const TimeZone>> Load(const std::string& name);
  static std::shared_ptr<const TimeZone> Utc();

  const std::string& name() const { return name_; }

  // Offset from UTC (seconds east) in force at a UTC instant.
  int32_t OffsetAt(int64_t utc) const;
  LocalSeconds ToLocal(int64_t utc) const { return utc + OffsetAt(utc); }

  // The UTC instants that show a given wall time: one usually, two in a fall-back hour
  // (earlier first), none in a spring-forward gap.
  struct Candidates {
    int count = 0;
    int64_t utc[2] = {0, 0};
  };
  Candidates FromLocal(LocalSeconds local) const;
  // One instant for a wall time: the earlier of two, and in a gap the time shifted forward
  // by the gap (as most libraries do).
  int64_t FromLocalEarliest(LocalSeconds local) const;

  // [start, end) in UTC of a site-local day; 23 or 25 hours long on DST days.
  int64_t DayStartUtc(CivilDate day) const;
  int64_t DayEndUtc(CivilDate day) const { return DayStartUtc(day + 1); }
  CivilDate LocalDateOf(int64_t utc) const { return DateOfEpoch(ToLocal(utc)); }

  // Internal representation, public for the loader.
  struct Rule;  // POSIX TZ rule used after the last listed transition
  TimeZone(std::string name, std::vector<int64_t> transitions, std::vector<int32_t> offsets,
           int32_t initial_offset, std::shared_ptr<Rule> rule);

 private:
  std::string name_;
  std::vector<int64_t> transitions_;  // UTC instants where the offset changes, ascending
  std::vector<int32_t> offsets_;      // offset in force from transitions_[i]
  int32_t initial_offset_;            // offset before the first transition
  std::shared_ptr<Rule> rule_;        // may be null: the last offset then holds forever
};

}  // namespace metl
