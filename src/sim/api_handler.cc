#include "sim/api_handler.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <random>
#include <thread>

#include "sim/aggregate_api.h"
#include "sim/report_api.h"
#include "sim/column_filter.h"
#include "sim/period.h"
#include "sim/php_json.h"
#include "sim/site_json.h"

namespace metl::sim {
namespace {

constexpr const char* kBadToken = "Unable to authenticate with the provided token. It is either invalid or expired.";
constexpr const char* kVersion = "5.1.2";

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ValidFormat(const std::string& f) {
  static const char* kFormats[] = {"console", "csv", "html", "json", "original", "rss", "tsv", "xml"};
  return std::find_if(std::begin(kFormats), std::end(kFormats), [&](const char* k) { return f == k; }) !=
         std::end(kFormats);
}

// Modules and the methods the simulator implements.
const char* ModuleClass(const std::string& module) {
  if (module == "Live") return "\\Piwik\\Plugins\\Live\\API";
  if (module == "VisitsSummary") return "\\Piwik\\Plugins\\VisitsSummary\\API";
  if (module == "Actions") return "\\Piwik\\Plugins\\Actions\\API";
  if (module == "Goals") return "\\Piwik\\Plugins\\Goals\\API";
  if (module == "SitesManager") return "\\Piwik\\Plugins\\SitesManager\\API";
  if (module == "API") return "\\Piwik\\Plugins\\API\\API";
  if (module == "Referrers") return "\\Piwik\\Plugins\\Referrers\\API";
  if (module == "DevicesDetection") return "\\Piwik\\Plugins\\DevicesDetection\\API";
  if (module == "UserCountry") return "\\Piwik\\Plugins\\UserCountry\\API";
  if (module == "Events") return "\\Piwik\\Plugins\\Events\\API";
  if (module == "CustomDimensions") return "\\Piwik\\Plugins\\CustomDimensions\\API";
  return nullptr;
}

bool KnownMethod(const std::string& module, const std::string& action) {
  if (IsReportMethod(module + "." + action)) return true;
  if (module == "Live") return action == "getLastVisitsDetails";
  if (module == "VisitsSummary" || module == "Actions") return action == "get";
  if (module == "Goals") return action == "get" || action == "getGoals";
  if (module == "SitesManager") return action == "getSitesWithAtLeastViewAccess" || action == "getSiteFromId";
  if (module == "API") return action == "getMatomoVersion";
  if (module == "CustomDimensions") return action == "getConfiguredCustomDimensions";
  return false;
}

// Mandatory parameters in the order Matomo's API proxy checks them.
std::vector<const char*> MandatoryParams(const std::string& module, const std::string& action) {
  if (module == "CustomDimensions" && action == "getConfiguredCustomDimensions") return {"idSite"};
  if (module == "CustomDimensions") return {"idSite", "period", "date", "idDimension"};
  if (IsReportMethod(module + "." + action)) return {"idSite", "period", "date"};
  if (module == "Live") return {"idSite"};
  if (module == "VisitsSummary" || module == "Actions" || (module == "Goals" && action == "get")) {
    return {"idSite", "period", "date"};
  }
  if (module == "Goals" || action == "getSiteFromId") return {"idSite"};
  return {};
}

ApiResponse Json(std::string body) {
  ApiResponse r;
  r.body = std::move(body);
  return r;
}

}  // namespace

ApiResponse ErrorResponse(std::string_view message, bool xml, int status) {
  ApiResponse r;
  r.status = status;
  if (xml) {
    r.content_type = "text/xml; charset=utf-8";
    r.body = MatomoXmlError(message);
  } else {
    r.body = MatomoJsonError(message);
  }
  return r;
}

ApiHandler::ApiHandler(std::shared_ptr<const Dataset> dataset, std::shared_ptr<const Clock> clock,
                       HandlerOptions options)
    : dataset_(std::move(dataset)),
      clock_(std::move(clock)),
      options_(std::move(options)),
      faults_(options_.faults, options_.seed) {}

ApiResponse ApiHandler::Handle(const ApiRequest& req, double now_monotonic) {
  std::string format = Lower(req.Get("format", "json"));
  if (!ValidFormat(format)) {
    ApiResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "Error: Renderer format '" + format +
             "' not valid. Try any of the following instead: console, csv, html, json, original, rss, tsv, xml.";
    return r;
  }
  bool xml = format == "xml";

  // Matomo 5 secure-only tokens: a token_auth in the query string fails authentication.
  std::optional<std::string> token = req.token_in_body;
  if (req.token_in_query) {
    if (!options_.allow_token_in_query) return ErrorResponse(kBadToken, xml, 401);
    token = req.token_in_query;
  }
  if (token && *token != options_.token) return ErrorResponse(kBadToken, xml, 401);
  bool authenticated = token.has_value();

  std::string method = req.Get("method", "");
  if (method.empty()) return ErrorResponse("Please specify a value for 'method'.", xml);
  size_t dot = method.find('.');
  std::string module = method.substr(0, dot);
  std::string action = dot == std::string::npos ? "" : method.substr(dot + 1);
  const char* module_class = ModuleClass(module);
  if (module_class == nullptr) {
    return ErrorResponse(
        "The plugin " + module + " is not enabled. You can activate the plugin on Settings > Plugins page in Matomo.",
        xml);
  }
  if (!KnownMethod(module, action)) {
    return ErrorResponse(
        "The method '" + action + "' does not exist or is not available in the module '" + module_class + "'.", xml);
  }
  for (const char* name : MandatoryParams(module, action)) {
    if (req.Get(name, "").empty()) return ErrorResponse(std::string("Please specify a value for '") + name + "'.", xml);
  }
  if (!authenticated) {
    if (req.Has("idSite")) {
      return ErrorResponse("You can't access this resource as it requires 'view' access for the website id = " +
                               req.Get("idSite", "") + ".",
                           xml, 401);
    }
    if (action == "getSitesWithAtLeastViewAccess") return Json("[]");  // anonymous sees no site
    return ErrorResponse("You can't access this resource as it requires 'view' access for at least one website.", xml,
                         401);
  }

  // Faults apply to API calls that passed authentication.
  auto in_flight = faults_.Enter();
  uint64_t call = faults_.NextCall();
  FaultResponse fault = faults_.Decide(call, in_flight.count(), now_monotonic);
  if (fault.kind != FaultKind::kNone) {
    ApiResponse r = fault.kind == FaultKind::kRandomError ? ErrorResponse(fault.body, xml) : ApiResponse{};
    if (fault.kind != FaultKind::kRandomError) {
      r.status = fault.status;
      r.content_type = fault.content_type;
      r.body = fault.body;
    }
    r.retry_after = fault.retry_after;
    r.fault = fault.kind;
    return r;
  }
  ApiResponse r = Dispatch(req, module, action, xml, call);
  bool servable = r.fault == FaultKind::kNone || r.fault == FaultKind::kInvalidUtf8;  // a real answer
  if (servable && faults_.CutsBody(call) && r.size() > 1) {
    r.cut_body = true;
    r.fault = FaultKind::kCutBody;
  }
  // A slow answer holds its concurrency slot while it waits, as a busy PHP worker does.
  r.latency_ms = faults_.LatencyMs(r.visits);
  if (r.latency_ms > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(r.latency_ms));
  return r;
}

ApiResponse ApiHandler::Dispatch(const ApiRequest& req, const std::string& module, const std::string& action, bool xml,
                                 uint64_t call) {
  if (module == "API") return Json(PhpJsonString(kVersion));  // Matomo sends {"value":...} only for scalars in XML
  if (module == "SitesManager" && action == "getSitesWithAtLeastViewAccess") {
    std::string out = "[";
    for (const auto& s : dataset_->Sites()) {
      if (out.size() > 1) out += ',';
      out += SiteJson(s);
    }
    return Json(out + "]");
  }
  std::string id_text = req.Get("idSite", "");
  int64_t id = ParamInt(req, "idSite", -1);
  const SimSite* site = std::to_string(id) == id_text ? dataset_->FindSite(id) : nullptr;
  if (site == nullptr) {
    return ErrorResponse("An unexpected website was found in the request: website id was set to '" + id_text + "' .",
                         xml);
  }
  if (action == "getSiteFromId") return Json(SiteJson(*site));
  if (action == "getGoals") return Json(GoalsListJson(*site));
  if (action == "getConfiguredCustomDimensions") return Json(ConfiguredCustomDimensionsJson(*site));
  std::string segment = req.Get("segment", "");
  if (!segment.empty()) return ErrorResponse("Segment '" + segment + "' is not a supported segment.", xml);
  if (module == "Live") return Live(req, *site, xml, call);
  return Aggregate(req, module + "." + action, *site, xml);
}

bool ApiHandler::Released(int64_t site, CivilDate day) const {
  std::lock_guard<std::mutex> lock(mu_);
  return released_.count({site, day.days()}) > 0;
}

void ApiHandler::NoteLiveRequest(const SimSite& site, CivilDate day) {
  if (!faults_.options().late_data) return;
  CivilDate today = site.tz->LocalDateOf(clock_->NowEpochSeconds());
  if (day >= today) return;
  std::lock_guard<std::mutex> lock(mu_);
  released_.insert({site.id, day.days()});
}

void ApiHandler::DayVisitsNow(const SimSite& site, CivilDate day, VisitList& out) const {
  DayVisits base = dataset_->VisitsOfDay(site.id, day);
  size_t start = out.visits.size();
  for (const auto& v : *base) out.visits.push_back(&v);
  out.keep_alive.push_back(base);
  if (faults_.options().late_data && Released(site.id, day)) {
    DayVisits late = dataset_->LateVisitsOfDay(site.id, day);
    if (!late->empty()) {
      for (const auto& v : *late) out.visits.push_back(&v);
      out.keep_alive.push_back(late);
      std::stable_sort(out.visits.begin() + static_cast<std::ptrdiff_t>(start), out.visits.end(),
                       [](const SimVisit* a, const SimVisit* b) { return a->last_action_ts < b->last_action_ts; });
    }
  }
}

ApiResponse ApiHandler::Live(const ApiRequest& req, const SimSite& site, bool xml, uint64_t call) {
  int64_t now = clock_->NowEpochSeconds();
  ResolvedPeriod period;
  std::string period_text = req.Get("period", "");
  std::string date_text = req.Get("date", "");
  if (period_text.empty() || date_text.empty()) {
    // No period/date: every visit up to now, queried in Matomo's windows.
    period.kind = PeriodKind::kRange;
    auto created = CivilDate::Parse(site.ts_created.substr(0, 10));
    period.last = site.tz->LocalDateOf(now);
    period.first = created.ok() ? std::min(*created, period.last) : period.last - 365;
  } else {
    auto resolved = ResolvePeriod(period_text, date_text, *site.tz, now);
    if (!resolved.ok()) return ErrorResponse(resolved.error().message(), xml);
    period = *resolved;
  }
  LivePaging paging = ParseLivePaging(req);
  if (faults_.QueryTimesOut(paging.limit)) {
    ApiResponse r = ErrorResponse(FaultInjector::QueryTimeoutMessage(), xml);
    r.fault = FaultKind::kQueryTimeout;
    return r;
  }
  // Each request reorders ties differently; the sequence stays reproducible from --seed.
  std::mt19937_64 rng(options_.seed * 0x9E3779B97F4A7C15ULL + call);
  DaySource source = [&](CivilDate day, VisitList& out) { DayVisitsNow(site, day, out); };
  VisitList page = SelectLiveVisits(source, period, paging, now, rng);
  CivilDate first, last;
  LiveDays(period, first, last);
  if (period.kind == PeriodKind::kDay && !period.multiple_days) {
    for (CivilDate d = first; d <= last; ++d) NoteLiveRequest(site, d);
  }

  auto body = std::make_shared<PiecewiseBody>();
  bool no_actions = req.Get("doNotFetchActions", "0") == "1" || Lower(req.Get("doNotFetchActions", "")) == "true";
  ColumnFilter filter = ColumnFilter::Parse(req.Get("showColumns", ""), req.Get("hideColumns", ""));
  const bool may_corrupt = faults_.options().invalid_utf8.active();
  // Reserved up front: `pieces` point into `owned`'s strings, which must not move.
  if (!filter.empty() || may_corrupt) body->owned.reserve(page.visits.size());
  body->Add("[");
  bool first_visit = true;
  int64_t invalid_bytes = 0;
  for (const SimVisit* v : page.visits) {
    if (!first_visit) body->Add(",");
    first_visit = false;
    std::string_view json = no_actions ? v->json_without_actions : v->json;
    bool corrupt = may_corrupt && faults_.CorruptsVisit(v->id_visit);
    if (filter.empty() && !corrupt) {
      body->Add(json);
      continue;
    }
    std::string text = filter.empty() ? std::string(json) : FilterVisitColumns(json, filter);
    if (corrupt) {
      int64_t inserted = 0;
      text = InsertInvalidUtf8(text, inserted);
      invalid_bytes += inserted;
    }
    body->owned.push_back(std::move(text));
    body->Add(body->owned.back());
  }
  body->Add("]");
  size_t visits = page.visits.size();
  body->list = std::move(page);
  ApiResponse r;
  r.visits = visits;
  if (invalid_bytes > 0) r.fault = FaultKind::kInvalidUtf8;
  if (xml) {
    r.body = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<result />";  // XML rendering of visits is not simulated
    r.content_type = "text/xml; charset=utf-8";
    return r;
  }
  r.stream = std::move(body);
  return r;
}

ApiResponse ApiHandler::Aggregate(const ApiRequest& req, const std::string& method, const SimSite& site, bool xml) {
  int64_t now = clock_->NowEpochSeconds();
  auto resolved = ResolvePeriod(req.Get("period", ""), req.Get("date", ""), *site.tz, now);
  if (!resolved.ok()) return ErrorResponse(resolved.error().message(), xml);
  const ResolvedPeriod& p = *resolved;
  std::optional<std::string> id_goal;
  if (req.Has("idGoal")) id_goal = req.Get("idGoal", "");
  ReportParams report;
  report.id_goal = id_goal;
  if (req.Has("idDimension")) report.id_dimension = req.Get("idDimension", "");
  report.abandoned_carts = ParamInt(req, "abandonedCarts", 0) != 0;
  auto render = [&](CivilDate first, CivilDate last) -> Result<std::string> {
    // A replayed day's real report when one was recorded; else the simulator's own.
    if (first == last) {
      if (auto recorded = dataset_->RecordedReport(site.id, first, ReportFileKey(method, report))) return *recorded;
    }
    VisitList list;
    for (CivilDate d = first; d <= last; ++d) DayVisitsNow(site, d, list);
    std::vector<const SimVisit*> visits;
    for (const SimVisit* v : list.visits) {
      if (v->last_action_ts <= now) visits.push_back(v);
    }
    if (RendersReport(method, report)) return RenderReportJson(method, report, visits);
    return RenderAggregateJson(method, visits, first == last, id_goal);
  };
  if (p.multiple_days) {
    std::string out = "{";
    for (CivilDate d = p.first; d <= p.last; ++d) {
      auto day = render(d, d);
      if (!day.ok()) return ErrorResponse(day.error().message(), xml);
      if (out.size() > 1) out += ',';
      out += "\"" + d.ToString() + "\":" + *day;
    }
    return Json(out + "}");
  }
  auto whole = render(p.first, p.last);
  if (!whole.ok()) return ErrorResponse(whole.error().message(), xml);
  return Json(*whole);
}

}  // namespace metl::sim
