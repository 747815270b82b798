#include "warehouse/bigquery/bq_dry_run.h"

#include "warehouse/bigquery/bq_schema.h"

namespace metl::warehouse::bq_engine {

void BqDryRun::Say(std::string_view line) const {
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void BqDryRun::Block(std::string_view text, std::string_view indent) const {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    Say(std::string(indent) + std::string(text.substr(start, end - start)));
    start = end + 1;
  }
}

std::string ShellQuote(std::string_view s) {
  bool plain = !s.empty();
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-_./:=,@").find(c) == std::string_view::npos)
      plain = false;
  }
  if (plain) return std::string(s);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string BqCommand(const BqTarget& target) {
  return "bq --project_id=" + ShellQuote(target.project) + " --location=" + ShellQuote(target.location);
}

std::string InlineSchema(const TableDef& table) {
  std::string out;
  for (const ColumnDef& c : table.columns) {
    out += (out.empty() ? "" : ",") + std::string(c.name) + ":" + std::string(BqTypeName(c.type));
  }
  return out;
}

}  // namespace metl::warehouse::bq_engine
