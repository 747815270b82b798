// The DWC file ledger (matomo_etl_dwc_files): one row per export file ingested, so that each file
// is read into the curated tables once, and again when its ETag changes. Written only after the
// days the file touched are loaded: a killed run re-reads the file, rebuilds the same days, and the
// partition ledger's content hashes make that reload a no-op.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/error.h"
#include "normalize/schema.h"
#include "warehouse/warehouse.h"

namespace metl::dwc {

inline constexpr std::string_view kFileLedgerTable = "matomo_etl_dwc_files";
const TableDef& FileLedgerTable();

struct LedgerFile {
  std::string key;
  std::string etag;
  int64_t size = 0;
  std::string table;
  int64_t rows = 0;
  int64_t loaded_at = 0;  // epoch seconds
};

// key -> row.
Result<std::map<std::string, LedgerFile>> ReadFileLedger(warehouse::Session& session);
// The statements that insert or replace one file's row (for a caller's own transaction: the raw layer).
std::string RecordFileSql(const warehouse::Session& session, const LedgerFile& f);
// Inserts or replaces the rows of these files, in one transaction where the engine has them.
Status RecordFiles(warehouse::Session& session, const std::vector<LedgerFile>& files);

}  // namespace metl::dwc
