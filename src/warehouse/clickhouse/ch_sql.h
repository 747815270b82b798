// The few engine-neutral statements that code outside this engine sends (the loader, the ledger,
// `verify`, the shared tests) in ClickHouse's spelling, and on a cluster the routing of a statement:
//   DATE '2026-11-25'             -> toDate('2026-11-25')     (18.16 has no typed literal)
//   TRUE / FALSE                  -> 1 / 0                    (18.16 has no boolean literals)
//   BEGIN / COMMIT / ROLLBACK     -> nothing                  (no transactions: Capabilities says so)
//   DELETE FROM t                 -> TRUNCATE TABLE t
//   DELETE FROM t WHERE c         -> ALTER TABLE t DELETE WHERE c (a mutation; the caller waits for it)
// Tokens inside quotes are never touched.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace metl::warehouse::ch_engine {

struct ChStatement {
  std::string sql;             // "" = nothing to run
  bool is_write = false;       // DDL or DML: on a cluster it goes to every shard's local tables
  std::string mutated_table;   // set for a DELETE turned into a mutation: wait until it is done
  // For a mutation: "SELECT count() FROM t WHERE ..." — when it finds nothing the mutation is skipped
  // (a mutation rewrites every part of the table, even where no row matches).
  std::string precheck_sql;
};

ChStatement TranslateStatement(std::string_view sql);
// For a read through Distributed tables: every JOIN becomes a GLOBAL JOIN (GLOBAL before its ANY/ALL/
// LEFT/... words), so that the right side is read once on the initiating server from the whole
// cluster (18.16 otherwise refuses a Distributed x Distributed join, or looks the right table up in
// the remote server's default database).
std::string GlobalJoins(std::string_view sql);
// Replaces whole identifiers (outside quotes) found in `names` by NAME_local: a write on a cluster
// acts on each shard's local tables. Backquoted identifiers are matched too.
std::string ToLocalNames(std::string_view sql, const std::vector<std::string>& names);

}  // namespace metl::warehouse::ch_engine
