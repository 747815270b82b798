// The partitions of one group on their way to BigQuery (bq_warehouse.h steps 1-4): their rows as
// NDJSON files on local disk, one per table, then uploaded, loaded into expiring staging tables under
// deterministic job ids, and published by one multi-statement transaction. With a BqDryRun, Publish
// prints those steps (and the `bq` / `gcloud storage` commands that do the same) instead of sending them.
#pragma once

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "objstore/object_store.h"
#include "warehouse/bigquery/bq_client.h"
#include "warehouse/bigquery/bq_dry_run.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse::bq_engine {

// One table's rows of a group, as an NDJSON file.
struct StagedTable {
  const TableDef* table = nullptr;
  std::filesystem::path path;
  FILE* file = nullptr;
  std::string buffer;
  int64_t rows = 0;
};

class StagedGroup {
 public:
  // `staging`: the gs:// store the files go through, `staging_uri` its gs://BUCKET/PREFIX (nullptr
  // and "": BigQuery's media upload). `dry_run`: print the plan, send nothing.
  StagedGroup(BqClient& client, objstore::ObjectStore* staging, std::string staging_uri, std::string run_id,
              std::filesystem::path dir, BqDryRun* dry_run);
  ~StagedGroup();

  Status AddTables(const std::vector<const TableDef*>& tables);
  Status Append(const TableBatch& batch);
  void AddPartition(const PartitionKey& key, const LedgerEntry& entry) { partitions_.push_back({key, entry}); }
  bool empty() const { return partitions_.empty(); }
  Status Publish();

 private:
  struct StagedPartition {
    PartitionKey key;
    LedgerEntry entry;
  };

  Status Flush(StagedTable& t);
  Status LoadIntoStaging(const StagedTable& t, const std::string& stage, const std::string& job_base);
  std::string LoadJobJson(const StagedTable& t, const std::string& stage, const std::string& job_id,
                          const std::string& source_uri) const;
  std::string StagingUri(const std::string& key) const;
  std::string KeysPredicate(const TableDef& table) const;
  std::string PublishSql(const std::string& base) const;
  Status RunPublish(const std::string& base);
  void PrintPlan(const std::string& base) const;

  BqClient& client_;
  objstore::ObjectStore* staging_;
  std::string staging_uri_;
  std::string run_id_;
  std::filesystem::path dir_;
  BqDryRun* dry_run_;
  std::map<std::string, StagedTable, std::less<>> tables_;
  std::vector<StagedPartition> partitions_;
  std::vector<std::string> staged_objects_;  // keys in staging_
};

}  // namespace metl::warehouse::bq_engine
