// PostgreSQL load throughput (issue 5): rows per second that one session puts into PostgreSQL, the way
// the loader does it: a partition of 2,000 visits (the real Matomo 5.1.2 shop day repeated) replaced in
// one transaction (DELETE of the previous rows, COPY FROM STDIN per table, ledger row, COMMIT).
//   BM_PostgresReplacePartition    the engine alone: batches normalized beforehand (without_raw:1 leaves
//                                  out matomo_raw_visits, to show what parsing the jsonb costs PostgreSQL)
//   BM_PostgresNormalizeAndLoad    the normalizer feeding the engine, as `matomo-etl load` runs it
// The server: METL_BENCH_POSTGRES_URL, else a throwaway one started with tests/postgres-fixture.sh
// (fsync off, as in the tests: this measures our side and PostgreSQL's CPU, not the disk).
// Baseline (2026-11-27, 2 shared cores, load average ~4, PostgreSQL 15 local, lz4 TOAST), 28.7k rows
// per partition: ~60k rows/s (4.3k visits/s) with the jsonb raw visits, ~180k rows/s without them;
// our side (COPY text encoding) is ~50 ms of the ~480 ms: the rest is PostgreSQL parsing jsonb.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/time_zone.h"
#include "normalize/test_support.h"
#include "normalize/visit_normalizer.h"
#include "warehouse/warehouse.h"

namespace metl {
namespace {

const std::filesystem::path kSourceDir = std::filesystem::path(__FILE__).parent_path().parent_path();
constexpr size_t kVisitsPerPartition = 2000;

std::string& OwnServerDir() {
  static std::string dir;
  return dir;
}

void StopOwnServer() {
  if (OwnServerDir().empty()) return;
  std::string cmd = (kSourceDir / "tests/postgres-fixture.sh").string() + " stop " + OwnServerDir();
  if (std::system(cmd.c_str()) != 0) std::cerr << "postgres bench: could not stop " << OwnServerDir() << "\n";
}

std::string ServerUrl() {
  static std::string url = [] {
    if (const char* env = std::getenv("METL_BENCH_POSTGRES_URL"); env && *env) return std::string(env);
    std::string dir =
        (std::filesystem::temp_directory_path() / ("metl-bench-pg-" + std::to_string(::getpid()))).string();
    std::string cmd = (kSourceDir / "tests/postgres-fixture.sh").string() + " start " + dir + " >/dev/null";
    if (std::system(cmd.c_str()) != 0) return std::string();
    OwnServerDir() = dir;
    std::atexit(StopOwnServer);
    std::string uri = test_support::ReadFileOrEmpty(dir + "/uri");
    while (!uri.empty() && (uri.back() == '\n' || uri.back() == ' ')) uri.pop_back();
    return uri;
  }();
  return url;
}

struct Corpus {
  std::string text;
  std::vector<std::string_view> lines;
};

const Corpus& ShopDay() {
  static Corpus c = [] {
    Corpus corpus;
    corpus.text = test_support::ReadFileOrEmpty(
        (kSourceDir / "tests/data/matomo-5.1.2/live_site1_day_limit100_offset0.json").string());
    std::vector<std::string_view> day = test_support::SplitJsonArray(corpus.text);
    while (!day.empty() && corpus.lines.size() < kVisitsPerPartition) {
      for (auto l : day) corpus.lines.push_back(l);
    }
    return corpus;
  }();
  return c;
}

// Keeps copies of the batches the normalizer hands over.
class KeepingSink : public RowSink {
 public:
  void Consume(const TableBatch& batch) override { batches.push_back(batch); }
  std::vector<TableBatch> batches;
};

const warehouse::PartitionKey kKey{1, CivilDate::FromYmd(2026, 11, 25)};

Status Normalize(const Corpus& corpus, RowSink& sink) {
  static const auto zone = *TimeZone::Load("UTC");
  VisitNormalizer n(zone, kKey.site_id, kKey.date, 1795723200, &sink, NormalizerOptions{});
  for (size_t i = 0; i < corpus.lines.size(); ++i) METL_TRY(n.AddVisit(corpus.lines[i], i + 1));
  METL_TRY(n.Finish());
  return OkStatus();
}

struct Target {
  std::unique_ptr<warehouse::Warehouse> warehouse;
  std::unique_ptr<warehouse::Session> session;
  std::vector<const TableDef*> tables;
};

// A fresh schema per benchmark, migrated like the loader does it.
bool Open(benchmark::State& state, Target& t) {
  std::string base = ServerUrl();
  if (base.empty()) {
    state.SkipWithError("no PostgreSQL server (set METL_BENCH_POSTGRES_URL or install PostgreSQL)");
    return false;
  }
  static int counter = 0;
  std::string url = base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=bench_" +
                    std::to_string(::getpid()) + "_" + std::to_string(counter++);
  auto wh = warehouse::OpenWarehouse(url);
  Status st = wh.ok() ? (*wh)->Migrate(AllTables()) : Status(wh.error());
  if (!st.ok()) {
    state.SkipWithError(st.error().ToString().c_str());
    return false;
  }
  auto session = (*wh)->Connect();
  if (!session.ok()) {
    state.SkipWithError(session.error().ToString().c_str());
    return false;
  }
  t.warehouse = std::move(*wh);
  t.session = std::move(*session);
  // Arg 1: without matomo_raw_visits, to show what jsonb parsing of the raw visits costs.
  for (const TableDef& def : CuratedTables()) {
    if (state.range(0) == 1 && def.name == "matomo_raw_visits") continue;
    t.tables.push_back(&def);
  }
  return true;
}

warehouse::LedgerEntry Ledger(int64_t visits) {
  warehouse::LedgerEntry e;
  e.key = kKey;
  e.visits = visits;
  e.content_hash = "bench";
  e.status = std::string(warehouse::kLedgerLoaded);
  e.loaded_at = 1795723200;
  return e;
}

void SetCounters(benchmark::State& state, size_t rows, size_t bytes) {
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * rows), benchmark::Counter::kIsRate);
  state.counters["visits/s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * ShopDay().lines.size()), benchmark::Counter::kIsRate);
  state.counters["rows/partition"] = static_cast<double>(rows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_PostgresReplacePartition(benchmark::State& state) {
  Target t;
  if (!Open(state, t)) return;
  KeepingSink sink;
  if (Status st = Normalize(ShopDay(), sink); !st.ok()) {
    state.SkipWithError(st.error().ToString().c_str());
    return;
  }
  std::vector<const TableBatch*> batches;
  size_t rows = 0;
  for (const auto& b : sink.batches) {
    if (state.range(0) == 1 && b.table().name == "matomo_raw_visits") continue;
    batches.push_back(&b);
    rows += b.rows();
  }
  for (auto _ : state) {
    auto load = t.session->BeginPartition(kKey, t.tables);
    if (!load.ok()) {
      state.SkipWithError(load.error().ToString().c_str());
      return;
    }
    for (const TableBatch* b : batches) (*load)->Consume(*b);
    if (Status st = (*load)->Commit(Ledger(static_cast<int64_t>(ShopDay().lines.size()))); !st.ok()) {
      state.SkipWithError(st.error().ToString().c_str());
      return;
    }
  }
  SetCounters(state, rows, ShopDay().text.size() * ShopDay().lines.size() / 100);
}

// Counts what passes through to the engine.
class CountingForward : public RowSink {
 public:
  explicit CountingForward(RowSink& next) : next_(next) {}
  void Consume(const TableBatch& batch) override {
    rows += batch.rows();
    next_.Consume(batch);
  }
  size_t rows = 0;

 private:
  RowSink& next_;
};

void BM_PostgresNormalizeAndLoad(benchmark::State& state) {
  Target t;
  if (!Open(state, t)) return;
  size_t rows = 0;
  for (auto _ : state) {
    auto load = t.session->BeginPartition(kKey, t.tables);
    if (!load.ok()) {
      state.SkipWithError(load.error().ToString().c_str());
      return;
    }
    CountingForward sink(**load);
    if (Status st = Normalize(ShopDay(), sink); !st.ok()) {
      state.SkipWithError(st.error().ToString().c_str());
      return;
    }
    rows = sink.rows;
    if (Status st = (*load)->Commit(Ledger(static_cast<int64_t>(ShopDay().lines.size()))); !st.ok()) {
      state.SkipWithError(st.error().ToString().c_str());
      return;
    }
  }
  SetCounters(state, rows, ShopDay().text.size() * ShopDay().lines.size() / 100);
}

BENCHMARK(BM_PostgresReplacePartition)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("without_raw")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_PostgresNormalizeAndLoad)->Arg(0)->ArgName("without_raw")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace metl
