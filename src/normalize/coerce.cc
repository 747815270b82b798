#include "normalize/coerce.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace metl {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// DECIMAL(18,6): at most 12 integer digits.
constexpr int64_t kMaxMicros = kMaxDecimalMicros;

// Splits a JSON-style number literal into sign, digits (integer part then fraction, leading zeros
// kept) and a decimal exponent, so that value = sign * digits * 10^(exp10 - fraction_digits).
struct DecimalParts {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  int64_t exponent = 0;
};

std::optional<DecimalParts> SplitDecimal(std::string_view s) {
  DecimalParts p;
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    p.negative = s[i] == '-';
    ++i;
  }
  size_t start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  p.int_digits = s.substr(start, i - start);
  if (i < s.size() && s[i] == '.') {
    ++i;
    start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    p.frac_digits = s.substr(start, i - start);
  }
  if (p.int_digits.empty() && p.frac_digits.empty()) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
      exp_negative = s[i] == '-';
      ++i;
    }
    start = i;
    int64_t e = 0;
    while (i < s.size() && IsDigit(s[i])) {
      if (e < 100000) e = e * 10 + (s[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    p.exponent = exp_negative ? -e : e;
  }
  if (i != s.size()) return std::nullopt;
  return p;
}

// value * 10^scale as an integer, rounded half away from zero; nullopt past `limit`.
std::optional<int64_t> ScaledInteger(const DecimalParts& p, int scale, int64_t limit) {
  // Digit i of the concatenated digit string has weight 10^(int_len - 1 - i + exponent + scale).
  const int64_t int_len = static_cast<int64_t>(p.int_digits.size());
  const int64_t total = int_len + static_cast<int64_t>(p.frac_digits.size());
  auto digit = [&](int64_t i) { return i < int_len ? p.int_digits[i] - '0' : p.frac_digits[i - int_len] - '0'; };
  // Digits at positions < keep are kept (weight >= 1); the first dropped digit decides rounding.
  const int64_t keep = int_len + p.exponent + scale;
  int64_t acc = 0;
  for (int64_t i = 0; i < std::min(keep, total); ++i) {
    int d = digit(i);
    if (acc > (limit - d) / 10) return std::nullopt;
    acc = acc * 10 + d;
  }
  for (int64_t i = total; i < keep; ++i) {  // trailing zeros implied by the exponent
    if (acc > limit / 10) return std::nullopt;
    acc *= 10;
  }
  if (keep >= 0 && keep < total && digit(keep) >= 5) {
    if (acc == limit) return std::nullopt;
    ++acc;
  } else if (keep < 0) {
    acc = 0;  // |value| < 10^-(scale+1): rounds to zero
  }
  return p.negative ? -acc : acc;
}

}  // namespace

std::string_view TrimAscii(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<int64_t> ParseDecimalScaled(std::string_view text, int scale, int64_t limit) {
  auto parts = SplitDecimal(TrimAscii(text));
  if (!parts) return std::nullopt;
  return ScaledInteger(*parts, scale, limit);
}

std::optional<int64_t> ParseDecimalMicros(std::string_view text) { return ParseDecimalScaled(text, 6, kMaxMicros); }

bool IsDecimalLiteral(std::string_view text) { return SplitDecimal(TrimAscii(text)).has_value(); }

std::optional<int64_t> ParseIntegerText(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty()) return std::nullopt;
  int64_t v = 0;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size()) return v;
  auto parts = SplitDecimal(text);
  if (!parts) return std::nullopt;
  return ScaledInteger(*parts, 0, std::numeric_limits<int64_t>::max());
}

std::optional<double> ParseDoubleText(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty()) return std::nullopt;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  double v = 0;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string_view Coercer::NumberLiteral(Value& v) {
  std::string_view token = TrimAscii(v.raw_json_token());
  return token;
}

std::optional<int64_t> Coercer::Int(Value& v) {
  simdjson::ondemand::json_type type;
  if (auto e = v.type().get(type)) {
    Fail(e);
    return std::nullopt;
  }
  switch (type) {
    case simdjson::ondemand::json_type::number: {
      auto r = ParseIntegerText(NumberLiteral(v));
      if (!r) Fail(simdjson::NUMBER_ERROR);
      return r;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) {
        Fail(e);
        return std::nullopt;
      }
      return ParseIntegerText(s);
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b = false;
      if (auto e = v.get_bool().get(b)) {
        Fail(e);
        return std::nullopt;
      }
      if (!b) return std::nullopt;  // Matomo's `false` means "not available"
      return 1;
    }
    default: return std::nullopt;
  }
}

std::optional<double> Coercer::Double(Value& v) {
  simdjson::ondemand::json_type type;
  if (auto e = v.type().get(type)) {
    Fail(e);
    return std::nullopt;
  }
  if (type == simdjson::ondemand::json_type::number) {
    double d = 0;
    if (auto e = v.get_double().get(d)) {
      Fail(e);
      return std::nullopt;
    }
    return d;
  }
  if (type == simdjson::ondemand::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) {
      Fail(e);
      return std::nullopt;
    }
    return ParseDoubleText(s);
  }
  return std::nullopt;
}

std::optional<int64_t> Coercer::DecimalMicros(Value& v) {
  simdjson::ondemand::json_type type;
  if (auto e = v.type().get(type)) {
    Fail(e);
    return std::nullopt;
  }
  if (type == simdjson::ondemand::json_type::number) {
    std::string_view literal = NumberLiteral(v);
    auto r = ParseDecimalMicros(literal);
    // A valid JSON number out of DECIMAL(18,6) range is data, not a parse error: null it, counted.
    if (!r) {
      if (SplitDecimal(literal)) ++out_of_range_;
      else Fail(simdjson::NUMBER_ERROR);
    }
    return r;
  }
  if (type == simdjson::ondemand::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) {
      Fail(e);
      return std::nullopt;
    }
    auto r = ParseDecimalMicros(s);
    if (!r && IsDecimalLiteral(s)) ++out_of_range_;  // "5000000000000": a number, too large
    return r;
  }
  return std::nullopt;
}

std::optional<std::string_view> Coercer::Text(Value& v) {
  simdjson::ondemand::json_type type;
  if (auto e = v.type().get(type)) {
    Fail(e);
    return std::nullopt;
  }
  switch (type) {
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) {
        Fail(e);
        return std::nullopt;
      }
      if (s.empty()) return std::nullopt;
      return s;
    }
    case simdjson::ondemand::json_type::number: {
      std::string_view literal = NumberLiteral(v);
      if (!SplitDecimal(literal)) Fail(simdjson::NUMBER_ERROR);
      return literal;
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b = false;
      if (auto e = v.get_bool().get(b)) {
        Fail(e);
        return std::nullopt;
      }
      if (!b) return std::nullopt;  // visitorId false: hidden
      return std::string_view("true");
    }
    default: return std::nullopt;
  }
}

std::optional<bool> Coercer::Bool(Value& v) {
  simdjson::ondemand::json_type type;
  if (auto e = v.type().get(type)) {
    Fail(e);
    return std::nullopt;
  }
  switch (type) {
    case simdjson::ondemand::json_type::boolean: {
      bool b = false;
      if (auto e = v.get_bool().get(b)) {
        Fail(e);
        return std::nullopt;
      }
      return b;
    }
    case simdjson::ondemand::json_type::number: {
      auto r = ParseDoubleText(NumberLiteral(v));
      if (!r) {
        Fail(simdjson::NUMBER_ERROR);
        return std::nullopt;
      }
      return *r != 0;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) {
        Fail(e);
        return std::nullopt;
      }
      s = TrimAscii(s);
      if (s == "true") return true;
      if (s == "false") return false;
      auto d = ParseDoubleText(s);
      if (!d) return std::nullopt;
      return *d != 0;
    }
    default: return std::nullopt;
  }
}

}  // namespace metl
