// Country names of the DWC path: iso-codes' names (read from Debian's iso-codes package at run time),
// CLDR's English name where Matomo's label differs from iso-codes', "Unknown" for Matomo's "xx".
#include "dwc/country_names.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace metl::dwc {
namespace {

TEST(CountryName, IsoCodesNamesAsMatomoShowsThem) {
  ASSERT_TRUE(std::filesystem::exists(kIsoCodesFile)) << "install Debian's iso-codes (scripts/install-deps.sh)";
  EXPECT_EQ(CountryName("de"), "Germany");
  EXPECT_EQ(CountryName("us"), "United States");   // iso-codes' name; its official_name is longer
  EXPECT_EQ(CountryName("GB"), "United Kingdom");  // case does not matter
  EXPECT_EQ(CountryName("kr"), "South Korea");     // iso-codes' common_name ("Korea, Republic of" is its name)
  EXPECT_EQ(CountryName("ir"), "Iran");
  EXPECT_EQ(CountryName("jp"), "Japan");
}

TEST(CountryName, CldrFactsWhereIsoCodesDiffers) {
  EXPECT_EQ(CountryName("ru"), "Russia");  // iso-codes: Russian Federation
  EXPECT_EQ(CountryName("hk"), "Hong Kong SAR China");
  EXPECT_EQ(CountryName("ba"), "Bosnia & Herzegovina");
  EXPECT_EQ(CountryName("xk"), "Kosovo");  // not in ISO 3166-1
  EXPECT_EQ(CountryName("xx"), "Unknown");
}

TEST(CountryName, EmptyAndUnknownCodes) {
  EXPECT_EQ(CountryName(""), std::nullopt);
  EXPECT_EQ(CountryName("a1"), "a1");  // a legacy GeoIP code nobody names: kept as its label
}

}  // namespace
}  // namespace metl::dwc
