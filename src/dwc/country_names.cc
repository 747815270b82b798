#include "dwc/country_names.h"

#include <simdjson.h>

#include <cctype>
#include <map>
#include <mutex>

#include "core/log.h"

namespace metl::dwc {
namespace {

using Names = std::map<std::string, std::string, std::less<>>;

// CLDR's English short names (the names Matomo shows) where iso-codes' common_name/name differ.
// Facts, checked against CLDR's English territory list; the real Matomo 5.1.2 sample confirms the
// iso-codes names of the countries it holds (tests/data/dwc-real-sample).
const Names& CldrFacts() {
  static const Names kFacts = {
      {"ag", "Antigua & Barbuda"},
      {"ba", "Bosnia & Herzegovina"},
      {"bl", "St. Barth\xC3\xA9lemy"},
      {"bn", "Brunei"},
      {"bq", "Caribbean Netherlands"},
      {"cd", "Congo - Kinshasa"},
      {"cg", "Congo - Brazzaville"},
      {"ci", "C\xC3\xB4te d\xE2\x80\x99Ivoire"},
      {"cv", "Cape Verde"},
      {"fk", "Falkland Islands"},
      {"fm", "Micronesia"},
      {"gs", "South Georgia & South Sandwich Islands"},
      {"hk", "Hong Kong SAR China"},
      {"hm", "Heard & McDonald Islands"},
      {"kn", "St. Kitts & Nevis"},
      {"lc", "St. Lucia"},
      {"mf", "St. Martin"},
      {"mm", "Myanmar (Burma)"},
      {"mo", "Macao SAR China"},
      {"pm", "St. Pierre & Miquelon"},
      {"pn", "Pitcairn Islands"},
      {"ps", "Palestinian Territories"},
      {"ru", "Russia"},
      {"sh", "St. Helena"},
      {"sj", "Svalbard & Jan Mayen"},
      {"st", "S\xC3\xA3o Tom\xC3\xA9 & Pr\xC3\xADncipe"},
      {"sx", "Sint Maarten"},
      {"tc", "Turks & Caicos Islands"},
      {"tt", "Trinidad & Tobago"},
      {"um", "U.S. Outlying Islands"},
      {"va", "Vatican City"},
      {"vc", "St. Vincent & Grenadines"},
      {"vg", "British Virgin Islands"},
      {"vi", "U.S. Virgin Islands"},
      {"wf", "Wallis & Futuna"},
      {"xk", "Kosovo"},   // not in ISO 3166-1 (a user-assigned code); CLDR names it
      {"xx", "Unknown"},  // Matomo's code for "no location"
  };
  return kFacts;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// iso-codes' names by lower-case alpha-2 code; nullptr when the file cannot be read.
const Names* IsoNames() {
  static std::once_flag once;
  static Names names;
  static bool ok = false;
  std::call_once(once, [] {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.load(kIsoCodesFile).get(doc) != simdjson::SUCCESS) {
      LogWarn("cannot read Debian's iso-codes data: country names are left empty (install the iso-codes package)",
              {{"file", kIsoCodesFile}});
      return;
    }
    simdjson::dom::array list;
    if (doc["3166-1"].get(list) != simdjson::SUCCESS) {
      LogWarn("iso-codes data without a \"3166-1\" list: country names are left empty", {{"file", kIsoCodesFile}});
      return;
    }
    for (simdjson::dom::element e : list) {
      std::string_view code, name;
      if (e["alpha_2"].get(code) != simdjson::SUCCESS) continue;
      if (e["common_name"].get(name) != simdjson::SUCCESS && e["name"].get(name) != simdjson::SUCCESS) continue;
      names[Lower(code)] = std::string(name);
    }
    ok = true;
  });
  return ok ? &names : nullptr;
}

}  // namespace

std::optional<std::string> CountryName(std::string_view code) {
  if (code.empty()) return std::nullopt;
  const std::string key = Lower(code);
  if (auto it = CldrFacts().find(key); it != CldrFacts().end()) return it->second;
  const Names* iso = IsoNames();
  if (!iso) return std::nullopt;
  if (auto it = iso->find(key); it != iso->end()) return it->second;
  return std::string(code);
}

}  // namespace metl::dwc
