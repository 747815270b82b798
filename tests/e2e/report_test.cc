// `matomo-etl report` (issue 15): the real Matomo 5.1.2 sample (two sites, one day each) loaded into
// DuckDB, PostgreSQL, BigQuery (google-fake) and ClickHouse (one server and the 2-shard cluster), the report
// written, then opened by headless Chromium (Debian's `chromium`) with every route off the machine blocked:
// no console message, no script error, every chart drawn with shapes of non-zero size, and the totals the
// page shows (data-metric) equal to what the
// warehouse's curated tables hold. Screenshots (phone and desktop width) are kept under
// <build>/test-artifacts/ for a human to look at.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "harness.h"
#include "landing_fixture.h"
#include "report/svg_charts.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;
const char* kReference = METL_SOURCE_DIR "/tests/data/matomo-5.1.2/";

std::string ChromiumPath() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (access(p, X_OK) == 0) return p;
  }
  return "";
}

// Collects script errors from the first moment, and after the page: one line per chart (its label,
// the shapes drawn with a non-zero box, its rendered size) and per error, in <pre id="probe">.
const char* kErrorCollector =
    "<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message))});"
    "</script>";
const char* kProbe = R"(<script>(function(){
  var lines=[];
  document.querySelectorAll('svg.chart').forEach(function(svg){
    var n=0; svg.querySelectorAll('rect,path,circle,polyline').forEach(function(el){
      var b=el.getBBox(); if(b.width>0&&b.height>0) n++; });
    var r=svg.getBoundingClientRect();
    lines.push('chart|'+svg.getAttribute('aria-label')+'|'+n+'|'+Math.round(r.width)+'|'+Math.round(r.height));
  });
  window.__errors.forEach(function(m){lines.push('error|'+m)});
  var pre=document.createElement('pre'); pre.id='probe'; pre.textContent=lines.join('\n'); document.body.appendChild(pre);
})();</script>)";

// Chromium with no way off 127.0.0.1: no proxy but a dead one, no name resolution, no background traffic.
ProcessResult RunChromium(const std::string& user_data_dir, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {ChromiumPath(),
                                   "--headless",
                                   "--disable-gpu",
                                   "--no-sandbox",
                                   "--user-data-dir=" + user_data_dir,
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--disable-default-apps",
                                   "--no-pings",
                                   "--disable-domain-reliability",
                                   "--proxy-server=127.0.0.1:9",
                                   "--host-resolver-rules=MAP * ~NOTFOUND",
                                   "--enable-logging=stderr",
                                   "--v=0",
                                   "--hide-scrollbars"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunProcess(argv, {}, "", 120);
}

class Report : public ::testing::TestWithParam<WarehouseTarget> {
 protected:
  void SetUp() override {
    if (ChromiumPath().empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)";
    url_ = GetParam().FreshUrl(tmp_);
    if (url_.empty()) return;
    const std::string landing = (tmp_.path() / "landing").string();
    LandJsonArray(landing, 1, "2026-11-25", "UTC",
                  ReadFile(std::string(kReference) + "live_site1_day_limit100_offset0.json"));
    LandJsonArray(landing, 2, "2026-11-25", "America/New_York",
                  ReadFile(std::string(kReference) + "live_site2_newyork_day_limit100_offset0.json"));
    ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", url_, "--funnels",
                              "Shop: url=*/product/* > url=*/cart* > url=*/checkout* > goal=order"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  TempDir tmp_;
  std::string url_;
};

TEST_P(Report, ChromiumRendersItWithoutErrorsAndItsTotalsEqualTheWarehouse) {
  const fs::path out = tmp_.path() / "report.html";
  ProcessResult r = RunEtl({"report", "--warehouse", url_, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string html = ReadFile(out);
  // Self-contained: nothing to fetch.
  for (const char* ref : {"src=", "href=", "@import", "url("}) EXPECT_EQ(html.find(ref), std::string::npos) << ref;
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));

  std::string probe = html;
  probe.insert(probe.find("</head>"), kErrorCollector);
  probe.insert(probe.rfind("</body>"), kProbe);
  const fs::path probe_file = tmp_.path() / "probe.html";
  WriteFile(probe_file, probe);
  const std::string profile = (tmp_.path() / "chromium-profile").string();
  ProcessResult dom = RunChromium(profile, {"--window-size=1280,2000", "--dump-dom", "file://" + probe_file.string()});
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_EQ(dom.err.find("CONSOLE"), std::string::npos) << dom.err;  // no console message of any level

  // Every chart is drawn: shapes with a size, on a box with a size.
  std::string body = dom.out;
  size_t pre = body.find("<pre id=\"probe\">");
  ASSERT_NE(pre, std::string::npos) << body.substr(0, 500);
  std::string lines = body.substr(pre + 16, body.find("</pre>", pre) - pre - 16);
  std::map<std::string, int> charts;
  std::regex chart_re("chart\\|([^|]*)\\|(\\d+)\\|(\\d+)\\|(\\d+)");
  for (auto it = std::sregex_iterator(lines.begin(), lines.end(), chart_re); it != std::sregex_iterator(); ++it) {
    const std::smatch& c = *it;
    EXPECT_GT(std::stoi(c[2]), 0) << "chart without shapes: " << c[1];
    EXPECT_GT(std::stoi(c[3]), 100) << c[1];
    EXPECT_GT(std::stoi(c[4]), 20) << c[1];
    ++charts[c[1]];
  }
  EXPECT_EQ(lines.find("error|"), std::string::npos) << lines;
  // Both sites: visits by day and channel, channels, devices; site 1 (a shop): conversions, revenue, funnel.
  EXPECT_EQ(charts["Visits by day and channel"], 2) << lines;
  EXPECT_EQ(charts["Visits by channel"], 2) << lines;
  EXPECT_EQ(charts["Visits by device type"], 2) << lines;
  EXPECT_GE(charts["Conversions by day"], 1) << lines;
  EXPECT_GE(charts["Revenue by day"], 1) << lines;
  EXPECT_GE(charts["Funnel Shop"], 1) << lines;
  EXPECT_NE(body.find("class=\"cohorts\""), std::string::npos);

  // The totals shown equal the curated tables (counted here from the facts, not from the KPI model).
  std::map<std::string, std::string> shown;
  std::regex metric_re("data-metric=\"([a-z_]+)\" data-site=\"(\\d+)\" data-value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), metric_re); it != std::sregex_iterator(); ++it) {
    shown[(*it)[1].str() + "/" + (*it)[2].str()] = (*it)[3];
  }
  for (int site : {1, 2}) {
    const std::string s = std::to_string(site);
    ASSERT_TRUE(shown.count("nb_visits/" + s)) << body.substr(0, 2000);
    EXPECT_EQ(std::stoll(shown["nb_visits/" + s]),
              QueryInt(url_, "SELECT count(*) FROM matomo_visits WHERE site_id = " + s));
    EXPECT_EQ(std::stoll(shown["nb_pageviews/" + s]),
              QueryInt(url_, "SELECT count(*) FROM matomo_actions WHERE action_type = 'pageview' AND site_id = " + s));
    const std::string conv =
        " FROM matomo_conversions WHERE conversion_type IN ('goal', 'ecommerce_order') AND site_id = " + s;
    EXPECT_EQ(std::stoll(shown["nb_conversions/" + s]), QueryInt(url_, "SELECT count(*)" + conv));
    EXPECT_EQ(std::llround(std::stod(shown["revenue/" + s]) * 100),
              QueryInt(url_, "SELECT CAST(round(coalesce(sum(revenue), 0) * 100) AS BIGINT)" + conv));
  }
  EXPECT_GT(std::stoll(shown["nb_conversions/1"]), 0);  // the sample's shop converts: the check above has teeth

  // Top pages are the report table's rows (Matomo's pages report, proven equal by verify --reports): the
  // first row shown is its most viewed page, with its pageviews and visits.
  Rows top = QueryWarehouse(url_, "SELECT label, sum(nb_hits), sum(nb_visits) FROM matomo_pages_daily WHERE site_id = 1 "
                                  "AND report = 'Actions.getPageUrls' GROUP BY label ORDER BY sum(nb_hits) DESC, label LIMIT 1");
  ASSERT_EQ(top.rows.size(), 1u);
  const std::string top_label = report::HtmlEscape(top.rows[0][0].value_or(""));
  ASSERT_LT(std::stoll(top.rows[0][1].value_or("0")), 1000);  // printed without a thousands separator
  const std::string top_row = "title=\"" + top_label + "\">" + top_label + "</td><td>" + top.rows[0][1].value_or("") +
                              "</td><td>" + top.rows[0][2].value_or("") + "</td>";
  EXPECT_NE(html.find("<h3>Top pages</h3><div class=\"scroll\"><table><thead><tr><th>Page</th><th>Pageviews</th>"
                      "<th>Visits</th></tr></thead><tbody><tr><td class=\"url\" " + top_row),
            std::string::npos)
      << top_row;

  // Screenshots for people: a phone and a desktop.
  const fs::path artifacts = fs::path(EtlBin()).parent_path() / "test-artifacts";
  fs::create_directories(artifacts);
  for (const auto& [name, size] :
       std::vector<std::pair<std::string, std::string>>{{"phone", "390,2600"}, {"desktop", "1280,2200"}}) {
    const fs::path png = artifacts / ("report-" + GetParam().engine + "-" + name + ".png");
    fs::remove(png);
    ProcessResult shot =
        RunChromium(profile, {"--window-size=" + size, "--screenshot=" + png.string(), "file://" + out.string()});
    ASSERT_EQ(shot.exit_code, 0) << shot.err;
    ASSERT_TRUE(fs::exists(png)) << shot.err;
    EXPECT_GT(fs::file_size(png), 20000u) << png;
  }
}

TEST_P(Report, RangeAndSiteOptionsAndAnEmptyRange) {
  const fs::path out = tmp_.path() / "one.html";
  ProcessResult r = RunEtl({"report", "--warehouse", url_, "--out", out.string(), "--site", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string html = ReadFile(out);
  EXPECT_NE(html.find("data-metric=\"nb_visits\" data-site=\"2\""), std::string::npos);
  EXPECT_EQ(html.find("data-site=\"1\""), std::string::npos);

  r = RunEtl({"report", "--warehouse", url_, "--out", out.string(), "--from", "2026-10-01", "--to", "2026-10-31"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  html = ReadFile(out);
  EXPECT_NE(html.find("data-metric=\"nb_visits\" data-site=\"1\" data-value=\"0\""), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);  // no chart of nothing
  EXPECT_NE(html.find("No visits in this range."), std::string::npos);

  r = RunEtl({"report", "--warehouse", url_, "--out", out.string(), "--from", "2026-11-30", "--to", "2026-11-01"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("is after to"), std::string::npos) << r.err;
}

// Every engine: DuckDB, PostgreSQL, BigQuery (google-fake) and ClickHouse (one server, the 2-shard cluster).
INSTANTIATE_TEST_SUITE_P(, Report, ::testing::ValuesIn(WarehouseTargets()), TargetTestName);

}  // namespace
}  // namespace metl::e2e
