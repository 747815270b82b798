#include "warehouse/clickhouse/ch_partition_load.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "core/log.h"
#include "warehouse/ledger.h"

namespace metl::warehouse::ch_engine {
namespace {

// RowBinary buffered per table before an INSERT into staging: bounds memory per partition.
constexpr size_t kInsertFlushBytes = 16 << 20;

// One table's staging on the owning shard.
struct Staged {
  const TableDef* table = nullptr;
  std::string local;    // the live local table
  std::string staging;  // its staging table
  std::string buffer;   // RowBinary not yet sent
  int64_t rows = 0;
  int64_t visit_id_sum = 0;  // wraps like ClickHouse's sum(Int64)
  int visit_id_col = -1;
  bool created = false;  // the staging table exists
};

class ChPartitionLoad final : public PartitionLoad {
 public:
  ChPartitionLoad(const ChContext& ctx, PartitionKey key, size_t shard) : ctx_(ctx), key_(key), shard_(shard) {}
  ~ChPartitionLoad() override { Abort(); }

  // Staging tables are created when a table's first rows are sent: a table without rows in this
  // partition needs none (its partition is dropped instead).
  Status Start(const std::vector<const TableDef*>& tables) {
    const std::string d = key_.date.ToString();
    tag_ = std::to_string(key_.site_id) + "_" + d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2) + "_" + RandomHex(4);
    for (const TableDef* t : tables) {
      Staged s;
      s.table = t;
      s.local = ctx_.LocalName(*t);
      s.staging = std::string(kStagingPrefix) + tag_ + "_" + std::string(t->name);
      s.visit_id_col = t->ColumnIndex("visit_id");
      staged_.emplace(std::string(t->name), std::move(s));
    }
    return OkStatus();
  }

  void Consume(const TableBatch& batch) override {
    if (error_ || batch.rows() == 0) return;
    auto it = staged_.find(std::string(batch.table().name));
    if (it == staged_.end()) {
      error_ = Error(ErrorKind::kInternal,
                     "rows for " + std::string(batch.table().name) + " which this partition load does not replace");
      return;
    }
    Status st = Append(it->second, batch);
    if (!st.ok()) error_ = std::move(st).error();
  }

  Status Commit(const LedgerEntry& entry) override {
    Status st = CommitInner(entry);
    DropStaging();
    if (!st.ok()) return std::move(st).error().WithSite(key_.site_id).WithDate(key_.date.ToString());
    return OkStatus();
  }

  void Abort() override { DropStaging(); }

 private:
  Status Append(Staged& s, const TableBatch& batch) {
    for (size_t r = 0; r < batch.rows(); ++r) {
      METL_TRY(AppendRowBinary(batch, r, s.buffer));
      if (s.visit_id_col >= 0 && !batch.column(s.visit_id_col).IsNull(r)) {
        s.visit_id_sum = static_cast<int64_t>(static_cast<uint64_t>(s.visit_id_sum) +
                                              static_cast<uint64_t>(batch.column(s.visit_id_col).Int(r)));
      }
    }
    s.rows += static_cast<int64_t>(batch.rows());
    if (s.buffer.size() >= kInsertFlushBytes) return Flush(s);
    return OkStatus();
  }

  Status Flush(Staged& s) {
    if (s.buffer.empty()) return OkStatus();
    if (!s.created) {
      METL_TRY(ctx_.client->Execute(shard_, "CREATE TABLE " + ChIdent(s.staging) + " AS " + ChIdent(s.local)));
      created_.push_back(s.staging);
      s.created = true;
    }
    std::string body;
    body.swap(s.buffer);
    return ctx_.client->InsertRowBinary(shard_, ChIdent(s.staging), std::move(body));
  }

  // Step 2 of ch_warehouse.h: each staging table holds exactly what was sent, all of it inside the
  // partition, before anything is swapped. One query for every table (UNION ALL).
  Status CheckAll() {
    std::string sql;
    std::vector<const Staged*> order;
    for (const auto& [name, s] : staged_) {
      if (!s.created) continue;
      const std::string date = ChIdent(s.table->partition_date_column);
      sql += std::string(sql.empty() ? "" : " UNION ALL ") + "SELECT " + std::to_string(order.size()) +
             " AS i, count() AS n, countIf(NOT (site_id = " + std::to_string(key_.site_id) + " AND " + date +
             " = toDate('" + key_.date.ToString() + "'))) AS outside, " +
             (s.visit_id_col >= 0 ? "toString(sum(visit_id))" : "''") + " AS ids FROM " + ChIdent(s.staging);
      order.push_back(&s);
    }
    if (order.empty()) return OkStatus();
    METL_ASSIGN_OR_RETURN(QueryResult r, ctx_.client->Query(shard_, sql));
    if (r.rows.size() != order.size()) return Error(ErrorKind::kInternal, "no result from the staging check");
    for (const auto& row : r.rows) {
      const Staged& s = *order.at(std::strtoull(row[0].value_or("0").c_str(), nullptr, 10));
      const int64_t count = std::strtoll(row[1].value_or("-1").c_str(), nullptr, 10);
      const int64_t outside = std::strtoll(row[2].value_or("-1").c_str(), nullptr, 10);
      std::string problem;
      if (count != s.rows) {
        problem = "holds " + std::to_string(count) + " rows but " + std::to_string(s.rows) + " were sent";
      } else if (outside != 0) {
        problem = "holds " + std::to_string(outside) + " rows outside the partition";
      } else if (s.visit_id_col >= 0 && row[3].value_or("") != std::to_string(s.visit_id_sum)) {
        problem =
            "has sum(visit_id) " + row[3].value_or("NULL") + " but " + std::to_string(s.visit_id_sum) + " was sent";
      }
      if (problem.empty()) continue;
      return Error(ErrorKind::kTransient, "the staging table of " + std::string(s.table->name) + " on " +
                                              ctx_.client->ShardName(shard_) + " " + problem +
                                              "; nothing was swapped in")
          .WithHint("rerun: the partition is loaded again from a fresh staging table");
    }
    return OkStatus();
  }

  // A table with rows swaps its staging partition in; one without has its partition dropped (also
  // atomic for readers: the old rows, then none).
  Status Replace(const Staged& s) {
    if (!s.created) {
      return ctx_.client->Execute(shard_, "ALTER TABLE " + ChIdent(s.local) + " DROP PARTITION " + PartitionExpr(key_));
    }
    return ctx_.client->Execute(shard_, "ALTER TABLE " + ChIdent(s.local) + " REPLACE PARTITION " +
                                            PartitionExpr(key_) + " FROM " + ChIdent(s.staging));
  }

  Status CommitInner(const LedgerEntry& entry) {
    if (error_) return *error_;
    for (auto& [name, s] : staged_) METL_TRY(Flush(s));
    METL_TRY(CheckAll());
    for (auto& [name, s] : staged_) METL_TRY(Replace(s));
    // Strictly after the data (Capabilities::transactions = false): the ledger row. Its partition
    // holds this one row, dropped and then inserted (one block: atomic); a kill in between leaves no
    // ledger row, which the next run reads as "not loaded" and redoes.
    const TableDef& ledger = LedgerTable();
    const std::string local = ctx_.LocalName(ledger);
    TableBatch row(ledger);
    AppendLedgerRow(entry, row);
    std::string body;
    METL_TRY(AppendRowBinary(row, 0, body));
    METL_TRY(ctx_.client->Execute(shard_, "ALTER TABLE " + ChIdent(local) + " DROP PARTITION " + PartitionExpr(key_)));
    return ctx_.client->InsertRowBinary(shard_, ChIdent(local), std::move(body));
  }

  void DropStaging() {
    for (const std::string& t : created_) {
      Status st = ctx_.client->Execute(shard_, "DROP TABLE IF EXISTS " + ChIdent(t));
      if (!st.ok()) LogWarn("ClickHouse: a staging table was not dropped (a later run drops it)", {{"table", t}});
    }
    created_.clear();
  }

  ChContext ctx_;  // a copy: a shared client and the capabilities
  PartitionKey key_;
  size_t shard_;
  std::string tag_;
  std::map<std::string, Staged> staged_;
  std::vector<std::string> created_;
  std::optional<Error> error_;
};

}  // namespace

Result<std::unique_ptr<PartitionLoad>> StartChPartitionLoad(const ChContext& ctx, const PartitionKey& key, size_t shard,
                                                            const std::vector<const TableDef*>& tables) {
  auto load = std::make_unique<ChPartitionLoad>(ctx, key, shard);
  METL_TRY(load->Start(tables));
  return std::unique_ptr<PartitionLoad>(std::move(load));
}

}  // namespace metl::warehouse::ch_engine
