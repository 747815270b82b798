// Funnels as configured (the `funnels` option): "NAME: STEP > STEP > ...; NAME: ...". A step is
//   url=GLOB          a pageview whose URL matches GLOB as a whole (* = any text; SQL LIKE, so _ is any one character)
//   event=CATEGORY    an event of that category;  event=CATEGORY/ACTION  also of that action
//   goal=ID           a conversion of goal ID;  goal=order  an ecommerce order;  goal=any  either
// Parsed once here so that a mistake is a config error naming the funnel and step, before any load.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace metl::models {

struct FunnelStep {
  enum class Kind { kUrl, kEvent, kGoal, kOrder, kAnyConversion };
  Kind kind = Kind::kUrl;
  std::string pattern;     // kUrl: the LIKE pattern (* turned into %)
  std::string category;    // kEvent
  std::string action;      // kEvent: "" = any action
  int64_t goal_id = 0;     // kGoal
  std::string definition;  // the step as written, trimmed (matomo_funnels.step_definition)
};

struct Funnel {
  std::string name;
  std::vector<FunnelStep> steps;
};

Result<std::vector<Funnel>> ParseFunnels(std::string_view text);

}  // namespace metl::models
