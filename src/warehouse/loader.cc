#include "warehouse/loader.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/log.h"
#include "core/time_zone.h"
#include "models/models.h"
#include "normalize/visit_normalizer.h"
#include "warehouse/ddl.h"
#include "warehouse/ledger.h"
#include "warehouse/load_groups.h"

namespace metl::warehouse {
namespace {

// Bounds what a failed or killed group of partitions redoes (the planner: load_groups.h).
constexpr size_t kMaxPartitionsPerGroup = 100;

// Counts rows on their way to the engine's sink.
class CountingSink final : public RowSink {
 public:
  explicit CountingSink(RowSink* inner) : inner_(inner) {}
  void Consume(const TableBatch& batch) override {
    rows_ += static_cast<int64_t>(batch.rows());
    inner_->Consume(batch);
  }
  int64_t rows() const { return rows_; }

 private:
  RowSink* inner_;
  int64_t rows_ = 0;
};

std::vector<const TableDef*> PartitionTables(bool raw_as_table) {
  std::vector<const TableDef*> tables;
  for (const TableDef& t : CuratedTables()) {
    if (!raw_as_table && t.name == "matomo_raw_visits") continue;
    tables.push_back(&t);
  }
  return tables;
}

LedgerEntry EntryFromManifest(const landing::Manifest& m, const LoadOptions& options, const Clock& clock) {
  LedgerEntry e;
  e.key = PartitionKey{m.site_id, m.date};
  e.visits = m.visits;
  e.content_hash = m.content_sha256;
  e.status = std::string(kLedgerLoaded);
  e.loaded_at = clock.NowEpochSeconds();
  e.landing_status = landing::PartitionStatusName(m.status);
  e.matomo_nb_visits = m.matomo_nb_visits;
  e.truncated_visits = m.truncated_visits;
  e.bytes = m.bytes;
  if (auto t = ParseTimestamp(m.extracted_at); t.ok()) e.extracted_at = *t;
  e.etl_version = options.etl_version;
  // Which exit fed the partition: `dwc load` marks its partitions (dwc/dwc_partitions.cc).
  e.source = "live";
  for (const auto& [k, v] : m.request) {
    if (k == "source") e.source = v;
  }
  return e;
}

// Every visit of the partition through the normalizer, then its last batches.
Status NormalizeAll(landing::PartitionReader& reader, VisitNormalizer& normalizer) {
  size_t line_no = 0;
  std::string_view line;
  while (true) {
    METL_ASSIGN_OR_RETURN(bool more, reader.Next(line));
    if (!more) break;
    ++line_no;
    METL_TRY(normalizer.AddVisit(line, line_no));
  }
  return normalizer.Finish();
}

// Loads one partition in `session`. The manifest has been read already.
Status LoadOne(Session& session, const Capabilities& caps, const landing::LandingZone& landing_zone,
               const landing::PartitionRef& ref,
               const landing::Manifest& manifest, const LoadOptions& options, const Clock& clock,
               PartitionOutcome& outcome) {
  const std::string date = ref.date.ToString();
  METL_ASSIGN_OR_RETURN(auto zone, TimeZone::Load(manifest.site_timezone));
  METL_ASSIGN_OR_RETURN(auto reader, landing::PartitionReader::Open(landing_zone, ref, manifest));
  const bool raw_as_table = !caps.raw_visits_view && options.raw_visits_in_warehouse;
  METL_ASSIGN_OR_RETURN(auto load, session.BeginPartition(outcome.key, PartitionTables(raw_as_table)));
  LedgerEntry entry = EntryFromManifest(manifest, options, clock);
  NormalizerOptions nopts;
  nopts.emit_raw_visits = raw_as_table;
  // Reading and normalizing run on a thread of their own while this one appends, so the two overlap
  // (the engine's appends are most of the work: bench/results/profile.md).
  NormalizerStats stats;
  int64_t rows = 0;
  METL_TRY(load->ConsumeFrom([&](RowSink& engine) {
    CountingSink sink(&engine);
    VisitNormalizer normalizer(zone, ref.site_id, ref.date, entry.extracted_at.value_or(0), &sink, nopts);
    Status st = NormalizeAll(*reader, normalizer);
    stats = normalizer.stats();
    rows = sink.rows();
    return st;
  }));
  if (stats.visits != manifest.visits) {
    return Error(ErrorKind::kData, "the manifest says " + std::to_string(manifest.visits) + " visits but the parts hold " +
                                       std::to_string(stats.visits))
        .WithHint("re-extract the day: matomo-etl extract --site " + std::to_string(ref.site_id) + " --from " + date +
                  " --to " + date);
  }
  METL_TRY(load->Commit(entry));
  outcome.visits = stats.visits;
  outcome.rows = rows;
  outcome.money_out_of_range = stats.money_out_of_range;
  outcome.money_out_of_range_visits = std::move(stats.money_out_of_range_visits);
  return OkStatus();
}

// Money beyond DECIMAL(18,6) is loaded as null: say so, with where to look (docs/schema.md).
void WarnMoneyOutOfRange(const PartitionOutcome& o) {
  LogWarn("money beyond DECIMAL(18,6) loaded as NULL (the raw visit keeps the exact value)",
          {{"site", o.key.site_id}, {"date", o.key.date.ToString()},
           {"values", o.money_out_of_range}, {"visits", o.money_out_of_range_visits}});
}

// The end of --full-refresh. Each landed partition has been replaced in a transaction of its own, as
// in any load, instead of emptying the tables first: readers never see them empty nor a day
// half-loaded, and a refresh killed midway leaves every day complete, old or new. What emptying
// would also have removed goes here, in one transaction: the partitions of the range that are no
// longer landed (ledger rows and data), and rows no ledger row accounts for.
Status DropUnlanded(Session& session, const Capabilities& caps, const std::vector<PartitionKey>& unlanded,
                    const landing::PartitionFilter& filter, const std::vector<const TableDef*>& tables) {
  const TableDef& ledger = LedgerTable();
  // Names through the session: BigQuery quotes with backticks ("date" would be a string there).
  const std::string ledger_name = session.Name(ledger.name), ledger_date = session.Name(ledger.partition_date_column);
  std::vector<std::string> statements;
  for (const PartitionKey& key : unlanded) {
    statements.push_back("DELETE FROM " + ledger_name + " WHERE site_id = " + std::to_string(key.site_id) + " AND " +
                         ledger_date + " = DATE " + QuoteLiteral(key.date.ToString()));
  }
  for (const TableDef* t : tables) {
    const std::string name = session.Name(t->name), date = name + "." + session.Name(t->partition_date_column);
    std::string sql = "DELETE FROM " + name + " WHERE NOT EXISTS (SELECT 1 FROM " + ledger_name +
                      " l WHERE l.site_id = " + name + ".site_id AND l." + ledger_date + " = " + date + ")";
    if (!filter.sites.empty()) sql += " AND " + name + "." + SiteIdIn(filter.sites);
    if (filter.from) sql += " AND " + date + " >= DATE " + QuoteLiteral(filter.from->ToString());
    if (filter.to) sql += " AND " + date + " <= DATE " + QuoteLiteral(filter.to->ToString());
    statements.push_back(std::move(sql));
  }
  Status st = OkStatus();
  if (caps.scripts) {  // one script, its transaction inside (a BigQuery transaction cannot span jobs)
    std::string script = "BEGIN TRANSACTION;\n";
    for (const std::string& sql : statements) script += sql + ";\n";
    st = session.Execute(script + "COMMIT TRANSACTION;");
  } else {
    st = session.Execute("BEGIN TRANSACTION");
    for (size_t i = 0; st.ok() && i < statements.size(); ++i) st = session.Execute(statements[i]);
    if (st.ok()) st = session.Execute("COMMIT");
    if (!st.ok()) (void)session.Execute("ROLLBACK");
  }
  if (st.ok() && !unlanded.empty()) {
    LogInfo("full refresh: removed the partitions that are no longer landed",
            {{"partitions", unlanded.size()}});
  }
  return st;
}

}  // namespace

Result<LoadSummary> LoadPartitions(Warehouse& warehouse, const LoadOptions& options, const Clock& clock) {
  const double started = MonotonicSeconds();
  const Capabilities& caps = warehouse.capabilities();
  METL_TRY(warehouse.Migrate(AllTables()));
  METL_ASSIGN_OR_RETURN(auto main_session, warehouse.Connect());

  if (!options.raw_visits_in_warehouse) {
    // raw_visits = "landing": the table holds no day at all, whatever an earlier setting loaded, so
    // that it never answers for some days and not others.
    METL_TRY(main_session->Execute("DELETE FROM matomo_raw_visits WHERE TRUE"));  // BigQuery: WHERE is required
  }

  landing::LandingZone zone(options.landing);
  METL_ASSIGN_OR_RETURN(auto refs, zone.ListPartitions(options.filter));
  METL_ASSIGN_OR_RETURN(auto ledger, ReadLedger(*main_session, options.filter.sites, options.filter.from,
                                                options.filter.to));
  std::map<PartitionKey, LedgerEntry> by_key;
  for (auto& e : ledger) by_key[e.key] = std::move(e);

  LoadSummary summary;
  summary.partitions.resize(refs.size());
  std::vector<landing::Manifest> manifests(refs.size());
  std::vector<size_t> due;
  for (size_t i = 0; i < refs.size(); ++i) {
    PartitionOutcome& o = summary.partitions[i];
    o.key = PartitionKey{refs[i].site_id, refs[i].date};
    auto m = zone.ReadManifest(refs[i]);
    if (!m.ok()) {
      o.result = PartitionResult::kFailed;
      o.error = std::move(m).error().WithSite(o.key.site_id).WithDate(o.key.date.ToString());
      continue;
    }
    manifests[i] = std::move(m).value();
    auto it = by_key.find(o.key);
    bool unchanged = it != by_key.end() && it->second.status == kLedgerLoaded &&
                     it->second.content_hash == manifests[i].content_sha256;
    if (unchanged && !options.force && !options.full_refresh) {
      o.result = PartitionResult::kSkipped;
      o.visits = it->second.visits;
      continue;
    }
    due.push_back(i);
  }

  std::vector<int64_t> visits(manifests.size());
  for (size_t i = 0; i < manifests.size(); ++i) visits[i] = manifests[i].visits;
  const std::vector<std::vector<size_t>> groups =
      PlanLoadGroups(due, visits, caps.group_visits, kMaxPartitionsPerGroup);
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (!caps.concurrent_writers) {
    if (options.threads > 1) {
      LogInfo("this warehouse loads with one writer (faster here than several): --threads is for PostgreSQL",
              {{"engine", std::string(caps.engine)}});
    }
    threads = 1;
  }
  threads = std::max(1, std::min<int>(threads, static_cast<int>(groups.size())));
  // Bounded memory while partitions load (data past the limit spills to PATH.tmp instead of growing
  // with the day); the models after them get the engine's usual memory.
  if (!due.empty()) METL_TRY(warehouse.PrepareFor(threads));
  std::atomic<size_t> next{0};
  std::mutex log_mu;
  std::optional<Error> fatal;

  auto report_loaded = [&](const PartitionOutcome& o) {
    std::lock_guard<std::mutex> lock(log_mu);
    LogInfo(options.dry_run ? "would load" : "loaded", {{"site", o.key.site_id}, {"date", o.key.date.ToString()},
                       {"visits", o.visits}, {"rows", o.rows}});
    if (o.money_out_of_range > 0) WarnMoneyOutOfRange(o);
  };

  // One partition in a transaction of its own: it loads, or fails alone with a `failed` ledger row.
  auto load_alone = [&](Session* session, size_t i) {
    PartitionOutcome& o = summary.partitions[i];
    const double t0 = MonotonicSeconds();
    Status st = LoadOne(*session, caps, zone, refs[i], manifests[i], options, clock, o);
    o.seconds = MonotonicSeconds() - t0;
    if (st.ok()) {
      o.result = PartitionResult::kLoaded;
      report_loaded(o);
      return;
    }
    Error err = std::move(st).error();
    // (a new Error: assigning `std::move(err).With...()` to err itself would move its message away)
    if (!err.context().site_id) err = Error(std::move(err).WithSite(o.key.site_id).WithDate(o.key.date.ToString()));
    o.result = PartitionResult::kFailed;
    LedgerEntry failed = EntryFromManifest(manifests[i], options, clock);
    failed.status = std::string(kLedgerFailed);
    failed.last_error = err.ToString();
    Status ls = session->WriteLedger(failed);
    std::lock_guard<std::mutex> lock(log_mu);
    if (!ls.ok() && !fatal) fatal = std::move(ls).error();
    LogError("partition failed", {{"site", o.key.site_id}, {"date", o.key.date.ToString()},
                                  {"error", err.ToString()}});
    o.error = std::move(err);
  };

  // Several partitions in one transaction (Capabilities::group_visits). False, with nothing of the
  // group committed, when any of them or the commit fails: the caller then loads them one by one,
  // so that a failing partition still fails alone and the others load.
  auto load_group = [&](Session* session, const std::vector<size_t>& group) {
    const double t0 = MonotonicSeconds();
    Status st = session->BeginGroup();
    for (size_t k = 0; k < group.size() && st.ok(); ++k) {
      st = LoadOne(*session, caps, zone, refs[group[k]], manifests[group[k]], options, clock, summary.partitions[group[k]]);
    }
    if (st.ok()) st = session->CommitGroup();
    if (!st.ok()) {
      session->AbortGroup();
      LogDebug("a group of partitions failed; loading them one by one",
               {{"partitions", group.size()}, {"error", st.error().ToString()}});
      return false;
    }
    const double each = (MonotonicSeconds() - t0) / static_cast<double>(group.size());
    for (size_t i : group) {
      summary.partitions[i].result = PartitionResult::kLoaded;
      summary.partitions[i].seconds = each;
      report_loaded(summary.partitions[i]);
    }
    return true;
  };

  auto worker = [&](Session* session) {
    while (true) {
      size_t n = next.fetch_add(1);
      if (n >= groups.size()) return;
      const std::vector<size_t>& group = groups[n];
      if (group.size() > 1 && load_group(session, group)) continue;
      for (size_t i : group) load_alone(session, i);
    }
  };

  std::vector<std::unique_ptr<Session>> sessions;
  for (int t = 0; t < threads && !due.empty(); ++t) {
    if (t == 0) {
      sessions.push_back(std::move(main_session));
    } else {
      METL_ASSIGN_OR_RETURN(auto s, warehouse.Connect());
      sessions.push_back(std::move(s));
    }
  }
  if (sessions.size() == 1) {
    worker(sessions[0].get());
  } else {
    std::vector<std::thread> pool;
    for (auto& s : sessions) pool.emplace_back(worker, s.get());
    for (auto& t : pool) t.join();
  }
  if (fatal) return *fatal;
  if (!main_session) main_session = std::move(sessions.front());
  METL_TRY(warehouse.PrepareFor(0));
  if (options.full_refresh) {
    std::set<PartitionKey> landed;
    for (const auto& ref : refs) landed.insert(PartitionKey{ref.site_id, ref.date});
    std::vector<PartitionKey> unlanded;
    for (const auto& [key, entry] : by_key) {
      if (!landed.count(key)) unlanded.push_back(key);
    }
    METL_TRY(DropUnlanded(*main_session, caps, unlanded, options.filter, PartitionTables(!caps.raw_visits_view)));
  }
  // The report and analysis tables: rebuilt for the days loaded now, or for every day on a full refresh.
  std::vector<PartitionKey> touched;
  for (const auto& o : summary.partitions) {
    if (o.result == PartitionResult::kLoaded) touched.push_back(o.key);
  }
  METL_TRY(models::RunModels(*main_session, caps, options.full_refresh ? nullptr : &touched));
  models::AnalysisScope analysis_scope;
  analysis_scope.full = options.full_refresh;
  analysis_scope.touched = touched;
  METL_TRY(models::RunAnalysisModels(*main_session, caps, options.analysis, analysis_scope));

  for (const auto& o : summary.partitions) {
    switch (o.result) {
      case PartitionResult::kLoaded: ++summary.loaded; summary.rows += o.rows; summary.visits += o.visits; break;
      case PartitionResult::kSkipped: ++summary.skipped; break;
      case PartitionResult::kFailed: ++summary.failed; break;
    }
  }
  summary.seconds = MonotonicSeconds() - started;
  return summary;
}

}  // namespace metl::warehouse
