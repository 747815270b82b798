#include "matomo/api.h"

#include <algorithm>
#include <charconv>

#include "core/utf8.h"

namespace metl::matomo {
namespace {

using namespace simdjson;

Error ParseError(const std::string& what) {
  // A body that is not what Matomo sends for this call: most likely cut off, so worth a retry.
  return Error(ErrorKind::kTransient, "malformed Matomo response: " + what);
}

// A number that Matomo may send as a number or a numeric string.
bool LooseInt(ondemand::value v, int64_t& out) {
  ondemand::json_type t;
  if (v.type().get(t)) return false;
  if (t == ondemand::json_type::number) {
    double d;
    int64_t i;
    if (!v.get_int64().get(i)) {
      out = i;
      return true;
    }
    if (v.get_double().get(d)) return false;
    // Only whole numbers inside int64: casting 1e136 or NaN is undefined behaviour (found by classify_fuzz).
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != static_cast<double>(static_cast<int64_t>(d))) {
      return false;
    }
    out = static_cast<int64_t>(d);
    return true;
  }
  if (t == ondemand::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  }
  return false;
}

Result<SiteInfo> ReadSite(ondemand::object obj) {
  SiteInfo s;
  bool has_id = false;
  for (auto f : obj) {
    std::string_view key;
    if (f.unescaped_key().get(key)) return ParseError("bad site object");
    ondemand::value v;
    if (f.value().get(v)) return ParseError("bad site object");
    std::string_view str;
    if (key == "idsite") {
      if (!LooseInt(v, s.id)) return ParseError("bad idsite");
      has_id = true;
    } else if (key == "name") {
      if (!v.get_string().get(str)) s.name = std::string(str);
    } else if (key == "timezone") {
      if (!v.get_string().get(str)) s.timezone = std::string(str);
    } else if (key == "ts_created") {
      if (!v.get_string().get(str)) s.ts_created = std::string(str);
    }
  }
  if (!has_id) return ParseError("site without idsite");
  if (s.timezone.empty()) s.timezone = "UTC";
  return s;
}

}  // namespace

Result<std::string> GetMatomoVersion(MatomoClient& client) {
  return client.Call<std::string>(
      "API.getMatomoVersion", {{"format", "JSON"}}, [](std::string&& body) -> Result<std::string> {
        ondemand::parser parser;
        padded_string p(body);
        std::string_view v;
        ondemand::document doc;
        if (parser.iterate(p).get(doc)) return ParseError("version");
        ondemand::json_type t;
        if (doc.type().get(t)) return ParseError("version");
        if (t == ondemand::json_type::string) {  // "5.1.2"
          if (doc.get_string().get(v)) return ParseError("version");
          return std::string(v);
        }
        if (doc["value"].get_string().get(v)) return ParseError("no version in " + body.substr(0, 80));  // {"value":..}
        return std::string(v);
      });
}

Result<std::vector<SiteInfo>> GetSites(MatomoClient& client) {
  return client.Call<std::vector<SiteInfo>>(
      "SitesManager.getSitesWithAtLeastViewAccess", {{"format", "JSON"}},
      [](std::string&& body) -> Result<std::vector<SiteInfo>> {
        ondemand::parser parser;
        padded_string p(body);
        ondemand::document doc;
        if (parser.iterate(p).get(doc)) return ParseError("sites");
        ondemand::array arr;
        if (doc.get_array().get(arr)) return ParseError("sites: not an array");
        std::vector<SiteInfo> out;
        for (auto el : arr) {
          ondemand::object obj;
          if (el.get_object().get(obj)) return ParseError("sites: not an object");
          METL_ASSIGN_OR_RETURN(SiteInfo s, ReadSite(obj));
          out.push_back(std::move(s));
        }
        std::sort(out.begin(), out.end(), [](const SiteInfo& a, const SiteInfo& b) { return a.id < b.id; });
        return out;
      });
}

Result<SiteInfo> GetSite(MatomoClient& client, int64_t site_id) {
  return client.Call<SiteInfo>(
      "SitesManager.getSiteFromId", {{"idSite", std::to_string(site_id)}, {"format", "JSON"}},
      [](std::string&& body) -> Result<SiteInfo> {
        ondemand::parser parser;
        padded_string p(body);
        ondemand::document doc;
        if (parser.iterate(p).get(doc)) return ParseError("site");
        ondemand::object obj;
        if (doc.get_object().get(obj)) return ParseError("site: not an object");
        return ReadSite(obj);
      });
}

Result<int64_t> GetNbVisits(MatomoClient& client, int64_t site_id, CivilDate date, CallInfo* info) {
  Params params = {{"idSite", std::to_string(site_id)}, {"period", "day"}, {"date", date.ToString()},
                   {"format", "JSON"}, {"showColumns", "nb_visits"}};
  return client.Call<int64_t>(
      "VisitsSummary.get", params,
      [](std::string&& body) -> Result<int64_t> {
        ondemand::parser parser;
        padded_string p(body);
        ondemand::document doc;
        if (parser.iterate(p).get(doc)) return ParseError("VisitsSummary.get");
        ondemand::json_type t;
        if (doc.type().get(t)) return ParseError("VisitsSummary.get");
        if (t == ondemand::json_type::array) return int64_t{0};  // a day without visits
        ondemand::object obj;
        if (doc.get_object().get(obj)) return ParseError("VisitsSummary.get: not an object");
        ondemand::value v;
        if (obj.find_field_unordered("nb_visits").get(v)) return int64_t{0};  // archived empty day
        int64_t n = 0;
        if (!LooseInt(v, n)) return ParseError("VisitsSummary.get: bad nb_visits");
        return n;
      },
      info);
}

Params LiveParams(int64_t site_id, CivilDate date, int64_t limit, int64_t offset) {
  Params p = LiveManifestParams(site_id, date);
  p.emplace_back("filter_limit", std::to_string(limit));
  p.emplace_back("filter_offset", std::to_string(offset));
  return p;
}

Params LiveManifestParams(int64_t site_id, CivilDate date) {
  return {{"idSite", std::to_string(site_id)}, {"period", "day"}, {"date", date.ToString()},
          {"filter_sort_order", "asc"}, {"format", "JSON"}};
}

Result<LivePage> ParseLivePage(std::string&& body) {
  LivePage page;
  // Invalid UTF-8 would fail the whole page on every retry: replace it visibly (U+FFFD) and count it.
  std::vector<size_t> replaced_at;  // offsets of the U+FFFD inserted, to count them per visit
  if (!simdjson::validate_utf8(body.data(), body.size())) {
    body = ReplaceInvalidUtf8(body, page.invalid_utf8_replaced, &replaced_at);
  }
  page.body = padded_string(body);
  body.clear();
  body.shrink_to_fit();
  ondemand::parser outer;
  ondemand::parser inner;
  ondemand::document doc;
  if (outer.iterate(page.body).get(doc)) return ParseError("Live page");
  ondemand::array arr;
  if (doc.get_array().get(arr)) return ParseError("Live page: not an array");
  for (auto el : arr) {
    ondemand::object obj;
    if (el.get_object().get(obj)) return ParseError("Live page: a visit is not an object");
    std::string_view raw;
    if (obj.raw_json().get(raw)) return ParseError("Live page: a visit is cut off");
    // Read the few fields we need from the visit's own bytes.
    size_t offset = static_cast<size_t>(raw.data() - page.body.data());
    padded_string_view pv(raw.data(), raw.size(), page.body.size() - offset + SIMDJSON_PADDING);
    ondemand::document vdoc;
    if (inner.iterate(pv).get(vdoc)) return ParseError("Live page: bad visit");
    LiveVisit visit;
    visit.raw = raw;
    if (!replaced_at.empty()) {
      auto first = std::lower_bound(replaced_at.begin(), replaced_at.end(), offset);
      auto last = std::lower_bound(first, replaced_at.end(), offset + raw.size());
      visit.invalid_utf8_replaced = last - first;
    }
    bool has_id = false, has_ts = false;
    ondemand::object vobj;
    if (vdoc.get_object().get(vobj)) return ParseError("Live page: bad visit");
    for (auto f : vobj) {
      std::string_view key;
      if (f.unescaped_key().get(key)) return ParseError("Live page: bad visit key");
      if (key == "idVisit") {
        ondemand::value v;
        if (f.value().get(v) || !LooseInt(v, visit.id_visit)) return ParseError("Live page: bad idVisit");
        has_id = true;
      } else if (key == "lastActionTimestamp") {
        ondemand::value v;
        if (f.value().get(v) || !LooseInt(v, visit.last_action_ts)) return ParseError("Live page: bad lastActionTimestamp");
        has_ts = true;
      } else if (key == "truncatedActionsCount") {
        visit.truncated = true;
      }
    }
    if (!has_id || !has_ts) return ParseError("Live page: a visit without idVisit or lastActionTimestamp");
    page.visits.push_back(visit);
  }
  // The array must be complete: trailing garbage or a missing ']' means a cut-off body.
  std::string_view all(page.body.data(), page.body.size());
  size_t last = all.find_last_not_of(" \t\r\n");
  if (last == std::string_view::npos || all[last] != ']') return ParseError("Live page: cut off");
  return page;
}

Result<LivePage> FetchLivePage(MatomoClient& client, int64_t site_id, CivilDate date, int64_t limit, int64_t offset,
                               CallInfo* info) {
  // Replaced invalid UTF-8 is counted in the page; the extractor warns once per landed partition.
  return client.Call<LivePage>("Live.getLastVisitsDetails", LiveParams(site_id, date, limit, offset), ParseLivePage,
                               info);
}

}  // namespace metl::matomo
