#include "normalize/coerce.h"

#include <gtest/gtest.h>

#include <vector>

namespace metl {
namespace {

TEST(ParseDecimalMicrosTest, ExactWithoutDoubles) {
  EXPECT_EQ(ParseDecimalMicros("76.33"), 76'330'000);
  EXPECT_EQ(ParseDecimalMicros("0.1"), 100'000);
  EXPECT_EQ(ParseDecimalMicros("5"), 5'000'000);
  EXPECT_EQ(ParseDecimalMicros("-4.95"), -4'950'000);
  EXPECT_EQ(ParseDecimalMicros(" 11.4 "), 11'400'000);
  EXPECT_EQ(ParseDecimalMicros("1e-2"), 10'000);
  EXPECT_EQ(ParseDecimalMicros("4.95E+1"), 49'500'000);
  EXPECT_EQ(ParseDecimalMicros("0.0000005"), 1) << "half away from zero";
  EXPECT_EQ(ParseDecimalMicros("0.0000004"), 0);
  EXPECT_EQ(ParseDecimalMicros("-0.0000005"), -1);
  EXPECT_EQ(ParseDecimalMicros("1.9999995"), 2'000'000);
  EXPECT_EQ(ParseDecimalMicros("1e-300"), 0);
  EXPECT_EQ(ParseDecimalMicros("999999999999.999999"), 999'999'999'999'999'999);
  EXPECT_EQ(ParseDecimalMicros("1000000000000"), std::nullopt) << "past DECIMAL(18,6)";
  EXPECT_EQ(ParseDecimalMicros("1e400"), std::nullopt);
  // 0.1 + 0.2 through a double would not be 0.3; digits are exact.
  EXPECT_EQ(ParseDecimalMicros("0.30000000000000004"), 300'000);
  for (const char* bad : {"", "-", ".", "1.2.3", "abc", "1.29s", "1e", "--1", "0x10"}) {
    EXPECT_EQ(ParseDecimalMicros(bad), std::nullopt) << bad;
  }
}

TEST(ParseIntegerTextTest, IntegersAndIntegralFloats) {
  EXPECT_EQ(ParseIntegerText("23"), 23);
  EXPECT_EQ(ParseIntegerText("-1"), -1);
  EXPECT_EQ(ParseIntegerText("+7"), 7);
  EXPECT_EQ(ParseIntegerText("2.0"), 2);
  EXPECT_EQ(ParseIntegerText("2.5"), 3);
  EXPECT_EQ(ParseIntegerText("1e3"), 1000);
  EXPECT_EQ(ParseIntegerText("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseIntegerText("99999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseIntegerText(""), std::nullopt);
  EXPECT_EQ(ParseIntegerText("fe281cf02c12e984"), std::nullopt);
}

TEST(ParseDoubleTextTest, Parses) {
  EXPECT_EQ(ParseDoubleText("29.99"), 29.99);
  EXPECT_EQ(ParseDoubleText("-74.006"), -74.006);
  EXPECT_EQ(ParseDoubleText("nan"), std::nullopt);
  EXPECT_EQ(ParseDoubleText("1.29s"), std::nullopt);
}

// Runs `f` on the value of key "v" in `json`.
template <typename F>
auto WithValue(const std::string& json, F f) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document doc = parser.iterate(padded).value();
  simdjson::ondemand::value v = doc["v"].value();
  Coercer c;
  auto r = f(c, v);
  EXPECT_EQ(c.error(), simdjson::SUCCESS) << json;
  return r;
}

std::optional<int64_t> Int(const std::string& v) {
  return WithValue("{\"v\":" + v + "}", [](Coercer& c, simdjson::ondemand::value& x) { return c.Int(x); });
}
std::optional<int64_t> Dec(const std::string& v) {
  return WithValue("{\"v\":" + v + "}", [](Coercer& c, simdjson::ondemand::value& x) { return c.DecimalMicros(x); });
}
std::optional<double> Dbl(const std::string& v) {
  return WithValue("{\"v\":" + v + "}", [](Coercer& c, simdjson::ondemand::value& x) { return c.Double(x); });
}
std::optional<std::string> Txt(const std::string& v) {
  return WithValue("{\"v\":" + v + "}", [](Coercer& c, simdjson::ondemand::value& x) {
    auto t = c.Text(x);
    return t ? std::optional<std::string>(std::string(*t)) : std::nullopt;
  });
}
std::optional<bool> Bool(const std::string& v) {
  return WithValue("{\"v\":" + v + "}", [](Coercer& c, simdjson::ondemand::value& x) { return c.Bool(x); });
}

TEST(CoercerTest, NumberOrNumericString) {  // visitServerHour, totalEcommerceItems, items
  EXPECT_EQ(Int("2"), 2);
  EXPECT_EQ(Int("\"2\""), 2);
  EXPECT_EQ(Int("\"23\""), 23);
  EXPECT_EQ(Int("\"\""), std::nullopt);
  EXPECT_EQ(Int("\"n/a\""), std::nullopt);
}

TEST(CoercerTest, IntOrFloat) {  // revenues, prices, eventValue
  EXPECT_EQ(Dec("98"), 98'000'000);
  EXPECT_EQ(Dec("76.33"), 76'330'000);
  EXPECT_EQ(Dec("\"76.33\""), 76'330'000);
  EXPECT_EQ(Dec("0"), 0);
  EXPECT_EQ(Dbl("29.99"), 29.99);
  EXPECT_EQ(Dbl("3"), 3.0);
  EXPECT_EQ(Dbl("\"48.85\""), 48.85);
  EXPECT_EQ(Int("2.0"), 2);
}

TEST(CoercerTest, FalseOrHex) {  // visitorId
  EXPECT_EQ(Txt("\"fe281cf02c12e984\""), "fe281cf02c12e984");
  EXPECT_EQ(Txt("false"), std::nullopt);
  EXPECT_EQ(Txt("true"), "true");
  EXPECT_EQ(Int("false"), std::nullopt);
}

TEST(CoercerTest, EmptyArrayOrObjectAndNull) {  // customVariables, itemDetails; missing -> caller's null
  for (const char* v : {"[]", "{}", "null", "[1,2]", "{\"a\":1}"}) {
    EXPECT_EQ(Txt(v), std::nullopt) << v;
    EXPECT_EQ(Int(v), std::nullopt) << v;
    EXPECT_EQ(Dec(v), std::nullopt) << v;
    EXPECT_EQ(Dbl(v), std::nullopt) << v;
    EXPECT_EQ(Bool(v), std::nullopt) << v;
  }
}

TEST(CoercerTest, TextFromStringsAndNumbers) {  // dimension values, campaign ids
  EXPECT_EQ(Txt("\"a\\/b \\u00e9\""), "a/b \xc3\xa9");
  EXPECT_EQ(Txt("\"\""), std::nullopt);
  EXPECT_EQ(Txt("5"), "5");
  EXPECT_EQ(Txt("1.50"), "1.50") << "the literal, not a reformatted double";
}

TEST(CoercerTest, Booleans) {  // visitConverted
  EXPECT_EQ(Bool("1"), true);
  EXPECT_EQ(Bool("0"), false);
  EXPECT_EQ(Bool("\"1\""), true);
  EXPECT_EQ(Bool("true"), true);
  EXPECT_EQ(Bool("\"false\""), false);
  EXPECT_EQ(Bool("\"\""), std::nullopt);
}

// Money beyond DECIMAL(18,6) (5e12 fits int64 micro-units, 1e13 does not) is null and counted,
// never wrapped or rounded; "abc" and [] are not numbers and are not counted.
TEST(CoercerTest, MoneyBeyondDecimal18IsNullAndCounted) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(std::string(
      R"({"a":5000000000000,"b":"1e13","c":"abc","d":[],"e":"999999999999.999999","f":-1000000000000})"));
  simdjson::ondemand::document doc = parser.iterate(padded).value();
  simdjson::ondemand::object obj = doc.get_object().value();
  Coercer c;
  std::vector<std::optional<int64_t>> got;
  for (auto field : obj) {
    simdjson::ondemand::value v = field.value().value();
    got.push_back(c.DecimalMicros(v));
  }
  std::vector<std::optional<int64_t>> want = {std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                              999'999'999'999'999'999, std::nullopt};
  EXPECT_EQ(got, want);
  EXPECT_EQ(c.out_of_range(), 3);
  EXPECT_EQ(c.error(), simdjson::SUCCESS);
  c.Reset();
  EXPECT_EQ(c.out_of_range(), 0);
  EXPECT_TRUE(IsDecimalLiteral(" 1e13 "));
  EXPECT_FALSE(IsDecimalLiteral("1e13x"));
}

TEST(CoercerTest, MalformedNumbersSetTheStickyError) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(std::string("{\"v\":12x}"));
  simdjson::ondemand::document doc = parser.iterate(padded).value();
  simdjson::ondemand::value v;
  if (doc["v"].get(v) != simdjson::SUCCESS) return;  // stage 1 may already reject it: also fine
  Coercer c;
  EXPECT_EQ(c.Int(v), std::nullopt);
  EXPECT_NE(c.error(), simdjson::SUCCESS);
  c.Reset();
  EXPECT_EQ(c.error(), simdjson::SUCCESS);
}

}  // namespace
}  // namespace metl
