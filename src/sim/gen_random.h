// The generator's randomness (visit_generator.h): everything derives from (seed, salt, site, day,
// index) through these hashes, so that any day can be generated alone and always the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace metl::sim::gen {

enum Salt : uint64_t {
  kSaltCount = 1, kSaltStart, kSaltNew, kSaltVisit, kSaltVisitor, kSaltLate, kSaltCont, kSaltPick
};

constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline uint64_t H(uint64_t seed, uint64_t salt, int64_t site, int64_t day, int64_t idx) {
  uint64_t h = Mix64(seed ^ (salt * 0xd6e8feb86659fd93ULL));
  h = Mix64(h ^ static_cast<uint64_t>(site));
  h = Mix64(h ^ static_cast<uint64_t>(day));
  return Mix64(h ^ static_cast<uint64_t>(idx));
}

class Rng {
 public:
  explicit Rng(uint64_t s) : s_(s) {}
  uint64_t Next() {
    s_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  int64_t Range(int64_t lo, int64_t hi) { return lo + Below(hi - lo + 1); }  // inclusive
  bool Chance(int percent) { return Below(100) < percent; }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[static_cast<size_t>(Below(static_cast<int64_t>(v.size())))]; }

 private:
  uint64_t s_;
};

// Maps u in [0,1) to a fraction of the day following the traffic of a site-local day (quiet nights,
// busy evenings).
double DiurnalFraction(double u);

}  // namespace metl::sim::gen
