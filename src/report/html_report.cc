#include "report/html_report.h"

#include <algorithm>

#include "report/svg_charts.h"

namespace metl::report {
namespace {

constexpr const char* kCss = R"CSS(
:root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--card:#fff;--bg:#f8fafc;--accent:#2563eb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:16px}
header.page{padding:8px 0 4px}
h1{font-size:1.45rem;margin:0 0 2px}
h2{font-size:1.2rem;margin:28px 0 10px;padding-top:10px;border-top:2px solid var(--line)}
h3{font-size:.95rem;margin:0 0 8px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.03em}
p.meta{color:var(--muted);margin:0 0 8px;font-size:.85rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px}
.tile .name{color:var(--muted);font-size:.8rem}
.tile .num{font-size:1.55rem;font-weight:650;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:12px;margin-top:12px}
.grid.three{grid-template-columns:repeat(auto-fit,minmax(min(100%,300px),1fr))}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;min-width:0}
svg.chart{display:block;height:auto}
svg.hbars{max-width:520px}
svg .grid{stroke:var(--line);stroke-width:1}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;fill:var(--muted)}
svg text.label{fill:var(--fg);font-size:13px}
svg text.value{fill:var(--fg);font-size:12px;font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:4px 12px;margin:6px 0 0;padding:0;list-style:none;font-size:.8rem;color:var(--muted)}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.88rem;font-variant-numeric:tabular-nums}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
td.url,td.text{white-space:normal;word-break:break-word;text-align:left}
th.text{text-align:left}
th{color:var(--muted);font-weight:600}
table.cohorts td{text-align:center;min-width:44px}
table.cohorts td:first-child{text-align:left}
.tile .num small{font-size:.8rem;font-weight:500;color:var(--muted);margin-left:4px}
.empty{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:.8rem;margin:28px 0 10px}
@media (max-width:600px){main{padding:10px}.tile .num{font-size:1.3rem}h2{font-size:1.1rem}
th,td{padding:4px 5px}table{font-size:.8rem}.card{padding:10px}}
)CSS";

std::string Tile(const std::string& name, const std::string& metric, int64_t site, const std::string& value,
                 const std::string& shown, const std::string& unit = "") {
  return "<div class=\"tile\"><div class=\"name\">" + HtmlEscape(name) + "</div><div class=\"num\" data-metric=\"" +
         metric + "\" data-site=\"" + std::to_string(site) + "\" data-value=\"" + HtmlEscape(value) + "\">" +
         HtmlEscape(shown) + (unit.empty() ? "" : "<small>" + HtmlEscape(unit) + "</small>") + "</div></div>";
}

std::string Card(const std::string& title, const std::string& body) {
  return "<section class=\"card\"><h3>" + HtmlEscape(title) + "</h3>" + body + "</section>";
}

// A page URL as Matomo's pages report shows it: without scheme and host.
std::string PathOf(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t slash = url.find('/', scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

std::string Empty(const std::string& what) {
  return "<p class=\"empty\">" + HtmlEscape(what) + "</p>";
}

std::string Legend(const std::vector<std::string>& names) {
  std::string html = "<ul class=\"legend\">";
  for (size_t i = 0; i < names.size(); ++i) {
    html += "<li><i style=\"background:" + SeriesColor(names[i], i) + "\"></i>" + HtmlEscape(names[i]) + "</li>";
  }
  return html + "</ul>";
}

std::string DayCharts(const SiteReport& r) {
  std::vector<std::string> days;
  std::vector<double> conversions, revenue;
  for (const auto& d : r.days) {
    days.push_back(d.date);
    conversions.push_back(static_cast<double>(d.conversions));
    revenue.push_back(d.revenue);
  }
  std::vector<std::vector<double>> by_channel;
  for (const auto& row : r.channel_visits) {
    by_channel.emplace_back();
    for (int64_t v : row) by_channel.back().push_back(static_cast<double>(v));
  }
  const bool any_visits = r.visits > 0;
  std::string html = "<div class=\"grid three\">";
  html +=
      Card("Visits by day and channel",
           any_visits ? StackedColumns(days, r.channels, by_channel, "Visits by day and channel") + Legend(r.channels)
                      : Empty("No visits in this range."));
  html += Card("Conversions by day", r.conversions > 0 ? Columns(days, conversions, "#16a34a", "Conversions by day")
                                                       : Empty("No conversions in this range."));
  html +=
      Card("Revenue by day" + (r.currency.empty() ? std::string() : " (" + r.currency + ")"),
           r.revenue > 0 ? Columns(days, revenue, "#ea580c", "Revenue by day", 2) : Empty("No revenue in this range."));
  return html + "</div>";
}

std::string ChannelTable(const SiteReport& r) {
  if (r.channel_totals.empty()) return Card("Channels", Empty("No visits in this range."));
  std::string t =
      "<div class=\"scroll\"><table><thead><tr><th>Channel</th><th>Visits</th><th>Conversions</th>"
      "<th>Revenue</th></tr></thead><tbody>";
  for (const auto& c : r.channel_totals) {
    t += "<tr><td>" + HtmlEscape(c.label) + "</td><td>" + FormatNumber(static_cast<double>(c.value)) + "</td><td>" +
         FormatNumber(static_cast<double>(c.second)) + "</td><td>" + FormatNumber(c.revenue, 2) + "</td></tr>";
  }
  std::vector<std::string> labels, colors;
  std::vector<double> values;
  for (size_t i = 0; i < r.channel_totals.size(); ++i) {
    labels.push_back(r.channel_totals[i].label);
    values.push_back(static_cast<double>(r.channel_totals[i].value));
    colors.push_back(SeriesColor(r.channel_totals[i].label, i));
  }
  return Card("Channels (visits)",
              HorizontalBars(labels, values, colors, "Visits by channel") + t + "</tbody></table></div>");
}

std::string ListTable(const std::string& title, const std::vector<std::string>& heads,
                      const std::vector<Labelled>& rows, bool with_detail, bool url) {
  if (rows.empty()) return Card(title, Empty("Nothing in this range."));
  std::string t = "<div class=\"scroll\"><table><thead><tr>";
  for (size_t i = 0; i < heads.size(); ++i) {
    t += std::string(with_detail && i == 1 ? "<th class=\"text\">" : "<th>") + HtmlEscape(heads[i]) + "</th>";
  }
  t += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    if (url) {
      t += "<tr><td class=\"url\" title=\"" + HtmlEscape(row.label) + "\">" + HtmlEscape(PathOf(row.label)) + "</td>";
    } else {
      t += "<tr><td>" + HtmlEscape(row.label) + "</td>";
    }
    if (with_detail) t += "<td class=\"text\">" + HtmlEscape(row.detail.empty() ? "—" : row.detail) + "</td>";
    t += "<td>" + FormatNumber(static_cast<double>(row.value)) + "</td><td>" +
         FormatNumber(static_cast<double>(row.second)) + "</td></tr>";
  }
  return Card(title, t + "</tbody></table></div>");
}

std::string Devices(const SiteReport& r) {
  if (r.devices.empty()) return Card("Devices (visits)", Empty("No visits in this range."));
  std::vector<std::string> labels, colors;
  std::vector<double> values;
  for (size_t i = 0; i < r.devices.size(); ++i) {
    labels.push_back(r.devices[i].label);
    values.push_back(static_cast<double>(r.devices[i].value));
    colors.push_back(SeriesColor("", i));
  }
  return Card("Devices (visits)", HorizontalBars(labels, values, colors, "Visits by device type"));
}

std::string Funnels(const SiteReport& r) {
  if (r.funnels.empty()) {
    return Card("Funnel",
                Empty("No visit entered a configured funnel in this range (the funnels option, docs/bi.md)."));
  }
  std::string html;
  for (const auto& f : r.funnels) {
    std::vector<std::string> labels, colors;
    std::vector<double> values;
    std::string t =
        "<div class=\"scroll\"><table><thead><tr><th>Step</th><th>Reached</th><th>Dropped</th><th>Of step 1</th>"
        "</tr></thead><tbody>";
    const double first = f.steps.empty() ? 0 : static_cast<double>(f.steps[0].reached);
    for (const auto& s : f.steps) {
      labels.push_back(std::to_string(s.step) + ". " + s.definition);
      values.push_back(static_cast<double>(s.reached));
      colors.push_back("#2563eb");
      t += "<tr><td>" + HtmlEscape(std::to_string(s.step) + ". " + s.definition) + "</td><td>" +
           FormatNumber(static_cast<double>(s.reached)) + "</td><td>" +
           FormatNumber(static_cast<double>(s.entered - s.reached)) + "</td><td>" +
           (first > 0 ? FormatNumber(100.0 * static_cast<double>(s.reached) / first, 1) + "%" : "—") + "</td></tr>";
    }
    html += Card("Funnel: " + f.name,
                 HorizontalBars(labels, values, colors, "Funnel " + f.name) + t + "</tbody></table></div>");
  }
  return html;
}

std::string Cohorts(const SiteReport& r) {
  if (r.cohorts.empty()) return Card("Cohorts", Empty("No first visits in this range."));
  size_t weeks = 0;
  for (const auto& c : r.cohorts) weeks = std::max(weeks, c.visitors.size());
  std::string t =
      "<div class=\"scroll\"><table class=\"cohorts\"><thead><tr><th>First visit week</th><th>Visitors</th>";
  for (size_t w = 0; w < weeks; ++w) t += "<th>W" + std::to_string(w) + "</th>";
  t += "</tr></thead><tbody>";
  for (const auto& c : r.cohorts) {
    t += "<tr><td>" + HtmlEscape(c.week) + "</td><td>" + FormatNumber(static_cast<double>(c.size)) + "</td>";
    for (size_t w = 0; w < weeks; ++w) {
      if (w >= c.visitors.size()) {
        t += "<td></td>";
        continue;
      }
      double share = c.size > 0 ? static_cast<double>(c.visitors[w]) / static_cast<double>(c.size) : 0;
      // Week 0 is everyone by definition: shade by the share that came back, from week 1 on.
      double alpha = w == 0 ? 0.12 : std::min(1.0, 0.08 + share * 2.5);
      char style[96];
      std::snprintf(style, sizeof style, "background:rgba(37,99,235,%.2f);color:%s", alpha,
                    alpha > 0.55 ? "#fff" : "inherit");
      t += "<td style=\"" + std::string(style) + "\" title=\"" + FormatNumber(static_cast<double>(c.visitors[w])) +
           " visitors\">" + FormatNumber(share * 100, w == 0 ? 0 : 1) + "%</td>";
    }
    t += "</tr>";
  }
  return Card("Cohorts: visitors by week since their first visit (weeks start on Monday)",
              t + "</tbody></table></div>");
}

std::string SiteSection(const SiteReport& r) {
  const std::string id = "site " + std::to_string(r.site_id);
  std::string html = "<section class=\"site\" id=\"site-" + std::to_string(r.site_id) + "\"><h2>" + HtmlEscape(r.name) +
                     (r.name_is_id ? "" : " <small class=\"meta\">(" + id + ")</small>") + "</h2>";
  html += "<p class=\"meta\">" + r.from.ToString() + " to " + r.to.ToString() + ", site-local days</p>";
  const double rate = r.visits > 0 ? 100.0 * static_cast<double>(r.conversions) / static_cast<double>(r.visits) : 0;
  html += "<div class=\"tiles\">";
  html += Tile("Visits", "nb_visits", r.site_id, std::to_string(r.visits), FormatNumber(static_cast<double>(r.visits)));
  html += Tile("Pageviews", "nb_pageviews", r.site_id, std::to_string(r.pageviews),
               FormatNumber(static_cast<double>(r.pageviews)));
  html += Tile("Conversions", "nb_conversions", r.site_id, std::to_string(r.conversions),
               FormatNumber(static_cast<double>(r.conversions)));
  html += Tile("Revenue", "revenue", r.site_id, r.revenue_text, FormatNumber(r.revenue, 2), r.currency);
  html +=
      Tile("Conversions per visit", "conversion_rate", r.site_id, FormatNumber(rate, 2), FormatNumber(rate, 1) + "%");
  html += "</div>";
  html += DayCharts(r);
  html += "<div class=\"grid\">" + ChannelTable(r) + Devices(r) + "</div>";
  html += "<div class=\"grid\">" + ListTable("Top pages", {"Page", "Pageviews", "Visits"}, r.pages, false, true) +
          ListTable("Referrers", {"Type", "Name", "Visits", "Converted"}, r.referrers, true, false) + "</div>";
  html += "<div class=\"grid\">" + Funnels(r) + "</div>";
  html += "<div class=\"grid\">" + Cohorts(r) + "</div>";
  return html + "</section>";
}

}  // namespace

std::string RenderHtml(const std::vector<SiteReport>& sites, const std::string& generated_at,
                       const std::string& warehouse_description) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Matomo report</title><style>" +
      std::string(kCss) + "</style></head><body><main>";
  html += "<header class=\"page\"><h1>Matomo report</h1><p class=\"meta\">" + std::to_string(sites.size()) +
          (sites.size() == 1 ? " site" : " sites") + " · generated " + HtmlEscape(generated_at) + " from " +
          HtmlEscape(warehouse_description) + "</p></header>";
  if (sites.empty()) html += Empty("No loaded site in this warehouse (run `matomo-etl sync` first).");
  for (const auto& s : sites) html += SiteSection(s);
  html +=
      "<footer>Built by matomo-etl from matomo_daily_kpis, matomo_channels_daily, matomo_pages_daily, matomo_visits, "
      "matomo_funnels and matomo_cohorts. Conversions are goal conversions and ecommerce orders (not abandoned "
      "carts), as Matomo's Goals.get counts them.</footer></main></body></html>\n";
  return html;
}

}  // namespace metl::report
