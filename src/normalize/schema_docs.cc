#include "normalize/schema_docs.h"

#include "normalize/dwc_raw_schema.h"
#include "normalize/schema.h"

namespace metl {
namespace {

std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string Join(const std::vector<std::string_view>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += "`" + std::string(parts[i]) + "`";
  }
  return out;
}

}  // namespace

std::string SchemaMarkdown() {
  std::string md;
  md += "# Data dictionary\n\n";
  md += "<!-- Generated from src/normalize/schema.cc; do not edit. Regenerate with:\n"
        "     matomo-etl schema --markdown > docs/schema.md -->\n\n";
  md += "Every table that matomo-etl writes, with every column: its type, whether it can be null, where it "
        "comes from in Matomo's `Live.getLastVisitsDetails` JSON (`visit.x` is a visit field, "
        "`actionDetails[].x` a field of one action) and what it means.\n\n";
  md += "Conventions:\n\n"
        "- Ids are `BIGINT`. Money is `DECIMAL(18,6)`, parsed from the JSON text (never through a "
        "floating-point number), in the site's currency (`matomo_sites.currency`).\n"
        "- One money value (an order, a goal, a visit's total) holds up to 999,999,999,999.999999; a value "
        "beyond it is loaded as null, never wrapped or rounded, and the load warns naming the site, date, "
        "count and visits (the raw visit keeps the exact text). Widening every money column instead "
        "would carry values past 64-bit micro-units through the normalizer and every engine for orders "
        "no shop takes (10^12 IDR is about 60 million USD). Sums of many values are what reach 10^12 in "
        "IDR or VND: `matomo_daily_kpis.revenue` is `DECIMAL(38,6)` (`NUMERIC(38,6)` in PostgreSQL) "
        "and never overflows; a warehouse made with `DECIMAL(18,6)` sums is widened by the next run.\n"
        "- `TIMESTAMPTZ` columns are true UTC instants. `TIMESTAMP` columns (`*_local`) are the site-local "
        "wall time, as Matomo's reports show it; BI reports are read in site time.\n"
        "- Fact tables are partitioned by `visit_date`, the site-local date of the visit's last action "
        "(the day under which Matomo's reports count the visit); daily tables and the ledger by `date`. "
        "A (site, day) partition is replaced as a whole with its ledger row.\n"
        "- Empty strings from Matomo are stored as null. Fields not listed here are kept in "
        "`matomo_raw_visits`.\n"
        "- `matomo_raw_visits` is a table on every engine, loaded like the others (never a view over the "
        "landing zone): the warehouse does not need the landing zone to answer. It is most of a DuckDB "
        "file's size; with `raw_visits = \"landing\"` (docs/configuration.md) it stays empty and the raw "
        "JSON is kept in the landing zone only.\n\n";
  md += "| Table | Rows |\n|---|---|\n";
  for (const auto& t : AllTables()) {
    md += "| [`" + std::string(t.name) + "`](#" + std::string(t.name) + ") | " + Cell(t.description) + " |\n";
  }
  for (const auto& t : AllTables()) {
    md += "\n## " + std::string(t.name) + "\n\n" + std::string(t.description) + "\n\n";
    md += "Key: " + Join(t.key);
    if (!t.partition_date_column.empty()) md += "; partitioned by `" + std::string(t.partition_date_column) + "`";
    md += t.from_normalizer ? "; filled from the visits by the normalizer.\n\n"
                            : "; filled from the Matomo API or by the models.\n\n";
    md += "| Column | Type | Null | Source | Description |\n|---|---|---|---|---|\n";
    for (const auto& c : t.columns) {
      md += "| `" + std::string(c.name) + "` | " + LogicalTypeName(c.type) + " | " + (c.nullable ? "yes" : "no") +
            " | " + Cell(c.source) + " | " + Cell(c.description) + " |\n";
    }
  }
  md += DwcRawMarkdown();
  return md;
}

// The raw DWC layer: 20 tables of up to 255 columns, each column as exported; one line per column
// type group keeps the dictionary readable (the columns' meanings are Matomo's).
std::string DwcRawMarkdown() {
  std::string md = "\n## The raw DWC layer\n\n";
  md += "`matomo-etl dwc load` keeps Matomo's tables as the Data Warehouse Connector exported them, one table "
        "`matomo_raw_dwc_<table>` per table of the DWC schema (`src/normalize/dwc_schema/`), on DuckDB and "
        "PostgreSQL only ([dwc.md](dwc.md#the-raw-layer)). Columns are the schema's, in its order, typed by it: "
        "INTEGER as BIGINT, FLOAT as DOUBLE, NUMERIC as DECIMAL(18,6), DATETIME and TIMESTAMP as TIMESTAMPTZ (UTC), "
        "TIME as text `HH:MM:SS`, STRING as text; `idvisitor` and `config_id` as 16 lowercase hex digits, "
        "`location_ip` as the IP's text, whichever form the export used. Every column is nullable except the "
        "key. After them: `_dwc_file` (the export file the row came from), `_dwc_file_time` (TIMESTAMPTZ: its "
        "modification time, which orders files: the newest version of a row wins), `_dwc_extra` (JSON: "
        "columns the schema does not declare and values that do not fit their type, null when none) and, in "
        "tables without a primary key, `_dwc_row_hash` (whole-row duplicates are dropped).\n\n";
  md += "| Table | Key | Columns |\n|---|---|---|\n";
  for (const auto& t : DwcRawTables()) {
    std::string cols;
    for (const auto& c : t.def.columns) {
      if (c.source == "dwc load") continue;
      if (!cols.empty()) cols += ", ";
      cols += "`" + std::string(c.name) + "` " + LogicalTypeName(c.type);
    }
    md += "| `" + std::string(t.def.name) + "` | " + (t.upsert ? Join(t.def.key) : "(whole row)") + " | " + cols + " |\n";
  }
  return md;
}

}  // namespace metl
