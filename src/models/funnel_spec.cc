#include "models/funnel_spec.h"

#include <charconv>
#include <set>

namespace metl::models {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

Error Bad(std::string_view funnel, std::string_view what) {
  return Error(ErrorKind::kConfig,
               "funnels: " + (funnel.empty() ? std::string() : "funnel \"" + std::string(funnel) + "\": ") +
                   std::string(what))
      .WithHint(
          "write funnels as \"NAME: STEP > STEP; NAME: ...\" with steps url=GLOB, event=CATEGORY[/ACTION], "
          "goal=ID, goal=order or goal=any (docs/bi.md, Funnels)");
}

Result<FunnelStep> ParseStep(std::string_view funnel, std::string_view text) {
  FunnelStep step;
  step.definition = std::string(text);
  size_t eq = text.find('=');
  if (eq == std::string_view::npos) return Bad(funnel, "step \"" + std::string(text) + "\" has no '='");
  std::string_view kind = Trim(text.substr(0, eq)), value = Trim(text.substr(eq + 1));
  if (value.empty()) return Bad(funnel, "step \"" + std::string(text) + "\" has no value");
  if (kind == "url") {
    step.kind = FunnelStep::Kind::kUrl;
    for (char c : value) step.pattern += c == '*' ? '%' : c;
  } else if (kind == "event") {
    step.kind = FunnelStep::Kind::kEvent;
    size_t slash = value.find('/');
    step.category = std::string(Trim(value.substr(0, slash)));
    if (slash != std::string_view::npos) step.action = std::string(Trim(value.substr(slash + 1)));
    if (step.category.empty()) return Bad(funnel, "step \"" + std::string(text) + "\" names no event category");
  } else if (kind == "goal") {
    if (value == "order") {
      step.kind = FunnelStep::Kind::kOrder;
    } else if (value == "any") {
      step.kind = FunnelStep::Kind::kAnyConversion;
    } else {
      step.kind = FunnelStep::Kind::kGoal;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), step.goal_id);
      if (ec != std::errc() || end != value.data() + value.size() || step.goal_id <= 0) {
        return Bad(funnel, "step \"" + std::string(text) + "\": a goal is a goal id (a number > 0), order or any");
      }
    }
  } else {
    return Bad(funnel,
               "step \"" + std::string(text) + "\": unknown kind \"" + std::string(kind) + "\" (url, event or goal)");
  }
  return step;
}

}  // namespace

Result<std::vector<Funnel>> ParseFunnels(std::string_view text) {
  std::vector<Funnel> out;
  std::set<std::string> names;
  for (std::string_view part : Split(text, ';')) {
    part = Trim(part);
    if (part.empty()) continue;
    size_t colon = part.find(':');
    if (colon == std::string_view::npos) return Bad("", "\"" + std::string(part) + "\" has no \"NAME:\"");
    Funnel f;
    f.name = std::string(Trim(part.substr(0, colon)));
    if (f.name.empty()) return Bad("", "a funnel has no name");
    if (!names.insert(f.name).second) return Bad(f.name, "defined twice");
    for (std::string_view s : Split(part.substr(colon + 1), '>')) {
      s = Trim(s);
      if (s.empty()) return Bad(f.name, "an empty step");
      METL_ASSIGN_OR_RETURN(FunnelStep step, ParseStep(f.name, s));
      f.steps.push_back(std::move(step));
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace metl::models
