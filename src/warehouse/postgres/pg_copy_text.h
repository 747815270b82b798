// Rendering of typed batches as PostgreSQL `COPY ... FROM STDIN` text format: one line per row,
// tab between columns, `\N` for null, and backslash, tab, newline and carriage return escaped.
// Values are rendered exactly: decimals from their int64 micro-units (never through a double),
// doubles in shortest round-trip form, instants as ISO text with `+00`, local wall times without zone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "normalize/table_batch.h"

namespace metl::warehouse::pg_engine {

// Text with COPY escapes. PostgreSQL text cannot hold NUL bytes: they become U+FFFD.
void AppendCopyEscaped(std::string_view text, std::string& out);
// JSON text for a jsonb column: COPY escapes, plus the JSON escape \u0000, which jsonb rejects,
// rewritten to \ufffd (the only change; everything else reaches PostgreSQL as received).
void AppendCopyJson(std::string_view json, std::string& out);
// 12345678 micro-units -> "12.345678"; -5 -> "-0.000005". Always six decimals: numeric(18,6).
void AppendDecimalMicros(int64_t micros, std::string& out);
// Days since 1970-01-01 -> "YYYY-MM-DD".
void AppendDate(int64_t days, std::string& out);
// Microseconds since 1970-01-01 00:00 -> "YYYY-MM-DD HH:MM:SS[.ffffff]" plus "+00" when utc.
void AppendTimestampMicros(int64_t micros, bool utc, std::string& out);
// One value of a column in COPY text form (`\N` when null).
void AppendCopyValue(const ColumnVector& column, size_t row, std::string& out);
// Rows [begin, end) of a batch, every column in declaration order, each row ending in '\n'.
void AppendCopyRows(const TableBatch& batch, size_t begin, size_t end, std::string& out);

}  // namespace metl::warehouse::pg_engine
