// Stops PostgreSQL loads at a known point, mid-partition (postgres_kill_test.cc, postgres_gone_test.cc):
// while this holds an EXCLUSIVE lock on the ledger table, each partition's transaction deletes the old
// rows, COPYs all new rows and then waits on its ledger row.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "warehouse/warehouse.h"

namespace metl::e2e {

class LedgerLock {
 public:
  // Locks the ledger of the (migrated) warehouse at `url` from a session of its own.
  static Result<std::unique_ptr<LedgerLock>> Take(const std::string& url);
  // Polls until `partitions` transactions that have written rows wait on their ledger row, for up to
  // `timeout_ms`; returns how many do at the end.
  Result<int> WaitForBlockedPartitions(int partitions, int timeout_ms = 15000);
  // pg_stat_activity as text, for failure messages.
  std::string Activity();
  // Ends the locking transaction: the blocked loads go on (or find their connection gone).
  Status Release();

 private:
  std::unique_ptr<warehouse::Warehouse> warehouse_;
  std::unique_ptr<warehouse::Session> blocker_;
  std::unique_ptr<warehouse::Session> watcher_;  // another session: pg_stat_activity is a snapshot per transaction
};

}  // namespace metl::e2e
