// Where a generated visit comes from: drawn once per visit, rendered as Live's referrer keys at visit
// level and inside its goal entries.
#pragma once

#include <string>

#include "sim/gen_random.h"
#include "sim/site_catalog.h"

namespace metl::sim::gen {

struct Referrer {
  int kind = 0;  // 0 direct, 1 search, 2 website, 3 campaign, 4 social
  int variant = 0;
  int keyword = -1;  // search keyword index (search) or campaign keyword
  bool url_null = false;
};

Referrer PickReferrer(Rng& r);
// Visit-level referrer keys, from "referrerType" to "referrerSocialNetworkIcon".
void AppendReferrer(std::string& out, const SiteCatalog& c, const Referrer& ref);
// The referrer keys inside a goal entry: name null for direct, keyword null when empty.
void AppendGoalReferrer(std::string& out, const SiteCatalog& c, const Referrer& ref);

}  // namespace metl::sim::gen
