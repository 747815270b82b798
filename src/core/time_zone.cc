#include "core/time_zone.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace metl {

// POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0" (the TZif footer). Only the "M" date form,
// which every IANA zone uses, is supported; a zone with another form keeps its last offset.
struct TimeZone::Rule {
  int32_t std_offset = 0;  // seconds east
  int32_t dst_offset = 0;
  bool has_dst = false;
  struct When {
    int month = 0, week = 0, weekday = 0;
    int32_t time = 7200;  // seconds after local midnight (in the offset before the change)
  } start, end;

  // The UTC instant of a change in a given year; `before` is the offset in force just before it.
  static int64_t ChangeUtc(int year, const When& w, int32_t before) {
    int64_t first = CivilDate::FromYmd(year, w.month, 1).days();
    int first_wday = static_cast<int>(((first % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4)
    int64_t day = first + (w.weekday - first_wday + 7) % 7 + 7 * (w.week - 1);
    if (w.week == 5) {
      int64_t next_month = w.month == 12 ? CivilDate::FromYmd(year + 1, 1, 1).days()
                                         : CivilDate::FromYmd(year, w.month + 1, 1).days();
      while (day >= next_month) day -= 7;
    }
    return day * 86400 + w.time - before;
  }

  int32_t OffsetAt(int64_t utc) const {
    if (!has_dst) return std_offset;
    int year = DateOfEpoch(utc + std_offset).ymd().year;
    int64_t start_utc = ChangeUtc(year, start, std_offset);
    int64_t end_utc = ChangeUtc(year, end, dst_offset);
    bool in_dst = start_utc < end_utc ? (utc >= start_utc && utc < end_utc)
                                      : !(utc >= end_utc && utc < start_utc);  // southern hemisphere
    return in_dst ? dst_offset : std_offset;
  }
};

namespace {

// Parses "<+0530>-5:30" / "EST5" style name+offset; returns false on anything unexpected.
bool ParseNameAndOffset(const std::string& s, size_t& i, int32_t& offset_east, bool offset_required) {
  if (i < s.size() && s[i] == '<') {
    size_t close = s.find('>', i);
    if (close == std::string::npos) return false;
    i = close + 1;
  } else {
    size_t start = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    if (i - start < 3) return false;
  }
  if (i >= s.size() || s[i] == ',') return !offset_required;
  int sign = 1;
  if (s[i] == '+' || s[i] == '-') sign = s[i++] == '-' ? -1 : 1;
  int parts[3] = {0, 0, 0};
  for (int p = 0; p < 3 && i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++p) {
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) parts[p] = parts[p] * 10 + (s[i++] - '0');
    if (i < s.size() && s[i] == ':') ++i; else break;
  }
  offset_east = -sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);  // POSIX offsets are west-positive
  return true;
}

bool ParseWhen(const std::string& s, size_t& i, TimeZone::Rule::When& w) {
  if (i >= s.size() || s[i] != 'M') return false;
  ++i;
  int vals[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) vals[p] = vals[p] * 10 + (s[i++] - '0');
    if (p < 2) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  w.month = vals[0];
  w.week = vals[1];
  w.weekday = vals[2];
  if (w.month < 1 || w.month > 12 || w.week < 1 || w.week > 5 || w.weekday > 6) return false;
  if (i < s.size() && s[i] == '/') {
    ++i;
    int sign = 1;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
    int parts[3] = {0, 0, 0};
    for (int p = 0; p < 3 && i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++p) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) parts[p] = parts[p] * 10 + (s[i++] - '0');
      if (i < s.size() && s[i] == ':') ++i; else break;
    }
    w.time = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  }
  return true;
}

std::shared_ptr<TimeZone::Rule> ParsePosixRule(const std::string& s) {
  auto rule = std::make_shared<TimeZone::Rule>();
  size_t i = 0;
  if (!ParseNameAndOffset(s, i, rule->std_offset, true)) return nullptr;
  if (i >= s.size()) return rule;
  rule->dst_offset = rule->std_offset + 3600;
  if (!ParseNameAndOffset(s, i, rule->dst_offset, false)) return nullptr;
  if (i >= s.size() || s[i] != ',') return nullptr;
  ++i;
  if (!ParseWhen(s, i, rule->start) || i >= s.size() || s[i] != ',') return nullptr;
  ++i;
  if (!ParseWhen(s, i, rule->end)) return nullptr;
  rule->has_dst = true;
  return rule;
}

int64_t ReadBigEndian(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int k = 0; k < bytes; ++k) v = (v << 8) | p[k];
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

Result<std::shared_ptr<const TimeZone>> ParseTzif(const std::string& name, const std::string& data) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::kData, "time zone file for '" + name + "' is unreadable: " + why,
                 ErrorContext{.hint = "reinstall the tzdata package"});
  };
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  auto header = [&](size_t at, int64_t counts[6]) {
    if (at + 44 > n || data.compare(at, 4, "TZif") != 0) return false;
    for (int k = 0; k < 6; ++k) counts[k] = ReadBigEndian(p + at + 20 + 4 * k, 4);
    return true;
  };
  int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  if (!header(0, c)) return bad("not a TZif file");
  int version = data[4];
  size_t at = 44;
  int tbytes = 4;
  if (version >= '2') {  // skip the 32-bit block, use the 64-bit one
    at += c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (!header(at, c)) return bad("bad v2 header");
    at += 44;
    tbytes = 8;
  }
  int64_t timecnt = c[3], typecnt = c[4];
  size_t need = at + timecnt * (tbytes + 1) + typecnt * 6;
  if (typecnt < 1 || need > n) return bad("truncated");
  std::vector<int64_t> transitions(timecnt);
  std::vector<int32_t> offsets(timecnt);
  std::vector<int32_t> type_offsets(typecnt);
  for (int64_t k = 0; k < typecnt; ++k) {
    type_offsets[k] = static_cast<int32_t>(ReadBigEndian(p + at + timecnt * (tbytes + 1) + 6 * k, 4));
  }
  for (int64_t k = 0; k < timecnt; ++k) {
    transitions[k] = ReadBigEndian(p + at + k * tbytes, tbytes);
    unsigned idx = p[at + timecnt * tbytes + k];
    if (idx >= type_offsets.size()) return bad("bad type index");
    offsets[k] = type_offsets[idx];
  }
  std::shared_ptr<TimeZone::Rule> rule;
  if (version >= '2') {
    size_t footer_at = at + timecnt * (tbytes + 1) + typecnt * 6 + c[5] + c[2] * (tbytes + 4) + c[1] + c[0];
    if (footer_at < n && data[footer_at] == '\n') {
      size_t end = data.find('\n', footer_at + 1);
      if (end != std::string::npos) rule = ParsePosixRule(data.substr(footer_at + 1, end - footer_at - 1));
    }
  }
  return std::shared_ptr<const TimeZone>(std::make_shared<TimeZone>(
      name, std::move(transitions), std::move(offsets), type_offsets[0], std::move(rule)));
}

// Matomo's manual zones: "UTC", "UTC+5.5", "UTC-3", "UTC+5:30".
bool ParseFixedOffset(const std::string& name, int32_t& offset) {
  if (name == "UTC" || name == "Etc/UTC" || name == "GMT") {
    offset = 0;
    return true;
  }
  if (name.size() < 5 || name.compare(0, 3, "UTC") != 0 || (name[3] != '+' && name[3] != '-')) return false;
  int sign = name[3] == '-' ? -1 : 1;
  std::string rest = name.substr(4);
  double hours = 0;
  size_t colon = rest.find(':');
  try {
    if (colon != std::string::npos) {
      hours = std::stoi(rest.substr(0, colon)) + std::stoi(rest.substr(colon + 1)) / 60.0;
    } else {
      size_t used = 0;
      hours = std::stod(rest, &used);
      if (used != rest.size()) return false;
    }
  } catch (...) {
    return false;
  }
  if (hours > 14) return false;
  offset = static_cast<int32_t>(sign * hours * 3600);
  return true;
}

}  // namespace

TimeZone::TimeZone(std::string name, std::vector<int64_t> transitions, std::vector<int32_t> offsets,
                   int32_t initial_offset, std::shared_ptr<Rule> rule)
    : name_(std::move(name)),
      transitions_(std::move(transitions)),
      offsets_(std::move(offsets)),
      initial_offset_(initial_offset),
      rule_(std::move(rule)) {}

Result<std::shared_ptr<const TimeZone>> TimeZone::Load(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const TimeZone>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;

  std::shared_ptr<const TimeZone> zone;
  int32_t fixed = 0;
  if (ParseFixedOffset(name, fixed)) {
    zone = std::make_shared<TimeZone>(name, std::vector<int64_t>{}, std::vector<int32_t>{}, fixed, nullptr);
  } else {
    if (name.empty() || name.find("..") != std::string::npos || name[0] == '/') {
      return Error(ErrorKind::kData, "invalid time zone name '" + name + "'");
    }
    const char* dir = std::getenv("TZDIR");
    std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Error(ErrorKind::kData, "unknown time zone '" + name + "' (no file " + path + ")",
                   ErrorContext{.hint = "install the tzdata package, or check the site's time zone in Matomo"});
    }
    std::stringstream buf;
    buf << in.rdbuf();
    METL_ASSIGN_OR_RETURN(zone, ParseTzif(name, buf.str()));
  }
  cache[name] = zone;
  return zone;
}

std::shared_ptr<const TimeZone> TimeZone::Utc() {
  static auto utc = std::make_shared<const TimeZone>("UTC", std::vector<int64_t>{}, std::vector<int32_t>{}, 0, nullptr);
  return utc;
}

int32_t TimeZone::OffsetAt(int64_t utc) const {
  if (transitions_.empty() || utc < transitions_.front()) {
    if (transitions_.empty() && rule_) return rule_->OffsetAt(utc);
    return initial_offset_;
  }
  if (utc >= transitions_.back() && rule_) return rule_->OffsetAt(utc);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  return offsets_[static_cast<size_t>(it - transitions_.begin()) - 1];
}

TimeZone::Candidates TimeZone::FromLocal(LocalSeconds local) const {
  // Any valid offset lies within a day of the wall time; try the offsets in force around it.
  Candidates out;
  int32_t seen[3];
  int nseen = 0;
  for (int64_t probe : {local - 86400, local, local + 86400}) {
    int32_t off = OffsetAt(probe);
    if (std::find(seen, seen + nseen, off) == seen + nseen) seen[nseen++] = off;
  }
  for (int k = 0; k < nseen; ++k) {
    int64_t utc = local - seen[k];
    if (OffsetAt(utc) == seen[k] && out.count < 2 && (out.count == 0 || out.utc[0] != utc)) {
      out.utc[out.count++] = utc;
    }
  }
  if (out.count == 2 && out.utc[0] > out.utc[1]) std::swap(out.utc[0], out.utc[1]);
  return out;
}

int64_t TimeZone::FromLocalEarliest(LocalSeconds local) const {
  Candidates c = FromLocal(local);
  if (c.count > 0) return c.utc[0];
  // In a gap: read with the offset before the gap, which lands after it.
  // Transitions are far more than a day apart, so the offset a day earlier is the one before.
  return local - OffsetAt(local - 86400);
}

int64_t TimeZone::DayStartUtc(CivilDate day) const { return FromLocalEarliest(day.days() * 86400); }

}  // namespace metl
