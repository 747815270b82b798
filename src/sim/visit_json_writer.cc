#include "sim/visit_json_writer.h"

#include "core/civil_date.h"

namespace metl::sim {
namespace {

constexpr const char* kShortMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kLongMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kWeekdays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

void AppendHex4(std::string& out, unsigned v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(v >> shift) & 0xF]);
}

}  // namespace

std::string PhpJsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '/': out += "\\/"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20) {
            AppendHex4(out, c);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence (the catalog is valid UTF-8; a stray byte becomes U+FFFD).
    unsigned cp = 0xFFFD;
    size_t len = 1;
    if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c & 0xF8) == 0xF0 && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      len = 4;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      AppendHex4(out, 0xD800 + (cp >> 10));
      AppendHex4(out, 0xDC00 + (cp & 0x3FF));
    } else {
      AppendHex4(out, cp);
    }
    i += len;
  }
  return out;
}

void AppendPrettyDuration(std::string& out, int64_t seconds) {
  if (seconds < 0) seconds = 0;
  int64_t days = seconds / 86400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60, secs = seconds % 60;
  if (days > 0) {
    AppendInt(out, days);
    out += " days ";
    AppendInt(out, hours);
    out += " hours";
  } else if (seconds >= 3600) {
    AppendInt(out, seconds / 3600);
    out += " hours ";
    AppendInt(out, minutes);
    out += " min";
  } else if (minutes > 0) {
    AppendInt(out, minutes);
    out += " min ";
    AppendInt(out, secs);
    out.push_back('s');
  } else {
    AppendInt(out, secs);
    out.push_back('s');
  }
}

void AppendPageLoadTime(std::string& out, int64_t millis) {
  int64_t cents = (millis + 5) / 10;  // hundredths of a second, rounded
  AppendCents(out, cents);
  out.push_back('s');
}

void AppendShortDatePrefix(std::string& out, int64_t local_day) {
  Ymd d = CivilDate::FromDays(local_day).ymd();
  out += kShortMonths[d.month - 1];
  out.push_back(' ');
  AppendInt(out, d.day);
  out += ", ";
  AppendInt(out, d.year);
  out.push_back(' ');
}

void AppendLongDate(std::string& out, int64_t local_day) {
  Ymd d = CivilDate::FromDays(local_day).ymd();
  int64_t wd = (local_day + 4) % 7;  // 1970-01-01 was a Thursday
  if (wd < 0) wd += 7;
  out += kWeekdays[wd];
  out += ", ";
  out += kLongMonths[d.month - 1];
  out.push_back(' ');
  AppendInt(out, d.day);
  out += ", ";
  AppendInt(out, d.year);
}

void AppendIsoDate(std::string& out, int64_t local_day) {
  Ymd d = CivilDate::FromDays(local_day).ymd();
  AppendInt(out, d.year);
  out.push_back('-');
  Append2(out, d.month);
  out.push_back('-');
  Append2(out, d.day);
}

void AppendIsoDateTime(std::string& out, int64_t epoch) {
  AppendIsoDate(out, DateOfEpoch(epoch).days());
  out.push_back(' ');
  AppendClock(out, SecondOfDay(epoch));
}

}  // namespace metl::sim
