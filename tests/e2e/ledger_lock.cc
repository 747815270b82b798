#include "ledger_lock.h"

#include <chrono>
#include <thread>

namespace metl::e2e {

Result<std::unique_ptr<LedgerLock>> LedgerLock::Take(const std::string& url) {
  auto lock = std::unique_ptr<LedgerLock>(new LedgerLock());
  METL_ASSIGN_OR_RETURN(lock->warehouse_, warehouse::OpenWarehouse(url));
  METL_ASSIGN_OR_RETURN(lock->blocker_, lock->warehouse_->Connect());
  METL_TRY(lock->blocker_->Execute("BEGIN"));
  METL_TRY(lock->blocker_->Execute("LOCK TABLE matomo_etl_partitions IN EXCLUSIVE MODE"));
  METL_ASSIGN_OR_RETURN(lock->watcher_, lock->warehouse_->Connect());
  return lock;
}

Result<int> LedgerLock::WaitForBlockedPartitions(int partitions, int timeout_ms) {
  int waiting = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (waiting < partitions && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    METL_ASSIGN_OR_RETURN(auto r, watcher_->Query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                                                  "'Lock' AND backend_xid IS NOT NULL "
                                                  "AND query LIKE 'DELETE FROM \"matomo_etl_partitions\"%'"));
    waiting = std::stoi(r.rows.at(0).at(0).value_or("0"));
  }
  return waiting;
}

std::string LedgerLock::Activity() {
  auto activity = watcher_->Query("SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity");
  if (!activity.ok()) return activity.error().ToString();
  std::string text;
  for (const auto& row : activity->rows) {
    for (const auto& v : row) text += v.value_or("NULL").substr(0, 100) + " | ";
    text += "\n";
  }
  return text;
}

Status LedgerLock::Release() {
  return blocker_->Execute("ROLLBACK");
}

}  // namespace metl::e2e
