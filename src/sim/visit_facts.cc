#include "sim/visit_facts.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace metl::sim {
namespace {

namespace od = simdjson::ondemand;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// An integer from a number, a numeric string, a bool or null (0); floats are truncated.
simdjson::error_code LooseInt(od::value v, int64_t& out) {
  out = 0;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  switch (t) {
    case od::json_type::number: {
      int64_t i;
      if (!v.get_int64().get(i)) {
        out = i;
        return simdjson::SUCCESS;
      }
      double d;
      if (auto e = v.get_double().get(d)) return e;
      out = static_cast<int64_t>(d);
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      double d = 0;
      auto res = std::from_chars(s.data(), s.data() + s.size(), d);
      if (res.ec == std::errc()) out = static_cast<int64_t>(d);
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) return e;
      out = b ? 1 : 0;
      return simdjson::SUCCESS;
    }
    default:
      return simdjson::SUCCESS;
  }
}

// Decimal text of a number or numeric string; "0" for null/missing.
simdjson::error_code LooseDecimal(od::value v, std::string& out) {
  out = "0";
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::number) {
    std::string_view raw = Trim(v.raw_json_token());
    out.assign(raw);
  } else if (t == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    if (!s.empty()) out.assign(s);
  }
  return simdjson::SUCCESS;
}

simdjson::error_code LooseString(od::value v, std::string& out) {
  out.clear();
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t == od::json_type::string) {
    std::string_view s;
    if (auto e = v.get_string().get(s)) return e;
    out.assign(s);
  } else if (t == od::json_type::number) {
    out.assign(Trim(v.raw_json_token()));
  }
  return simdjson::SUCCESS;
}

struct Distinct {
  std::vector<std::string> pages, downloads, outlinks, keywords;
};

simdjson::error_code ReadAction(od::object action, SimVisit& v, Distinct& d) {
  std::string type, url, keyword;
  int64_t goal_id = 0, items = 0;
  std::string revenue = "0";
  bool has_goal_id = false;
  for (auto field : action) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    od::value val;
    if (auto e = field.value().get(val)) return e;
    if (key == "type") {
      od::json_type t;
      if (auto e = val.type().get(t)) return e;
      if (t == od::json_type::string) {
        std::string_view s;
        if (auto e = val.get_string().get(s)) return e;
        type.assign(s);
      } else {
        type = "content";  // 13: content impression/interaction
      }
    } else if (key == "goalId") {
      if (auto e = LooseInt(val, goal_id)) return e;
      has_goal_id = true;
    } else if (key == "revenue") {
      if (auto e = LooseDecimal(val, revenue)) return e;
    } else if (key == "items") {
      if (auto e = LooseInt(val, items)) return e;
    } else if (key == "url") {
      if (auto e = LooseString(val, url)) return e;
    } else if (key == "siteSearchKeyword") {
      if (auto e = LooseString(val, keyword)) return e;
    }
  }
  if (type == "action") d.pages.push_back(url);
  if (type == "download") d.downloads.push_back(url);
  if (type == "outlink") d.outlinks.push_back(url);
  if (type == "search") d.keywords.push_back(keyword);
  if (type == "action") {
    ++v.pageviews;
  } else if (type == "download") {
    ++v.downloads;
  } else if (type == "outlink") {
    ++v.outlinks;
  } else if (type == "search") {
    ++v.searches;
  } else if (type == "event") {
    ++v.events;
  } else if (type == "goal") {
    v.conversions.push_back({has_goal_id ? goal_id : 0, revenue, 0});
  } else if (type == "ecommerceOrder") {
    v.conversions.push_back({0, revenue, items});
  } else if (type == "ecommerceAbandonedCart") {
    v.conversions.push_back({-1, revenue, items});
  }
  return simdjson::SUCCESS;
}

simdjson::error_code ReadActions(std::string_view raw, SimVisit& v) {
  thread_local od::parser parser;
  simdjson::padded_string padded(raw);
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) return e;
  od::array arr;
  if (auto e = doc.get_array().get(arr)) return e;
  Distinct d;
  for (auto element : arr) {
    od::object action;
    if (auto e = element.get_object().get(action)) return e;
    if (auto e = ReadAction(action, v, d)) return e;
  }
  auto distinct = [](std::vector<std::string>& xs) {
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    return static_cast<int64_t>(xs.size());
  };
  v.uniq_pageviews = distinct(d.pages);
  v.uniq_downloads = distinct(d.downloads);
  v.uniq_outlinks = distinct(d.outlinks);
  distinct(d.keywords);
  v.search_keywords = std::move(d.keywords);
  return simdjson::SUCCESS;
}

simdjson::error_code Describe(const simdjson::padded_string& json, SimVisit& v, size_t& actions_begin,
                              size_t& actions_end) {
  thread_local od::parser parser;
  od::document doc;
  if (auto e = parser.iterate(json).get(doc)) return e;
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return e;
  std::string raw_actions;
  int64_t converted = 0;
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    od::value val;
    if (auto e = field.value().get(val)) return e;
    if (key == "idVisit") {
      if (auto e = LooseInt(val, v.id_visit)) return e;
    } else if (key == "firstActionTimestamp") {
      if (auto e = LooseInt(val, v.first_action_ts)) return e;
    } else if (key == "lastActionTimestamp") {
      if (auto e = LooseInt(val, v.last_action_ts)) return e;
    } else if (key == "visitorId") {
      if (auto e = LooseString(val, v.visitor_id)) return e;
    } else if (key == "userId") {
      if (auto e = LooseString(val, v.user_id)) return e;
    } else if (key == "actions") {
      if (auto e = LooseInt(val, v.actions)) return e;
    } else if (key == "visitDuration") {
      if (auto e = LooseInt(val, v.visit_duration)) return e;
    } else if (key == "visitConverted") {
      if (auto e = LooseInt(val, converted)) return e;
    } else if (key == "actionDetails") {
      od::json_type t;
      if (auto e = val.type().get(t)) return e;
      if (t != od::json_type::array) continue;
      od::array arr;
      if (auto e = val.get_array().get(arr)) return e;
      std::string_view raw;
      if (auto e = arr.raw_json().get(raw)) return e;
      actions_begin = static_cast<size_t>(raw.data() - json.data());
      actions_end = actions_begin + raw.size();
      raw_actions.assign(raw);
    }
  }
  v.converted = converted != 0;
  if (!raw_actions.empty()) {
    if (auto e = ReadActions(raw_actions, v)) return e;
  }
  return simdjson::SUCCESS;
}

}  // namespace

Result<SimVisit> DescribeVisit(std::string json) {
  SimVisit v;
  simdjson::padded_string padded(json);
  size_t begin = std::string::npos, end = std::string::npos;
  if (auto e = Describe(padded, v, begin, end)) {
    return Error(ErrorKind::kData, std::string("a visit does not parse as JSON: ") + simdjson::error_message(e));
  }
  if (v.id_visit == 0) return Error(ErrorKind::kData, "a visit has no idVisit");
  if (begin != std::string::npos) {
    std::string_view raw(json.data() + begin, end - begin);
    // raw_json() may include trailing whitespace; keep it out of the replaced range.
    size_t trimmed = Trim(raw).size();
    v.json_without_actions.reserve(json.size() - trimmed + 2);
    v.json_without_actions.assign(json, 0, begin);
    v.json_without_actions += "[]";
    v.json_without_actions.append(json, begin + trimmed, std::string::npos);
  } else {
    v.json_without_actions = json;
  }
  v.json = std::move(json);
  return v;
}

}  // namespace metl::sim
