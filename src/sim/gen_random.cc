#include "sim/gen_random.h"

#include <array>

namespace metl::sim::gen {
namespace {

// Traffic by site-local hour (quiet nights, busy evenings); index 24 is the total.
constexpr std::array<double, 24> kHourWeights = {2, 1.5, 1, 1, 1, 1.5, 2.5, 4, 5, 6, 6, 6,
                                                 6, 6, 6,   6, 6, 7, 8, 8, 8, 7,   5, 3.5};

}  // namespace

// The inverse CDF of kHourWeights, linear per hour.
double DiurnalFraction(double u) {
  static const std::array<double, 25> cum = [] {
    std::array<double, 25> c{};
    for (int h = 0; h < 24; ++h) c[h + 1] = c[h] + kHourWeights[h];
    for (auto& x : c) x /= c[24];
    return c;
  }();
  int h = 0;
  while (h < 23 && cum[h + 1] <= u) ++h;
  double within = (u - cum[h]) / (cum[h + 1] - cum[h]);
  return (h + within) / 24.0;
}

}  // namespace metl::sim::gen
