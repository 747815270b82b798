#include "extract_util.h"

#include <gtest/gtest.h>

#include "landing/landing_zone.h"
#include "matomo/api.h"

namespace metl::e2e {

LandingSnapshot SnapshotLanding(const std::string& landing) {
  LandingSnapshot out;
  metl::landing::LandingZone zone(landing);
  auto refs = zone.ListPartitions();
  EXPECT_TRUE(refs.ok());
  if (!refs.ok()) return out;
  for (const auto& ref : *refs) {
    auto m = zone.ReadManifest(ref);
    EXPECT_TRUE(m.ok()) << ref.dir;
    if (!m.ok()) continue;
    out[{ref.site_id, ref.date.ToString()}] = {m->visits, m->content_sha256,
                                               metl::landing::PartitionStatusName(m->status)};
  }
  return out;
}

std::vector<std::string> LandedLines(const std::string& landing, int64_t site, const std::string& date) {
  metl::landing::LandingZone zone(landing);
  std::vector<std::string> lines;
  auto d = CivilDate::Parse(date);
  auto ref = zone.Find(site, *d);
  EXPECT_TRUE(ref.has_value()) << site << " " << date;
  if (!ref) return lines;
  auto reader = metl::landing::PartitionReader::Open(zone, *ref);
  EXPECT_TRUE(reader.ok());
  std::string_view line;
  for (;;) {
    auto more = (*reader)->Next(line);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    lines.emplace_back(line);
  }
  return lines;
}

std::map<int64_t, std::string> DirectVisits(const std::string& url, int64_t site, const std::string& date) {
  std::string q = url + "index.php?module=API&method=Live.getLastVisitsDetails&idSite=" + std::to_string(site) +
                  "&period=day&date=" + date + "&format=JSON&filter_limit=-1&filter_sort_order=asc";
  HttpResponse r = HttpPost(q, "token_auth=" + UrlEncode(SimServer::kToken));
  EXPECT_EQ(r.status, 200) << r.body.substr(0, 200);
  auto page = metl::matomo::ParseLivePage(std::move(r.body));
  EXPECT_TRUE(page.ok());
  std::map<int64_t, std::string> out;
  if (!page.ok()) return out;
  for (const auto& v : page->visits) out[v.id_visit] = std::string(v.raw);
  return out;
}

int64_t DirectNbVisits(const std::string& url, int64_t site, const std::string& date) {
  std::string q = url + "index.php?module=API&method=VisitsSummary.get&idSite=" + std::to_string(site) +
                  "&period=day&date=" + date + "&format=JSON";
  HttpResponse r = HttpPost(q, "token_auth=" + UrlEncode(SimServer::kToken));
  EXPECT_EQ(r.status, 200);
  if (r.body.rfind("[]", 0) == 0) return 0;
  size_t p = r.body.find("\"nb_visits\":");
  EXPECT_NE(p, std::string::npos) << r.body;
  return std::stoll(r.body.substr(p + 12 + (r.body[p + 12] == '"' ? 1 : 0)));
}

int64_t IdVisitOf(const std::string& visit_json) {
  auto page = metl::matomo::ParseLivePage("[" + visit_json + "]");
  EXPECT_TRUE(page.ok());
  return page.ok() && !page->visits.empty() ? page->visits[0].id_visit : -1;
}

ProcessResult RunExtract(const std::string& url, const std::string& landing, const std::vector<std::string>& extra,
                         const Env& env) {
  std::vector<std::string> args = {"extract", "--url", url, "--landing", landing, "--retry-delay-ms", "20",
                                   "--rate-limit", "100000", "--progress", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  Env e = env;
  if (!e.count("MATOMO_TOKEN_AUTH")) e["MATOMO_TOKEN_AUTH"] = SimServer::kToken;
  return RunEtl(args, e, "", 120);
}

}  // namespace metl::e2e
