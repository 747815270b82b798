#include "dwc/dwc_partitions.h"

#include <algorithm>
#include <map>
#include <memory>

#include "dwc/live_visit.h"
#include "dwc/raw_decode.h"
#include "landing/partition_writer.h"

namespace metl::dwc {
namespace {

struct VisitRef {
  int64_t last = 0;
  int64_t idvisit = 0;
  const RawRow* row = nullptr;
};

// Each visit's (site, local day); sites whose context fails are reported in `errors`.
std::map<DayKey, std::vector<VisitRef>> VisitsByDay(const RawStore& store, std::map<int64_t, SiteContext>* contexts,
                                                    std::map<int64_t, Error>* errors) {
  std::map<DayKey, std::vector<VisitRef>> days;
  for (const auto& [idvisit, row] : store.visits()) {
    auto site = row.Int("idsite");
    auto last = ParseUtcDateTime(row.Text("visit_last_action_time").value_or(""));
    if (!site || !last) continue;
    auto it = contexts->find(*site);
    if (it == contexts->end()) {
      if (errors->count(*site)) continue;
      auto c = LoadSiteContext(store, *site);
      if (!c.ok()) {
        errors->emplace(*site, c.error());
        continue;
      }
      it = contexts->emplace(*site, std::move(c).value()).first;
    }
    days[{*site, it->second.zone->LocalDateOf(*last)}].push_back({*last, idvisit, &row});
  }
  return days;
}

}  // namespace

Result<std::vector<LandedDay>> LandDays(const RawStore& store, const landing::LandingZone& zone,
                                        const std::set<DayKey>& days, int64_t now_epoch,
                                        const std::string& extractor_version) {
  std::map<int64_t, SiteContext> contexts;
  std::map<int64_t, Error> errors;
  auto by_day = VisitsByDay(store, &contexts, &errors);
  std::vector<LandedDay> out;
  for (const auto& [site, error] : errors) {
    for (const DayKey& d : days) {
      if (d.site_id == site) out.push_back({d, 0, false, error.ToString()});
    }
  }
  for (const DayKey& day : days) {
    auto ctx = contexts.find(day.site_id);
    if (ctx == contexts.end()) continue;
    auto refs_it = by_day.find(day);
    std::vector<VisitRef> refs = refs_it == by_day.end() ? std::vector<VisitRef>{} : refs_it->second;
    // Live's order for period=day, filter_sort_order=asc (last action time; ties by id).
    std::sort(refs.begin(), refs.end(), [](const VisitRef& a, const VisitRef& b) {
      return a.last != b.last ? a.last < b.last : a.idvisit < b.idvisit;
    });
    LandedDay landed{day, static_cast<int64_t>(refs.size()), false, ""};
    auto writer = landing::PartitionWriter::Begin(zone, day.site_id, day.date, landing::Compression::kZstd);
    if (!writer.ok()) return writer.error();
    for (const VisitRef& v : refs) {
      METL_TRY((*writer)->Add(RenderLiveVisit(store, ctx->second, *v.row), false));
    }
    if (auto existing = zone.Find(day.site_id, day.date)) {
      auto m = zone.ReadManifest(*existing);
      if (m.ok() && m->content_sha256 == (*writer)->ContentSha256()) {
        (*writer)->Abort();
        out.push_back(landed);
        continue;
      }
    }
    landing::Manifest m;
    m.site_timezone = ctx->second.zone->name();
    m.status = landing::PartitionStatus::kComplete;
    m.source_url = "dwc";
    m.request.emplace_back("source", "dwc");
    m.extracted_at = landing::FormatIsoUtc(now_epoch);
    m.extractor_version = extractor_version;
    auto committed = (*writer)->Commit(std::move(m));
    if (!committed.ok()) return committed.error();
    landed.changed = true;
    out.push_back(landed);
  }
  std::sort(out.begin(), out.end(), [](const LandedDay& a, const LandedDay& b) { return a.key < b.key; });
  return out;
}

}  // namespace metl::dwc
