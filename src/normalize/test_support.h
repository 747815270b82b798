// Test helpers for the normalizer (header-only; used by *_test.cc and bench/): a sink that keeps
// every row as text, and a splitter that turns a Matomo JSON array response into byte-exact lines.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/batch_text.h"
#include "normalize/table_batch.h"

namespace metl::test_support {

class TextSink : public RowSink {
 public:
  void Consume(const TableBatch& batch) override {
    std::string name(batch.table().name);
    rows[name] += RenderRows(batch);
    counts[name] += batch.rows();
    ++batches;
    for (size_t c = 0; c < batch.column_count(); ++c) {
      if (batch.column(c).type() != LogicalType::kJson) continue;
      for (size_t r = 0; r < batch.rows(); ++r) json_values.emplace_back(batch.column(c).Text(r));
    }
  }
  std::vector<std::string> json_values;  // kJson values as stored (unescaped)
  std::map<std::string, std::string> rows;  // table -> rendered rows
  std::map<std::string, size_t> counts;
  size_t batches = 0;
};

// Counts rows only (benchmarks).
class CountingSink : public RowSink {
 public:
  void Consume(const TableBatch& batch) override { rows += batch.rows(); }
  size_t rows = 0;
};

// The top-level elements of a JSON array, each as its exact bytes (no re-encoding).
inline std::vector<std::string_view> SplitJsonArray(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = text.find('[');
  if (i == std::string_view::npos) return out;
  int depth = 0;
  bool in_string = false;
  size_t start = 0;
  for (++i; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      if (depth == 0) start = i;
    } else if (c == '{' || c == '[') {
      if (depth++ == 0) start = i;
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // the array's own ']'
      if (--depth == 0) out.push_back(text.substr(start, i + 1 - start));
    }
  }
  return out;
}

inline std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace metl::test_support
