// The planner never plans days before a site was created nor after the last closed day, whatever
// --from/--to say (issue 17): `--from 2000-01-01` must not become 9,000 empty requests per site.
#include <gtest/gtest.h>

#include <filesystem>

#include "extract/planner.h"
#include "landing/backfill_marker.h"
#include "landing/partition_writer.h"

namespace metl::extract {
namespace {

CivilDate D(const char* s) {
  return CivilDate::Parse(s).value();
}

SiteRef Site(std::optional<CivilDate> created) {
  SiteRef s{1, "a", "UTC", TimeZone::Utc()};
  s.created = created;
  return s;
}

landing::LandingZone EmptyZone() {
  return landing::LandingZone(std::filesystem::temp_directory_path() / "metl-planner-clamp-test-nonexistent");
}

PlanOptions At(const char* now) {
  PlanOptions o;
  o.now = ParseTimestamp(now).value();
  return o;
}

TEST(PlannerClamp, ExplicitFromBeforeTheSiteWasCreatedStartsAtCreation) {
  PlanOptions o = At("2026-11-27 08:00:00");
  o.from = D("2000-01-01");
  o.to = D("2026-11-26");
  auto plan = PlanPartitions(EmptyZone(), {Site(D("2026-11-20"))}, o);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 7u);
  EXPECT_EQ(plan->front().date, D("2026-11-20"));
  EXPECT_EQ(plan->back().date, D("2026-11-26"));
}

TEST(PlannerClamp, FutureToStopsAtTheLastClosedDay) {
  PlanOptions o = At("2026-11-27 08:00:00");
  o.from = D("2026-11-25");
  o.to = D("2099-12-31");
  auto plan = PlanPartitions(EmptyZone(), {Site(std::nullopt)}, o);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ(plan->back().date, D("2026-11-26"));
  o.from = D("2099-01-01");
  EXPECT_TRUE(PlanPartitions(EmptyZone(), {Site(std::nullopt)}, o)->empty());
}

TEST(PlannerClamp, FirstRunBackfillOfANewSiteStartsAtItsCreation) {
  PlanOptions o = At("2026-11-27 08:00:00");
  o.backfill_days = 30;
  auto plan = PlanPartitions(EmptyZone(), {Site(D("2026-11-24"))}, o);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ(plan->front().date, D("2026-11-24"));
  // Without a known creation day, the backfill is unchanged.
  EXPECT_EQ(PlanPartitions(EmptyZone(), {Site(std::nullopt)}, o)->size(), 30u);
}

// A first run killed after it landed a later day (partitions run concurrently) left the days before
// it unlanded (CI saw the hole): its backfill marker makes the next run take them. Without a marker
// a run continues from the first landed day, so deleting the oldest landed days stays free.
TEST(PlannerClamp, AnUnfinishedBackfillIsTakenFromItsMarker) {
  auto dir = std::filesystem::temp_directory_path() / "metl-planner-backfill-marker-test";
  std::filesystem::remove_all(dir);
  landing::LandingZone zone(dir);
  auto w = landing::PartitionWriter::Begin(zone, 1, D("2026-11-26"), landing::Compression::kZstd);
  ASSERT_TRUE(w.ok());
  landing::Manifest m;
  m.status = landing::PartitionStatus::kComplete;
  ASSERT_TRUE((*w)->Commit(m).ok());
  PlanOptions o = At("2026-11-27 08:00:00");
  o.backfill_days = 3;
  o.lookback_days = 0;
  EXPECT_TRUE(PlanPartitions(zone, {Site(std::nullopt)}, o)->empty());

  ASSERT_TRUE(landing::WriteBackfillMarker(zone, 1, D("2026-11-24")).ok());
  std::map<int64_t, SiteLanding> landing;
  auto plan = PlanPartitions(zone, {Site(std::nullopt)}, o, &landing);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].date, D("2026-11-24"));
  EXPECT_EQ((*plan)[1].date, D("2026-11-25"));
  EXPECT_EQ(landing[1].first_landed, D("2026-11-26"));
  EXPECT_EQ(landing[1].backfill_marker, D("2026-11-24"));

  ASSERT_TRUE(landing::DeleteBackfillMarker(zone, 1).ok());
  EXPECT_FALSE(landing::ReadBackfillMarker(zone, 1)->has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace metl::extract
