// Calendar dates without a time zone (a partition's "site-local day"), as days since 1970-01-01.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace metl {

struct Ymd {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

// A proleptic Gregorian date; cheap to copy, compare and step.
class CivilDate {
 public:
  constexpr CivilDate() = default;
  static constexpr CivilDate FromDays(int64_t days) { return CivilDate(days); }
  static CivilDate FromYmd(int year, int month, int day);
  // Strict "YYYY-MM-DD"; an error names the bad text.
  static Result<CivilDate> Parse(std::string_view text);

  int64_t days() const { return days_; }
  Ymd ymd() const;
  std::string ToString() const;  // YYYY-MM-DD
  std::string Compact() const;   // YYYYMMDD (BigQuery partition decorators)

  CivilDate operator+(int64_t n) const { return CivilDate(days_ + n); }
  CivilDate operator-(int64_t n) const { return CivilDate(days_ - n); }
  int64_t operator-(CivilDate other) const { return days_ - other.days_; }
  CivilDate& operator++() { ++days_; return *this; }
  auto operator<=>(const CivilDate&) const = default;

 private:
  constexpr explicit CivilDate(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

// Seconds since the epoch split into a date and a second of day (floor semantics, negatives ok).
CivilDate DateOfEpoch(int64_t epoch_seconds);
inline int64_t SecondOfDay(int64_t epoch_seconds) {
  int64_t r = epoch_seconds % 86400;
  return r < 0 ? r + 86400 : r;
}
// "YYYY-MM-DD HH:MM:SS" of an epoch read as UTC (or of a local wall time in the same encoding).
std::string FormatDateTime(int64_t epoch_seconds);
// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS[Z]" or a plain epoch number.
Result<int64_t> ParseTimestamp(std::string_view text);

}  // namespace metl
