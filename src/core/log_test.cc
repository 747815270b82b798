#include "core/log.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>

namespace metl {
namespace {

// What one Log call writes on stderr, without its time stamp.
std::string Logged(LogFormat format, std::initializer_list<LogField> fields) {
  LogFormat before = CurrentLogFormat();
  SetLogFormat(format);
  testing::internal::CaptureStderr();
  LogInfo("loaded", fields);
  std::string out = testing::internal::GetCapturedStderr();
  SetLogFormat(before);
  size_t cut = format == LogFormat::kJson ? out.find("\"level\"") : out.find(' ') + 1;
  return out.substr(cut);
}

TEST(Log, JsonWritesNumbersAndBooleansBareAndTextQuoted) {
  std::optional<int64_t> none;
  std::optional<int64_t> some = 7;
  EXPECT_EQ(Logged(LogFormat::kJson, {{"site", int64_t{3}}, {"date", "2026-11-25"}, {"seconds", 1.5},
                                      {"partial", false}, {"matomo_nb_visits", none}, {"count", some},
                                      {"text", std::string("42")}, {"bad", std::numeric_limits<double>::quiet_NaN()}}),
            "\"level\":\"info\",\"message\":\"loaded\",\"site\":3,\"date\":\"2026-11-25\",\"seconds\":1.5,"
            "\"partial\":false,\"matomo_nb_visits\":null,\"count\":7,\"text\":\"42\",\"bad\":null}\n");
}

TEST(Log, TextQuotesOnlyTextThatNeedsIt) {
  EXPECT_EQ(Logged(LogFormat::kText, {{"site", 3}, {"error", "a b"}, {"path", "/x"}}),
            "info loaded site=3 error=\"a b\" path=/x\n");
  EXPECT_EQ(Logged(LogFormat::kText, {{"sites", std::vector<int64_t>{1, 2}}}), "info loaded sites=1,2\n");
  EXPECT_EQ(Logged(LogFormat::kJson, {{"sites", std::vector<int64_t>{7}}}),
            "\"level\":\"info\",\"message\":\"loaded\",\"sites\":[7]}\n");
}

}  // namespace
}  // namespace metl
