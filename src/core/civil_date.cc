#include "core/civil_date.h"

#include <charconv>
#include <cstdio>

namespace metl {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Ymd CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

bool ParseDigits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc();
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

}  // namespace

CivilDate CivilDate::FromYmd(int year, int month, int day) {
  return CivilDate(DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

Result<CivilDate> CivilDate::Parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text.substr(0, 4), y) ||
      !ParseDigits(text.substr(5, 2), m) || !ParseDigits(text.substr(8, 2), d) || m < 1 || m > 12 ||
      d < 1 || d > DaysInMonth(y, m)) {
    return Error(ErrorKind::kConfig, "invalid date '" + std::string(text) + "': expected YYYY-MM-DD");
  }
  return FromYmd(y, m, d);
}

Ymd CivilDate::ymd() const { return CivilFromDays(days_); }

std::string CivilDate::ToString() const {
  Ymd v = ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", v.year, v.month, v.day);
  return buf;
}

std::string CivilDate::Compact() const {
  Ymd v = ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", v.year, v.month, v.day);
  return buf;
}

CivilDate DateOfEpoch(int64_t epoch_seconds) {
  int64_t days = epoch_seconds / 86400;
  if (epoch_seconds % 86400 < 0) --days;
  return CivilDate::FromDays(days);
}

std::string FormatDateTime(int64_t epoch_seconds) {
  int64_t sod = SecondOfDay(epoch_seconds);
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", static_cast<int>(sod / 3600),
                static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  return DateOfEpoch(epoch_seconds).ToString() + buf;
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  auto bad = [&] {
    return Error(ErrorKind::kConfig, "invalid timestamp '" + std::string(text) +
                                         "': expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS' (UTC) or epoch seconds");
  };
  if (!text.empty() && text.find('-') == std::string_view::npos) {
    int64_t v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return bad();
    return v;
  }
  if (text.size() < 10) return bad();
  auto date = CivilDate::Parse(text.substr(0, 10));
  if (!date.ok()) return bad();
  int64_t t = date->days() * 86400;
  std::string_view rest = text.substr(10);
  if (rest.empty()) return t;
  if (rest.back() == 'Z') rest.remove_suffix(1);
  int h = 0, mi = 0, s = 0;
  if (rest.size() != 9 || (rest[0] != ' ' && rest[0] != 'T') || rest[3] != ':' || rest[6] != ':' ||
      !ParseDigits(rest.substr(1, 2), h) || !ParseDigits(rest.substr(4, 2), mi) ||
      !ParseDigits(rest.substr(7, 2), s) || h > 23 || mi > 59 || s > 60) {
    return bad();
  }
  return t + h * 3600 + mi * 60 + s;
}

}  // namespace metl
