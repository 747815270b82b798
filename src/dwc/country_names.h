// Country names as Live shows them (`country`, the curated `country_name`) for the country codes the
// raw `log_visit.location_country` holds. Matomo labels countries with CLDR's English names; the
// names are read at run time from Debian's iso-codes data (/usr/share/iso-codes/json/iso_3166-1.json:
// `common_name` when it has one, else `name`), and a small table of facts gives CLDR's English name
// where it differs from iso-codes' (e.g. "Russia", "Hong Kong SAR China", "St. Lucia"). Nothing is
// taken from Matomo's source.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace metl::dwc {

// "de" -> "Germany"; "xx" (Matomo's unknown country) -> "Unknown". A code neither iso-codes nor the
// facts know keeps its code as its label (as the other labels do). nullopt for an empty code, or when
// the iso-codes file cannot be read (logged once: install Debian's iso-codes package).
std::optional<std::string> CountryName(std::string_view code);

// Where the names are read from (tests and docs name it).
inline constexpr const char* kIsoCodesFile = "/usr/share/iso-codes/json/iso_3166-1.json";

}  // namespace metl::dwc
