// `matomo-etl load --dry-run` on BigQuery. The engine runs its usual steps on the landed partitions
// (normalizing them into the NDJSON files it would upload, deriving the job ids it would use) but
// sends nothing: no credentials are looked for, no request leaves. Each step is printed instead,
// with the `bq` / `gcloud storage` commands that would do the same by hand.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "normalize/schema.h"
#include "warehouse/bigquery/bq_uri.h"

namespace metl::warehouse::bq_engine {

class BqDryRun {
 public:
  explicit BqDryRun(FILE* out) : out_(out) {}
  void Say(std::string_view line) const;  // one line of the plan
  // `text` (several lines) indented under the previous line.
  void Block(std::string_view text, std::string_view indent) const;
  int NextGroup() { return ++groups_; }
  int NextQuery() { return ++queries_; }

 private:
  FILE* out_;
  int groups_ = 0;
  int queries_ = 0;
};

// Shell quoting ('...') for a word of a printed command.
std::string ShellQuote(std::string_view s);
// `bq --location=L` with the project, as printed commands start.
std::string BqCommand(const BqTarget& target);
// `name:TYPE,...`: bq's inline schema of a table (NUMERIC and BIGNUMERIC without precision).
std::string InlineSchema(const TableDef& table);

}  // namespace metl::warehouse::bq_engine
