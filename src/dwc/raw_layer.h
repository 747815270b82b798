// The raw DWC layer (docs/dwc.md "The raw layer"): each export file's rows, typed by the DWC schema,
// merged into `matomo_raw_dwc_<table>` in ONE transaction with the file's file-ledger row, so that a
// file is in the raw layer exactly when the ledger says it was loaded.
//
// Merge rules:
//   - tables with a primary key (the five log tables of DWC.md §0): a row replaces the stored row of
//     its key unless that one came from a newer file. Newer = later modification time, then greater
//     key: the order in which `dwc load` reads files for the curated tables too. Within a file the
//     last line of a key wins. Rows the file's previous version held and this one does not are
//     deleted (a re-delivered file without a data subject's rows: a GDPR deletion).
//   - the other tables: rows are appended, a row equal in every value to a stored one is dropped.
// Rows stream from the file to a temporary staging table in batches; nothing is held whole.
#pragma once

#include <cstdint>
#include <vector>

#include "core/error.h"
#include "dwc/export_files.h"
#include "dwc/file_ledger.h"
#include "normalize/dwc_raw_schema.h"
#include "warehouse/warehouse.h"

namespace metl::dwc {

// The indexes each file's merge relies on, created where missing (an existing warehouse gets them on
// its next run): a unique index on the table's key ("<table>_key_idx": the primary key of the five
// log tables, _dwc_row_hash for the others), which the merge looks its rows up by, and one on
// _dwc_file ("<table>__dwc_file_idx"), which it deletes a file's previous version by. Without them
// PostgreSQL scans the whole table for each file (`dwc load` calls it on PostgreSQL only: DuckDB's
// merge joins by hash over its columns, indexes or not). CREATE INDEX IF NOT EXISTS briefly locks
// the table against writers, and only `dwc load` writes these tables.
Status EnsureRawIndexes(warehouse::Session& session, const std::vector<DwcRawTable>& tables);

// Merges `file` into `table` (nullptr: a file of no raw table, only its ledger row is written) and
// writes `ledger` (its `rows` set to the rows read), all in one transaction; `types` are the engine's. A malformed line or a
// row without its primary key fails the file (naming its key and line) and changes nothing.
// Returns the rows read.
Result<int64_t> LoadRawFile(warehouse::Session& session, const warehouse::TypeNames& types, const ExportFile& file,
                            const DwcRawTable* table, LedgerFile ledger);

}  // namespace metl::dwc
