// SitesManager and Goals.getGoals objects rendered from SimSite, in Matomo 5.1.2's shape
// (errors/sitesmanager.out).
#pragma once

#include <string>
#include <vector>

#include "sim/dataset.h"

namespace metl::sim {

// The custom dimensions every simulated site has, as the generator fills them (visit_generator.cc):
// Live's dimension1 (visit scope) and dimension2 (action scope), both in storage column index 1.
struct SimDimension {
  int id;             // idcustomdimension
  const char* name;
  const char* scope;  // "visit" or "action"
  int index;          // log_*.custom_dimension_<index>
};
const std::vector<SimDimension>& SiteDimensions(const SimSite& site);

std::string SiteJson(const SimSite& site);
// CustomDimensions.getConfiguredCustomDimensions, in Matomo 5.1.2's shape (numbers as strings,
// active and case_sensitive as booleans: reference raw sample, api/).
std::string ConfiguredCustomDimensionsJson(const SimSite& site);
std::string GoalsListJson(const SimSite& site);  // Goals.getGoals: object keyed by idgoal, [] when none

}  // namespace metl::sim
