// The one layer that turns Matomo's loose JSON types into typed values (DESIGN.md "normalize"):
// number or numeric string, int or float, false or hex (visitorId), [] or {}, null or missing,
// and "" where a value is empty. Nothing else in the normalizer looks at JSON types.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <simdjson.h>

namespace metl {

// Text-level parsers, usable without a JSON value (and unit-tested on their own).
// Surrounding ASCII whitespace is ignored; anything else that is not a number gives nullopt.

// The largest DECIMAL(18,6) value in micro-units: 999,999,999,999.999999.
inline constexpr int64_t kMaxDecimalMicros = 999'999'999'999'999'999;

// A decimal literal ("76.33", "-5", "1e-2", "4.95E+1") as micro-units (value * 10^6), exact for up to
// 6 fractional digits and rounded half away from zero beyond; never goes through a double.
// nullopt when not a number or out of the DECIMAL(18,6) range (IsDecimalLiteral tells which).
std::optional<int64_t> ParseDecimalMicros(std::string_view text);
bool IsDecimalLiteral(std::string_view text);
// The same, as an integer of 10^-scale units (scale 6: micro-units, 2: cents); nullopt past +-limit.
std::optional<int64_t> ParseDecimalScaled(std::string_view text, int scale, int64_t limit);
// An integer; a literal with a fraction or exponent is accepted when it is integral ("2.0"), else
// rounded half away from zero ("2.5" -> 3).
std::optional<int64_t> ParseIntegerText(std::string_view text);
std::optional<double> ParseDoubleText(std::string_view text);
std::string_view TrimAscii(std::string_view text);

// Coerces one ondemand value (consuming it). A malformed value (bad number, bad string escape)
// sets a sticky error, checked by the caller once per visit; a value of an unexpected but valid
// shape ([] for a number, an object for a string) becomes null, so a new field type never fails a load.
class Coercer {
 public:
  using Value = simdjson::ondemand::value;

  std::optional<int64_t> Int(Value& v);
  std::optional<double> Double(Value& v);
  // A number, or a numeric string, beyond DECIMAL(18,6) is nullopt and counted in out_of_range().
  std::optional<int64_t> DecimalMicros(Value& v);
  // Strings unescaped (views valid until the parser's next document); numbers as their literal;
  // true as "true"; false, null, "" and containers as nullopt.
  std::optional<std::string_view> Text(Value& v);
  // true/false, numbers (non-zero), "1"/"0"/"true"/"false"; else nullopt.
  std::optional<bool> Bool(Value& v);

  simdjson::error_code error() const { return error_; }
  // Money values beyond DECIMAL(18,6) since the last Reset (made null, never wrapped or rounded).
  int64_t out_of_range() const { return out_of_range_; }
  void Reset() {
    error_ = simdjson::SUCCESS;
    out_of_range_ = 0;
  }

 private:
  // The literal of a number token (trailing whitespace removed), or an empty view on error.
  std::string_view NumberLiteral(Value& v);
  void Fail(simdjson::error_code e) {
    if (error_ == simdjson::SUCCESS) error_ = e;
  }
  simdjson::error_code error_ = simdjson::SUCCESS;
  int64_t out_of_range_ = 0;
};

}  // namespace metl
