// Normalizer throughput (issue 6 target: >= 300 MB/s per core) over the real Matomo 5.1.2
// responses, both sites (UTC shop and New York blog), as landing-zone lines.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/time_zone.h"
#include "normalize/test_support.h"
#include "normalize/visit_normalizer.h"

namespace metl {
namespace {

struct Corpus {
  std::string text;
  std::vector<std::string_view> lines;
  size_t bytes = 0;
};

const Corpus& LoadCorpus(const char* file) {
  static std::vector<std::unique_ptr<Corpus>> cache;
  auto c = std::make_unique<Corpus>();
  // The source tree is the parent of this file's folder (bench/).
  const auto source_dir = std::filesystem::path(__FILE__).parent_path().parent_path();
  c->text = test_support::ReadFileOrEmpty((source_dir / "tests/data/matomo-5.1.2" / file).string());
  c->lines = test_support::SplitJsonArray(c->text);
  // A realistic partition: the reference day repeated to 2,000 visits (batches fill and flush).
  const size_t n = c->lines.size();
  for (size_t copy = 1; n > 0 && copy < 20; ++copy) {
    for (size_t i = 0; i < n; ++i) c->lines.push_back(c->lines[i]);
  }
  for (auto l : c->lines) c->bytes += l.size() + 1;
  cache.push_back(std::move(c));
  return *cache.back();
}

void Normalize(benchmark::State& state, const char* file, const char* zone_name, int64_t site, bool raw) {
  const Corpus& corpus = LoadCorpus(file);
  if (corpus.lines.empty()) {
    state.SkipWithError("reference file missing");
    return;
  }
  auto zone = *TimeZone::Load(zone_name);
  test_support::CountingSink sink;
  NormalizerOptions options;
  options.emit_raw_visits = raw;
  for (auto _ : state) {
    // One partition per iteration, as the loader would see it.
    VisitNormalizer n(zone, site, *CivilDate::Parse("2026-11-25"), 1795723200, &sink, options);
    for (size_t i = 0; i < corpus.lines.size(); ++i) {
      if (!n.AddVisit(corpus.lines[i], i + 1).ok()) state.SkipWithError("normalize failed");
    }
    (void)n.Finish();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.bytes));
  state.counters["visits/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * corpus.lines.size()), benchmark::Counter::kIsRate);
}

void BM_NormalizeShopUtc(benchmark::State& state) {
  Normalize(state, "live_site1_day_limit100_offset0.json", "UTC", 1, true);
}
void BM_NormalizeBlogNewYork(benchmark::State& state) {
  Normalize(state, "live_site2_newyork_day_limit100_offset0.json", "America/New_York", 2, true);
}
void BM_NormalizeShopUtcNoRaw(benchmark::State& state) {
  Normalize(state, "live_site1_day_limit100_offset0.json", "UTC", 1, false);
}
BENCHMARK(BM_NormalizeShopUtc);
BENCHMARK(BM_NormalizeBlogNewYork);
BENCHMARK(BM_NormalizeShopUtcNoRaw);

}  // namespace
}  // namespace metl
