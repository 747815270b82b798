// matomo-sim's data generator: MB/s of visit JSON produced for one site-local day on one core
// (issue 2: the simulator must serve a 100,000-visit day fast enough not to limit other benchmarks).
#include <benchmark/benchmark.h>

#include "sim/generated_dataset.h"

namespace metl::sim {
namespace {

void GenerateDay(benchmark::State& state) {
  const int visits_per_day = static_cast<int>(state.range(0));
  size_t bytes = 0, visits = 0;
  int64_t day_offset = 0;
  for (auto _ : state) {
    GeneratorOptions o;
    o.seed = 42;
    o.sites = 1;
    o.visits_per_day = visits_per_day;
    o.from = CivilDate::FromYmd(2026, 1, 1);
    o.to = CivilDate::FromYmd(2026, 12, 31);
    auto ds = GeneratedDataset::Create(o);
    if (!ds.ok()) {
      state.SkipWithError(ds.error().ToString().c_str());
      return;
    }
    // A different day each iteration so that nothing comes from the cache.
    auto day = (*ds)->VisitsOfDay(1, CivilDate::FromYmd(2026, 3, 1) + (day_offset++ % 300));
    for (const SimVisit& v : *day) bytes += v.json.size();
    visits += day->size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["visits/s"] = benchmark::Counter(static_cast<double>(visits), benchmark::Counter::kIsRate);
}
BENCHMARK(GenerateDay)->Arg(20000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace metl::sim
