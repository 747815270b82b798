#include "dwc/dimension_mapping.h"

#include <simdjson.h>

#include <cctype>
#include <cstdlib>

namespace metl::dwc {
namespace {

constexpr std::string_view kColumnPrefix = "custom_dimension_";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Error OptionError(std::string_view entry, const std::string& why) {
  return Error(ErrorKind::kConfig, "dwc_custom_dimensions: '" + std::string(entry) + "': " + why)
      .WithHint("write each dimension as \"site=1 id=2 scope=action index=1\", entries separated by ';' "
                "(Matomo > Administration > Websites > Custom Dimensions shows id, scope and index; docs/dwc.md)");
}

std::optional<int64_t> PositiveInt(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t v = std::strtoll(std::string(text).c_str(), nullptr, 10);
  return v > 0 ? std::optional<int64_t>(v) : std::nullopt;
}

Result<CustomDimensionConfig> ParseEntry(std::string_view entry) {
  CustomDimensionConfig c;
  std::set<std::string, std::less<>> seen;
  size_t pos = 0;
  while (pos < entry.size()) {
    while (pos < entry.size() && std::isspace(static_cast<unsigned char>(entry[pos]))) ++pos;
    size_t end = pos;
    while (end < entry.size() && !std::isspace(static_cast<unsigned char>(entry[end]))) ++end;
    std::string_view field = entry.substr(pos, end - pos);
    pos = end;
    if (field.empty()) continue;
    size_t eq = field.find('=');
    if (eq == std::string_view::npos) return OptionError(entry, "'" + std::string(field) + "' is not key=value");
    std::string_view key = field.substr(0, eq), value = field.substr(eq + 1);
    if (!seen.insert(std::string(key)).second) return OptionError(entry, std::string(key) + " is given twice");
    if (key == "scope") {
      if (value != "visit" && value != "action") return OptionError(entry, "scope must be visit or action");
      c.scope = value;
      continue;
    }
    if (key == "active") {
      if (value != "0" && value != "1") return OptionError(entry, "active must be 0 or 1");
      c.active = value == "1";
      continue;
    }
    auto n = PositiveInt(value);
    if (!n) return OptionError(entry, std::string(key) + " must be a positive integer");
    if (key == "site") {
      c.site_id = *n;
    } else if (key == "id") {
      c.id = *n;
    } else if (key == "index") {
      c.index = *n;
    } else {
      return OptionError(entry, "unknown key " + std::string(key) + " (site, id, scope, index, active)");
    }
  }
  for (const char* key : {"site", "id", "scope", "index"}) {
    if (!seen.count(key)) return OptionError(entry, std::string("missing ") + key);
  }
  return c;
}

}  // namespace

std::string_view DimensionSourceName(DimensionSource source) {
  switch (source) {
    case DimensionSource::kNone: return "none";
    case DimensionSource::kFile: return "custom_dimensions file of the export folder";
    case DimensionSource::kConfig: return "the dwc_custom_dimensions option";
    case DimensionSource::kApi: return "Matomo's API (CustomDimensions.getConfiguredCustomDimensions)";
  }
  return "none";
}

Result<std::vector<CustomDimensionConfig>> ParseDimensionOption(std::string_view text) {
  std::vector<CustomDimensionConfig> out;
  std::set<std::pair<int64_t, int64_t>> ids;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = Trim(text.substr(start, end - start));
    start = end + 1;
    if (entry.empty()) continue;
    METL_ASSIGN_OR_RETURN(CustomDimensionConfig c, ParseEntry(entry));
    if (!ids.insert({c.site_id, c.id}).second) return OptionError(entry, "this site's dimension id is given twice");
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<CustomDimensionConfig>> ParseConfiguredCustomDimensions(std::string_view body, int64_t site_id) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorKind::kTerminal, "CustomDimensions.getConfiguredCustomDimensions for site " +
                                           std::to_string(site_id) + " answered " + why)
        .WithSite(site_id)
        .WithHint("check that the CustomDimensions plugin of this Matomo is up to date, or give the mapping in "
                  "dwc_custom_dimensions (docs/dwc.md)");
  };
  simdjson::padded_string padded(body);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::array array;
  if (parser.iterate(padded).get(doc) || doc.get_array().get(array)) return bad("something that is not a JSON array");
  std::vector<CustomDimensionConfig> out;
  for (auto element : array) {
    std::string_view json;
    if (simdjson::to_json_string(element).get(json)) return bad("a malformed element");
    auto row = ParseRawRow(json, "CustomDimensions.getConfiguredCustomDimensions");
    if (!row.ok()) return bad("an element that is not an object");
    auto c = CustomDimensionFromRow(*row);
    if (!c) return bad("a dimension without idcustomdimension or index");
    c->site_id = site_id;
    out.push_back(std::move(*c));
  }
  return out;
}

Result<std::vector<CustomDimensionConfig>> FetchConfiguredCustomDimensions(matomo::MatomoClient& client,
                                                                          int64_t site_id) {
  auto body = client.CallRaw("CustomDimensions.getConfiguredCustomDimensions",
                             {{"idSite", std::to_string(site_id)}, {"format", "JSON"}});
  if (!body.ok()) {
    Error e = body.error();
    // A Matomo without the plugin has no custom dimensions (and its log rows none to map).
    if (e.context().matomo_message.find("CustomDimensions is not enabled") != std::string::npos) {
      return std::vector<CustomDimensionConfig>{};
    }
    return Error(e.kind(), "cannot read site " + std::to_string(site_id) + "'s custom dimensions from Matomo: " +
                               e.message(), e.context())
        .WithSite(site_id);
  }
  return ParseConfiguredCustomDimensions(*body, site_id);
}

std::map<int64_t, std::set<std::string>> UnmappedDimensionColumns(const RawStore& store,
                                                                  const std::set<int64_t>& sites) {
  // (site, scope) -> the active indices known
  std::map<std::pair<int64_t, std::string>, std::set<int64_t>> known;
  for (int64_t site : sites) {
    for (const auto& d : store.CustomDimensions(site)) {
      if (d.active) known[{site, d.scope}].insert(d.index);
    }
  }
  std::map<int64_t, std::set<std::string>> out;
  auto scan = [&](const RawRow& row, std::string_view table, const std::string& scope) {
    auto site = row.Int("idsite");
    if (!site || !sites.count(*site)) return;
    for (const auto& [name, value] : row.columns()) {
      if (!name.starts_with(kColumnPrefix) || value.null() || value.text.empty()) continue;
      auto index = PositiveInt(std::string_view(name).substr(kColumnPrefix.size()));
      if (!index) continue;
      auto k = known.find({*site, scope});
      if (k != known.end() && k->second.count(*index)) continue;
      out[*site].insert(std::string(table) + "." + name);
    }
  };
  for (const auto& [id, row] : store.visits()) scan(row, "log_visit", "visit");
  for (const auto& [id, row] : store.link_actions()) scan(row, "log_link_visit_action", "action");
  return out;
}

}  // namespace metl::dwc
