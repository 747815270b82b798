// The values of the simulator's DWC export rows, as JSON text in the shapes of the real sample, and the
// reading of the Live JSON they are derived from (dwc_export.h: each row comes back from a visit's Live
// answer).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace metl::sim::dwcx {

std::string Str(std::string_view s);  // a JSON string
std::string Int(int64_t v);
// FLOAT/DOUBLE columns as the sample prints them: always with a fraction (0.0, 7.5).
std::string Float(double v);
// A text that PHP's urldecode() turns back into `s`: '%' and '+' encoded, everything else as is.
std::string UrlDecodable(std::string_view s);

// A key of a Live object as text, integer or number, whatever JSON type Live gave it; null or absent: none.
std::optional<std::string> GetStr(simdjson::dom::element e, const char* key);
std::optional<int64_t> GetInt(simdjson::dom::element e, const char* key);
std::optional<double> GetDouble(simdjson::dom::element e, const char* key);

// One row: column -> JSON text; absent columns are null.
using Row = std::map<std::string, std::string, std::less<>>;
void SetOpt(Row& r, const char* col, const std::optional<std::string>& v);
void SetOpt(Row& r, const char* col, const std::optional<int64_t>& v);
// The row as a JSONL line, its columns in `columns`' order.
std::string RowJson(const Row& r, const std::vector<std::string_view>& columns);

}  // namespace metl::sim::dwcx
