#include "cli/result_format.h"

#include <algorithm>
#include <vector>

#include "core/log.h"  // JsonEscape

namespace metl::cli {
namespace {

using warehouse::ColumnKind;
using warehouse::QueryResult;

ColumnKind KindAt(const QueryResult& r, size_t c) { return c < r.kinds.size() ? r.kinds[c] : ColumnKind::kText; }

// Characters on screen, roughly: UTF-8 continuation bytes take no column.
size_t DisplayWidth(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char ch) {
    return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  }));
}

// A cell on one line: a line break inside a value (JSON, a page title) would break the table.
std::string TableCell(const std::optional<std::string>& v) {
  if (!v) return "NULL";
  std::string out;
  out.reserve(v->size());
  for (char ch : *v) {
    if (ch == '\n') out += "\\n";
    else if (ch == '\r') out += "\\r";
    else if (ch == '\t') out += "\\t";
    else out += ch;
  }
  return out;
}

void Pad(std::string& out, size_t n) { out.append(n, ' '); }

std::string Table(const QueryResult& r) {
  const size_t cols = r.columns.size();
  std::vector<std::vector<std::string>> cells;
  cells.reserve(r.rows.size());
  std::vector<size_t> width(cols);
  for (size_t c = 0; c < cols; ++c) width[c] = DisplayWidth(r.columns[c]);
  for (const auto& row : r.rows) {
    std::vector<std::string>& line = cells.emplace_back();
    for (size_t c = 0; c < cols; ++c) {
      line.push_back(TableCell(c < row.size() ? row[c] : std::nullopt));
      width[c] = std::max(width[c], DisplayWidth(line.back()));
    }
  }
  auto emit = [&](std::string& out, const std::vector<std::string>& values, bool header) {
    for (size_t c = 0; c < cols; ++c) {
      if (c) out += " | ";
      const size_t gap = width[c] - DisplayWidth(values[c]);
      const bool right = !header && KindAt(r, c) == ColumnKind::kNumber;
      if (right) Pad(out, gap);
      out += values[c];
      if (!right && c + 1 < cols) Pad(out, gap);
    }
    out += '\n';
  };
  std::string out;
  emit(out, r.columns, true);
  for (size_t c = 0; c < cols; ++c) {
    if (c) out += "-+-";
    out.append(width[c], '-');
  }
  out += '\n';
  for (const auto& line : cells) emit(out, line, false);
  out += "(" + std::to_string(r.rows.size()) + (r.rows.size() == 1 ? " row)\n" : " rows)\n");
  return out;
}

std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string Csv(const QueryResult& r) {
  std::string out;
  for (size_t c = 0; c < r.columns.size(); ++c) out += (c ? "," : "") + CsvField(r.columns[c]);
  out += "\r\n";
  for (const auto& row : r.rows) {
    for (size_t c = 0; c < r.columns.size(); ++c) {
      if (c) out += ',';
      if (c < row.size() && row[c]) out += CsvField(*row[c]);
    }
    out += "\r\n";
  }
  return out;
}

// A JSON number as RFC 8259 writes it: engines render NaN and infinities, which JSON has not.
bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  if (s[i] == '0' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') return false;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i < s.size() && s[i] == '.') {
    if (++i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (++i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  return i == s.size();
}

std::string JsonValue(const std::optional<std::string>& v, ColumnKind kind) {
  if (!v) return "null";
  if (kind == ColumnKind::kNumber && IsJsonNumber(*v)) return *v;
  if (kind == ColumnKind::kBool && (*v == "true" || *v == "false")) return *v;
  return "\"" + JsonEscape(*v) + "\"";
}

std::string Json(const QueryResult& r) {
  std::string out = "[";
  for (size_t i = 0; i < r.rows.size(); ++i) {
    out += i ? ",\n{" : "\n{";
    for (size_t c = 0; c < r.columns.size(); ++c) {
      if (c) out += ',';
      out += "\"" + JsonEscape(r.columns[c]) + "\":";
      out += JsonValue(c < r.rows[i].size() ? r.rows[i][c] : std::nullopt, KindAt(r, c));
    }
    out += '}';
  }
  out += r.rows.empty() ? "]\n" : "\n]\n";
  return out;
}

}  // namespace

bool ParseResultFormat(std::string_view text, ResultFormat& out) {
  if (text == "table") out = ResultFormat::kTable;
  else if (text == "csv") out = ResultFormat::kCsv;
  else if (text == "json") out = ResultFormat::kJson;
  else return false;
  return true;
}

std::string FormatResult(const QueryResult& result, ResultFormat format) {
  switch (format) {
    case ResultFormat::kTable: return Table(result);
    case ResultFormat::kCsv: return Csv(result);
    case ResultFormat::kJson: return Json(result);
  }
  return Table(result);
}

}  // namespace metl::cli
