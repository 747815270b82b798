#include "dwc/raw_typing.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/civil_date.h"
#include "core/log.h"
#include "dwc/raw_decode.h"
#include "landing/content_hash.h"
#include "normalize/coerce.h"
#include "warehouse/ddl.h"

namespace metl::dwc {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::optional<std::string> Integer(std::string_view text) {
  text = TrimAscii(text);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return std::to_string(v);
  // "12.0", "1e3": integral values written as floats are accepted; 12.5 is not an INTEGER.
  auto d = ParseDoubleText(text);
  if (!d || !std::isfinite(*d) || std::floor(*d) != *d || std::fabs(*d) >= 9.2e18) return std::nullopt;
  return std::to_string(static_cast<int64_t>(*d));
}

std::optional<std::string> Float(std::string_view text) {
  auto d = ParseDoubleText(text);
  if (!d || !std::isfinite(*d)) return std::nullopt;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", *d);
  return std::string(buf);
}

std::optional<std::string> Numeric(std::string_view text) {
  auto micros = ParseDecimalMicros(text);
  if (!micros) return std::nullopt;
  int64_t v = *micros;
  std::string sign = v < 0 ? "-" : "";
  uint64_t a = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%06llu", sign.c_str(), static_cast<unsigned long long>(a / 1000000),
                static_cast<unsigned long long>(a % 1000000));
  return std::string(buf);
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]+00", the fraction kept to microseconds.
std::optional<std::string> DateTime(std::string_view text) {
  text = TrimAscii(text);
  auto epoch = ParseUtcDateTime(text);
  if (!epoch) return std::nullopt;
  std::string out = FormatDateTime(*epoch);
  if (text.size() > 20 && text[19] == '.') {
    std::string frac;
    for (size_t i = 20; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) frac += text[i];
    if (frac.size() > 6) frac.resize(6);  // beyond microseconds: no engine here keeps it
    if (frac.find_first_not_of('0') != std::string::npos) out += "." + frac;
  }
  return "'" + out + "+00'";
}

std::optional<std::string> TimeOfDay(std::string_view text) {
  text = TrimAscii(text);
  auto two = [&](size_t at, int max) {
    if (text.size() < at + 2 || text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9')
      return false;
    return (text[at] - '0') * 10 + (text[at + 1] - '0') <= max;
  };
  if (text.size() < 8 || !two(0, 23) || text[2] != ':' || !two(3, 59) || text[5] != ':' || !two(6, 60)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(8);
  if (!rest.empty() && (rest[0] != '.' || rest.find_first_not_of("0123456789", 1) != std::string_view::npos)) {
    return std::nullopt;
  }
  return "'" + std::string(text.substr(0, 8)) + "'";
}

// The JSON of one exported value, for `_dwc_extra`.
std::string JsonOf(const RawValue& v) {
  switch (v.kind) {
    case RawValue::Kind::kNull: return "null";
    case RawValue::Kind::kNumber:
    case RawValue::Kind::kBool: return v.text;
    case RawValue::Kind::kString: return JsonString(v.text);
  }
  return "null";
}

}  // namespace

namespace {

// NUL becomes U+FFFD: PostgreSQL's text and JSON cannot hold it.
std::string WithoutNul(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c == '\0') {
      clean += kReplacement;
    } else {
      clean += c;
    }
  }
  return clean;
}

}  // namespace

std::string JsonString(std::string_view text) { return "\"" + JsonEscape(WithoutNul(text)) + "\""; }

std::string SqlText(std::string_view text) { return warehouse::QuoteLiteral(WithoutNul(text)); }

std::string TypedRawRow::Hash() const {
  std::string all;
  for (const auto& v : values) {
    all += v;
    all += '\x1f';
  }
  all += extra;
  return landing::Sha256Hex(all);
}

RawTyper::RawTyper(const DwcRawTable& table) : table_(table) {
  for (size_t i = 0; i < table.def.columns.size(); ++i) {
    if (table.forms[i] == DwcValueForm::kMeta) continue;
    std::string_view name = table.def.columns[i].name;
    index_.emplace(name, columns_.size());
    columns_.push_back(name);
    forms_.push_back(table.forms[i]);
    bool key = false;
    if (table.upsert) {
      for (auto k : table.def.key) key = key || k == name;
    }
    is_key_.push_back(key);
  }
}

Result<TypedRawRow> RawTyper::Type(const RawRow& row, const std::string& what) const {
  TypedRawRow out;
  out.values.assign(columns_.size(), "NULL");
  std::string extra;
  auto keep = [&](std::string_view name, const RawValue& v) {
    extra += extra.empty() ? "{" : ",";
    extra += JsonString(name) + ":" + JsonOf(v);
  };
  for (const auto& [name, value] : row.columns()) {
    auto it = index_.find(name);
    if (it == index_.end()) {
      keep(name, value);  // a column of a newer export, or of a plugin
      continue;
    }
    const size_t i = it->second;
    if (value.null()) continue;
    // An empty string is MySQL's empty value: null for every type but text.
    if (value.kind == RawValue::Kind::kString && value.text.empty() && forms_[i] != DwcValueForm::kText) continue;
    const std::string& text = value.text;
    std::optional<std::string> typed;
    switch (forms_[i]) {
      case DwcValueForm::kInteger:
        typed = value.kind == RawValue::Kind::kBool ? std::optional<std::string>(text == "true" ? "1" : "0")
                                                     : Integer(text);
        break;
      case DwcValueForm::kFloat:
        if (value.kind != RawValue::Kind::kBool) typed = Float(text);
        break;
      case DwcValueForm::kNumeric:
        if (value.kind != RawValue::Kind::kBool) typed = Numeric(text);
        break;
      case DwcValueForm::kText:
        typed = SqlText(text);
        break;
      case DwcValueForm::kBinaryId:
        if (auto bytes = DecodeBinary(text, {8})) typed = "'" + HexOf(*bytes) + "'";
        break;
      case DwcValueForm::kIp:
        if (auto bytes = DecodeBinary(text, {4, 16})) typed = SqlText(IpToString(*bytes));
        break;
      case DwcValueForm::kDateTime:
        typed = DateTime(text);
        break;
      case DwcValueForm::kTime:
        typed = TimeOfDay(text);
        break;
      case DwcValueForm::kMeta:
        break;
    }
    if (typed) {
      out.values[i] = std::move(*typed);
    } else {
      keep(name, value);  // does not fit its declared type: null in its column, the value kept here
    }
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (!is_key_[i] || out.values[i] != "NULL") continue;
    if (columns_[i] == "buster") {
      out.values[i] = "0";
    } else if (columns_[i] == "idorder") {
      out.values[i] = "''";
    } else {
      return Error(ErrorKind::kData, what + ": the row has no " + std::string(columns_[i]) +
                                         " (its primary key), or one that is not an integer")
          .WithHint("check that the file holds the " + std::string(table_.dwc_name) + " table");
    }
  }
  if (!extra.empty()) out.extra = extra + "}";
  return out;
}

}  // namespace metl::dwc
