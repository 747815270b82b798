#include "sim/period.h"

#include <cctype>

namespace metl::sim {
namespace {

Error Terminal(std::string message) {
  return Error(ErrorKind::kTerminal, std::move(message));
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Result<CivilDate> ParseOneDate(const std::string& text, CivilDate today) {
  std::string t = Lower(text);
  if (t == "today" || t == "now") return today;
  if (t == "yesterday") return today - 1;
  auto d = CivilDate::Parse(text);
  if (!d.ok()) return Terminal(BadDateMessage());
  return *d;
}

// "last7" / "previous7": the N days ending today / yesterday.
bool ParseLastN(const std::string& text, CivilDate today, CivilDate& first, CivilDate& last) {
  std::string t = Lower(text);
  int64_t end_offset;
  std::string digits;
  if (t.rfind("last", 0) == 0) {
    end_offset = 0;
    digits = t.substr(4);
  } else if (t.rfind("previous", 0) == 0) {
    end_offset = 1;
    digits = t.substr(8);
  } else {
    return false;
  }
  if (digits.empty() || digits.size() > 5) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  int64_t n = std::stoll(digits);
  if (n < 1) return false;
  last = today - end_offset;
  first = last - (n - 1);
  return true;
}

int64_t WeekdayMondayZero(CivilDate d) {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  int64_t w = (d.days() + 3) % 7;
  return w < 0 ? w + 7 : w;
}

}  // namespace

std::string BadPeriodMessage(const std::string& period) {
  return "The period '" + period +
         "' is not supported. Try any of the following instead: day, week, month, year, range";
}

std::string BadDateMessage() {
  return "Date format must be: YYYY-MM-DD, or 'today' or 'yesterday' or any keyword supported by the strtotime "
         "function (see http://php.net/strtotime for more information): false";
}

Result<ResolvedPeriod> ResolvePeriod(const std::string& period, const std::string& date, const TimeZone& tz,
                                     int64_t now_utc) {
  ResolvedPeriod r;
  std::string p = Lower(period);
  if (p == "day") {
    r.kind = PeriodKind::kDay;
  } else if (p == "week") {
    r.kind = PeriodKind::kWeek;
  } else if (p == "month") {
    r.kind = PeriodKind::kMonth;
  } else if (p == "year") {
    r.kind = PeriodKind::kYear;
  } else if (p == "range") {
    r.kind = PeriodKind::kRange;
  } else {
    return Terminal(BadPeriodMessage(period));
  }
  CivilDate today = tz.LocalDateOf(now_utc);
  CivilDate first, last;
  bool multi = false;
  if (ParseLastN(date, today, first, last)) {
    multi = true;
  } else if (size_t comma = date.find(','); comma != std::string::npos) {
    METL_ASSIGN_OR_RETURN(first, ParseOneDate(date.substr(0, comma), today));
    METL_ASSIGN_OR_RETURN(last, ParseOneDate(date.substr(comma + 1), today));
    if (last < first) return Terminal(BadDateMessage());
    multi = true;
  } else {
    METL_ASSIGN_OR_RETURN(first, ParseOneDate(date, today));
    last = first;
    if (r.kind == PeriodKind::kRange) return Terminal(BadDateMessage());
  }
  if (multi) {
    r.first = first;
    r.last = last;
    if (r.kind == PeriodKind::kDay) {
      r.multiple_days = true;
    } else {
      r.kind = PeriodKind::kRange;  // Matomo turns a multi-date week/month request into a range
    }
    return r;
  }
  r.is_today = first == today;
  switch (r.kind) {
    case PeriodKind::kDay:
      r.first = r.last = first;
      break;
    case PeriodKind::kWeek:
      r.first = first - WeekdayMondayZero(first);
      r.last = r.first + 6;
      break;
    case PeriodKind::kMonth: {
      Ymd ymd = first.ymd();
      r.first = CivilDate::FromYmd(ymd.year, ymd.month, 1);
      r.last =
          (ymd.month == 12 ? CivilDate::FromYmd(ymd.year + 1, 1, 1) : CivilDate::FromYmd(ymd.year, ymd.month + 1, 1)) -
          1;
      break;
    }
    case PeriodKind::kYear: {
      Ymd ymd = first.ymd();
      r.first = CivilDate::FromYmd(ymd.year, 1, 1);
      r.last = CivilDate::FromYmd(ymd.year + 1, 1, 1) - 1;
      break;
    }
    case PeriodKind::kRange:
      break;
  }
  return r;
}

}  // namespace metl::sim
