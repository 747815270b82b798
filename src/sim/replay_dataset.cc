#include "sim/replay_dataset.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/column_filter.h"
#include "sim/dom_fields.h"
#include "sim/visit_facts.h"

namespace metl::sim {
namespace {

namespace fs = std::filesystem;

Error DataError(const std::string& message, const std::string& hint = "") {
  return Error(ErrorKind::kData, message, {.hint = hint});
}

Result<std::string> ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return DataError("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}


Result<std::vector<SimSite>> ParseSites(const std::string& text, const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text).get(doc) || !doc.is_array()) {
    return DataError(path + " is not a JSON array of sites",
                     "save SitesManager.getSitesWithAtLeastViewAccess's response there");
  }
  std::vector<SimSite> sites;
  simdjson::dom::array array;
  if (doc.get_array().get(array) != simdjson::SUCCESS) return DataError(path + " is not a JSON array of sites");
  for (simdjson::dom::element s : array) {
    SimSite site;
    site.id = IntField(s, "idsite", 0);
    if (site.id <= 0) return DataError(path + ": a site without a valid idsite");
    site.name = StringField(s, "name");
    site.main_url = StringField(s, "main_url");
    site.timezone = StringField(s, "timezone", "UTC");
    site.currency = StringField(s, "currency", "USD");
    site.ecommerce = IntField(s, "ecommerce", 0) != 0;
    site.ts_created = StringField(s, "ts_created", "2020-01-01 00:00:00");
    auto tz = TimeZone::Load(site.timezone);
    if (!tz.ok()) return DataError(path + ": site " + std::to_string(site.id) + ": " + tz.error().message());
    site.tz = *tz;
    sites.push_back(std::move(site));
  }
  return sites;
}

}  // namespace

Result<std::vector<std::string>> SplitJsonArray(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  auto skip_space = [&] {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) {
      ++pos;
    }
  };
  skip_space();
  if (pos < text.size() && static_cast<unsigned char>(text[pos]) == 0xEF) pos += 3;  // UTF-8 BOM
  skip_space();
  if (pos >= text.size() || text[pos] != '[') return DataError("not a JSON array");
  ++pos;
  while (true) {
    skip_space();
    if (pos >= text.size()) return DataError("JSON array not closed");
    if (text[pos] == ']') break;
    if (text[pos] == ',') {
      ++pos;
      continue;
    }
    size_t end = SkipJsonValue(text, pos);
    if (end == std::string_view::npos) return DataError("truncated JSON value in array");
    out.emplace_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

Result<std::unique_ptr<ReplayDataset>> ReplayDataset::Open(const std::string& dir) {
  std::unique_ptr<ReplayDataset> ds(new ReplayDataset());
  ds->root_ = dir;
  fs::path root(dir);
  auto sites_file = ReadWhole(root / "sites.json");
  if (!sites_file.ok()) {
    return DataError(sites_file.error().message(),
                     "--replay DIR needs DIR/sites.json (SitesManager.getSitesWithAtLeastViewAccess's response)");
  }
  std::string sites_text = std::move(sites_file).value();
  METL_ASSIGN_OR_RETURN(ds->sites_, ParseSites(sites_text, (root / "sites.json").string()));

  std::map<std::pair<int64_t, int64_t>, std::vector<SimVisit>> days;
  for (const SimSite& site : ds->sites_) {
    fs::path site_dir = root / ("site=" + std::to_string(site.id));
    std::error_code ec;
    if (!fs::is_directory(site_dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(site_dir)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("date=", 0) == 0 &&
          (entry.path().extension() == ".json" || entry.path().extension() == ".jsonl")) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    std::set<int64_t> seen;
    for (const fs::path& file : files) {
      METL_ASSIGN_OR_RETURN(std::string text, ReadWhole(file));
      std::vector<std::string> visits;
      if (file.extension() == ".jsonl") {
        std::istringstream lines(text);
        std::string line;
        while (std::getline(lines, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (line.find_first_not_of(" \t") != std::string::npos) visits.push_back(line);
        }
      } else {
        auto split = SplitJsonArray(text);
        if (!split.ok()) return DataError(file.string() + ": " + split.error().message());
        visits = std::move(split).value();
      }
      for (auto& json : visits) {
        auto visit = DescribeVisit(json);
        if (!visit.ok()) return DataError(file.string() + ": " + visit.error().message());
        if (!seen.insert(visit->id_visit).second) continue;
        CivilDate day = site.tz->LocalDateOf(visit->last_action_ts);
        days[{site.id, day.days()}].push_back(std::move(visit).value());
        ++ds->visit_count_;
      }
    }
  }
  for (auto& [key, visits] : days) {
    std::stable_sort(visits.begin(), visits.end(),
                     [](const SimVisit& a, const SimVisit& b) { return a.last_action_ts < b.last_action_ts; });
    ds->days_[key] = std::make_shared<const std::vector<SimVisit>>(std::move(visits));
  }
  return ds;
}

DayVisits ReplayDataset::VisitsOfDay(int64_t site_id, CivilDate day) const {
  auto it = days_.find({site_id, day.days()});
  if (it != days_.end()) return it->second;
  static const DayVisits kEmpty = std::make_shared<const std::vector<SimVisit>>();
  return kEmpty;
}

std::optional<std::string> ReplayDataset::RecordedReport(int64_t site_id, CivilDate day,
                                                         const std::string& report) const {
  fs::path file = fs::path(root_) / "reports" /
                  ("agg_" + report + "_s" + std::to_string(site_id) + "_" + day.ToString() + ".json");
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  auto text = ReadWhole(file);
  if (!text.ok()) return std::nullopt;
  return std::move(text).value();
}

}  // namespace metl::sim
