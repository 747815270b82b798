// SitesManager and Goals.getGoals objects rendered from SimSite, in Matomo 5.1.2's shape
// (errors/sitesmanager.out).
#pragma once

#include <string>

#include "sim/dataset.h"

namespace metl::sim {

std::string SiteJson(const SimSite& site);
std::string GoalsListJson(const SimSite& site);  // Goals.getGoals: object keyed by idgoal, [] when none

}  // namespace metl::sim
