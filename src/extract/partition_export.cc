#include "extract/partition_export.h"

#include <unordered_set>

#include "core/log.h"
#include "landing/partition_writer.h"
#include "matomo/api.h"

namespace metl::extract {
namespace {

constexpr int64_t kMaxTieLimit = 1000000;

struct Extracted {
  std::unique_ptr<landing::PartitionWriter> writer;
  int64_t dropped = 0;
  int64_t invalid_utf8_replaced = 0;  // in the visits added (a visit seen on two pages counts once)
};

// One pass over the day's pages into a fresh temp folder.
Result<Extracted> ExtractOnce(const ExportContext& ctx, const PlannedPartition& p, int64_t& requests) {
  Extracted out;
  METL_ASSIGN_OR_RETURN(out.writer,
                        landing::PartitionWriter::Begin(*ctx.zone, p.site.id, p.date, ctx.compression));
  std::unordered_set<int64_t> seen;
  std::optional<int64_t> cursor;  // minTimestamp of the next request (strict)
  int64_t tie_limit = 0;          // a bigger page when more than a page of visits share one second
  for (;;) {
    int64_t limit = std::max(ctx.sizer->current(), tie_limit);
    matomo::Params params = matomo::LiveParams(p.site.id, p.date, limit, 0);
    if (cursor) params.emplace_back("minTimestamp", std::to_string(*cursor));
    matomo::CallInfo info;
    info.stop_on_query_timeout = limit > ctx.sizer->minimum();
    auto page = ctx.client->Call<matomo::LivePage>("Live.getLastVisitsDetails", params, matomo::ParseLivePage, &info);
    requests += info.requests;
    if (!page.ok()) {
      if (info.query_timeout && info.stop_on_query_timeout) {
        ++ctx.client->stats().retries;  // the same page again, smaller
        int64_t next = ctx.sizer->OnTimeout(limit);
        tie_limit = 0;
        LogInfo("page timed out; asking for smaller pages",
                {{"site", p.site.id}, {"date", p.date.ToString()}, {"page_size", next}});
        continue;
      }
      return std::move(page).error();
    }
    ctx.sizer->OnPage(limit, info.last_elapsed_s);
    int64_t fresh = 0;
    std::optional<int64_t> max_ts = cursor ? std::optional<int64_t>(*cursor + 1) : std::nullopt;
    for (const auto& v : page->visits) {
      if (!max_ts || v.last_action_ts > *max_ts) max_ts = v.last_action_ts;
      if (!seen.insert(v.id_visit).second) continue;
      ++fresh;
      if (p.site.tz->LocalDateOf(v.last_action_ts) != p.date) {
        ++out.dropped;
        continue;
      }
      METL_TRY(out.writer->Add(v.raw, v.truncated));
      out.invalid_utf8_replaced += v.invalid_utf8_replaced;
    }
    if (static_cast<int64_t>(page->visits.size()) < limit) return out;  // a short page: the day is done
    if (fresh == 0) {
      // A full page of visits already seen: they all share the cursor's second. Ask for more at once.
      tie_limit = limit * 2;
      if (tie_limit > kMaxTieLimit) {
        return Error(ErrorKind::kData, "more than " + std::to_string(kMaxTieLimit) +
                                           " visits share one last-action second; cannot page this day");
      }
      continue;
    }
    tie_limit = 0;
    cursor = *max_ts - 1;  // one second back: the visits of the last second come again, deduplicated
  }
}

}  // namespace

const char* PartitionResultName(PartitionResult r) {
  switch (r) {
    case PartitionResult::kLanded: return "landed";
    case PartitionResult::kUnchanged: return "unchanged";
    case PartitionResult::kFailed: return "failed";
    case PartitionResult::kMismatch: return "mismatch";
  }
  return "failed";
}

PartitionOutcome ExportPartition(const ExportContext& ctx, const PlannedPartition& p) {
  PartitionOutcome o;
  o.site_id = p.site.id;
  o.date = p.date;
  o.partial = p.partial;
  auto fail = [&](const Error& e) {
    o.result = PartitionResult::kFailed;
    o.error = e.ToString();
    o.error_kind = e.kind();
    return o;
  };
  for (int attempt = 1;; ++attempt) {
    auto extracted = ExtractOnce(ctx, p, o.requests);
    if (!extracted.ok()) return fail(extracted.error());
    auto& writer = *extracted->writer;
    o.dropped_other_day = extracted->dropped;
    o.invalid_utf8_replaced = extracted->invalid_utf8_replaced;

    matomo::CallInfo info;
    auto nb = matomo::GetNbVisits(*ctx.client, p.site.id, p.date, &info);
    o.requests += info.requests;
    if (nb.ok()) {
      o.matomo_nb_visits = *nb;
    } else {
      if (nb.error().kind() == ErrorKind::kConfig) return fail(nb.error());
      o.matomo_nb_visits.reset();
      LogWarn("VisitsSummary.get failed; landing without the count check",
              {{"site", p.site.id}, {"date", p.date.ToString()}, {"error", nb.error().ToString()}});
    }
    landing::PartitionStatus status = landing::PartitionStatus::kComplete;
    if (p.partial) {
      status = landing::PartitionStatus::kPartial;
    } else if (o.matomo_nb_visits && *o.matomo_nb_visits != writer.visits()) {
      if (attempt == 1) {
        LogWarn("visit count differs from VisitsSummary.get; extracting the day again",
                {{"site", p.site.id},
                 {"date", p.date.ToString()},
                 {"landed", writer.visits()},
                 {"matomo_nb_visits", *o.matomo_nb_visits}});
        writer.Abort();
        continue;
      }
      status = landing::PartitionStatus::kMismatch;
      o.error = "extracted " + std::to_string(writer.visits()) + " visits but VisitsSummary.get nb_visits is " +
                std::to_string(*o.matomo_nb_visits) + " (after one re-extraction)";
    }
    if (o.invalid_utf8_replaced > 0) {
      // Visible in the data (U+FFFD), counted here and in the manifest: never silently dropped.
      LogWarn("Matomo sent invalid UTF-8: replaced with U+FFFD",
              {{"site", p.site.id}, {"date", p.date.ToString()},
               {"replaced_bytes", o.invalid_utf8_replaced}});
    }
    o.visits = writer.visits();
    o.content_sha256 = writer.ContentSha256();
    o.result = status == landing::PartitionStatus::kMismatch ? PartitionResult::kMismatch : PartitionResult::kLanded;

    // A re-extracted day replaces the landed one only if its content (or status) changed.
    if (auto existing = ctx.zone->Find(p.site.id, p.date)) {
      auto m = ctx.zone->ReadManifest(*existing);
      if (m.ok() && m->content_sha256 == o.content_sha256 && m->status == status) {
        writer.Abort();
        if (o.result == PartitionResult::kLanded) o.result = PartitionResult::kUnchanged;
        return o;
      }
    }
    landing::Manifest m;
    m.site_timezone = p.site.timezone_name;
    m.status = status;
    m.matomo_nb_visits = o.matomo_nb_visits;
    m.matomo_version = ctx.matomo_version;
    m.source_url = matomo::SourceUrl(ctx.client->api_url());
    m.request.emplace_back("method", "Live.getLastVisitsDetails");
    for (auto& kv : matomo::LiveManifestParams(p.site.id, p.date)) m.request.push_back(kv);
    m.requests = o.requests;
    m.invalid_utf8_replaced = o.invalid_utf8_replaced;
    m.extracted_at = landing::FormatIsoUtc(ctx.clock->NowEpochSeconds());
    m.extractor_version = ctx.extractor_version;
    auto committed = writer.Commit(std::move(m));
    if (!committed.ok()) return fail(committed.error());
    if (ctx.visits_counter) *ctx.visits_counter += o.visits;
    return o;
  }
}

}  // namespace metl::extract
