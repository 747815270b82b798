// The normalizer alone over a landed partition (issue 6, item 2): the lines of METL_BENCH_LANDING's
// first partition are decompressed into memory once, then each iteration normalizes all of them
// into typed column batches that a counting sink discards. One thread, CPU time: bytes/s is MB/s per core.
// Without METL_BENCH_LANDING the benchmark skips (bench/run.sh sets it).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/civil_date.h"
#include "core/time_zone.h"
#include "landing/landing_zone.h"
#include "normalize/test_support.h"
#include "normalize/visit_normalizer.h"

namespace metl {
namespace {

struct LandedDay {
  std::string error;
  std::string text;  // every line, '\n'-terminated
  std::vector<std::string_view> lines;
  landing::Manifest manifest;
  int64_t site_id = 0;
  CivilDate date;
};

const LandedDay& Day() {
  static LandedDay day = [] {
    LandedDay d;
    const char* root = std::getenv("METL_BENCH_LANDING");
    if (!root || !*root) {
      d.error = "set METL_BENCH_LANDING to a landing zone (bench/run.sh does)";
      return d;
    }
    landing::LandingZone zone(root);
    auto parts = zone.ListPartitions();
    if (!parts.ok() || parts->empty()) {
      d.error = std::string("no landed partition under ") + root;
      return d;
    }
    const landing::PartitionRef& ref = parts->front();
    auto manifest = zone.ReadManifest(ref);
    auto reader = landing::PartitionReader::Open(zone, ref);
    if (!manifest.ok() || !reader.ok()) {
      d.error = "cannot open the landed partition";
      return d;
    }
    d.manifest = *manifest;
    d.site_id = ref.site_id;
    d.date = ref.date;
    d.text.reserve(static_cast<size_t>(manifest->bytes));
    std::vector<size_t> ends;
    std::string_view line;
    while (true) {
      auto more = (*reader)->Next(line);
      if (!more.ok()) {
        d.error = more.error().ToString();
        return d;
      }
      if (!*more) break;
      d.text.append(line);
      d.text.push_back('\n');
      ends.push_back(d.text.size());
    }
    size_t start = 0;
    for (size_t end : ends) {
      d.lines.emplace_back(d.text.data() + start, end - 1 - start);
      start = end;
    }
    return d;
  }();
  return day;
}

void BM_NormalizeLandedDay(benchmark::State& state) {
  const LandedDay& day = Day();
  if (!day.error.empty()) {
    state.SkipWithError(day.error.c_str());
    return;
  }
  auto zone = TimeZone::Load(day.manifest.site_timezone);
  if (!zone.ok()) {
    state.SkipWithError("unknown site time zone");
    return;
  }
  test_support::CountingSink sink;
  for (auto _ : state) {
    // As the loader runs it: raw visits on (the default), one normalizer per partition.
    VisitNormalizer n(*zone, day.site_id, day.date, 1795723200, &sink, NormalizerOptions{});
    for (size_t i = 0; i < day.lines.size(); ++i) {
      if (!n.AddVisit(day.lines[i], i + 1).ok()) {
        state.SkipWithError("normalize failed");
        return;
      }
    }
    if (!n.Finish().ok()) state.SkipWithError("normalize failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * day.text.size()));
  state.counters["visits/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * day.lines.size()), benchmark::Counter::kIsRate);
  state.counters["rows/iter"] = static_cast<double>(sink.rows / std::max<size_t>(1, state.iterations()));
}
// CPU time of the thread, not wall time: MB/s per core, and steadier on a shared machine.
BENCHMARK(BM_NormalizeLandedDay)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace metl
