#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "landing/content_hash.h"
#include "landing/landing_zone.h"
#include "landing/manifest.h"
#include "landing/partition_writer.h"
#include "landing/run_lock.h"

namespace metl::landing {
namespace {
namespace fs = std::filesystem;

class TempRoot {
 public:
  TempRoot() {
    path_ = fs::temp_directory_path() / ("metl-landing-test-" + RandomName());
    fs::create_directories(path_);
  }
  ~TempRoot() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<std::string> ReadAllLines(const LandingZone& zone, const PartitionRef& ref) {
  auto reader = PartitionReader::Open(zone, ref);
  EXPECT_TRUE(reader.ok()) << (reader.ok() ? "" : reader.error().ToString());
  std::vector<std::string> out;
  std::string_view line;
  for (;;) {
    auto more = (*reader)->Next(line);
    EXPECT_TRUE(more.ok()) << (more.ok() ? "" : more.error().ToString());
    if (!more.ok() || !*more) break;
    out.emplace_back(line);
  }
  return out;
}

Manifest Base() {
  Manifest m;
  m.site_timezone = "America/New_York";
  m.matomo_nb_visits = 3;
  m.matomo_version = "5.1.2";
  m.source_url = "http://127.0.0.1:1/";
  m.request = {{"method", "Live.getLastVisitsDetails"}, {"idSite", "1"}};
  m.requests = 2;
  m.extracted_at = "2026-11-27T08:00:00Z";
  m.extractor_version = "0.1.0";
  return m;
}

TEST(LandingContentHash, IndependentOfOrder) {
  ContentHasher a, b;
  a.Add("x");
  a.Add("y");
  b.Add("y");
  b.Add("x");
  EXPECT_EQ(a.Hex(), b.Hex());
  ContentHasher c;
  c.Add("x");
  c.Add("z");
  EXPECT_NE(a.Hex(), c.Hex());
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(LandingManifest, RoundTripsInContractOrder) {
  Manifest m = Base();
  m.site_id = 7;
  m.date = CivilDate::FromYmd(2026, 11, 1);
  m.status = PartitionStatus::kMismatch;
  m.visits = 3;
  m.bytes = 42;
  m.content_sha256 = "ab";
  m.parts = {{"part-00000.jsonl.zst", 3, 42, 30}};
  std::string json = ManifestToJson(m);
  EXPECT_LT(json.find("\"format_version\""), json.find("\"site_id\""));
  EXPECT_LT(json.find("\"requests\""), json.find("\"extracted_at\""));
  auto back = ParseManifest(json);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(ManifestToJson(*back), json);
  m.matomo_nb_visits.reset();
  back = ParseManifest(ManifestToJson(m));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->matomo_nb_visits.has_value());
  EXPECT_FALSE(ParseManifest("{\"site_id\": 1}").ok());
  EXPECT_FALSE(ParseManifest("not json").ok());
}

TEST(LandingManifest, InvalidUtf8CountRoundTripsAndOldManifestsReadZero) {
  Manifest m = Base();
  m.invalid_utf8_replaced = 12;
  std::string json = ManifestToJson(m);
  EXPECT_LT(json.find("\"truncated_visits\""), json.find("\"invalid_utf8_replaced\": 12"));
  auto back = ParseManifest(json);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->invalid_utf8_replaced, 12);
  // A manifest written before the field existed.
  std::string old = json.substr(0, json.find("  \"invalid_utf8_replaced\"")) + json.substr(json.find("  \"compression\""));
  ASSERT_EQ(old.find("invalid_utf8"), std::string::npos);
  back = ParseManifest(old);
  ASSERT_TRUE(back.ok()) << back.error().ToString() << old;
  EXPECT_EQ(back->invalid_utf8_replaced, 0);
}

class LandingWriterTest : public ::testing::TestWithParam<Compression> {};

TEST_P(LandingWriterTest, CommitsReadsAndReplaces) {
  TempRoot root;
  LandingZone zone(root.path());
  CivilDate day = CivilDate::FromYmd(2026, 11, 25);
  PartLimits limits;
  limits.max_visits = 2;  // forces several parts
  auto w = PartitionWriter::Begin(zone, 1, day, GetParam(), limits);
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  std::vector<std::string> lines = {R"({"idVisit":1,"a":"é"})", R"({"idVisit":2})", R"({"idVisit":3,"truncatedActionsCount":4})"};
  // Not visible before commit.
  ASSERT_TRUE((*w)->Add(lines[0], false).ok());
  EXPECT_TRUE(zone.ListPartitions()->empty());
  ASSERT_TRUE((*w)->Add(lines[1], false).ok());
  ASSERT_TRUE((*w)->Add(lines[2], true).ok());
  auto m = (*w)->Commit(Base());
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->visits, 3);
  EXPECT_EQ(m->truncated_visits, 1);
  EXPECT_EQ(m->parts.size(), 2u);
  int64_t bytes = 0;
  for (auto& l : lines) bytes += static_cast<int64_t>(l.size()) + 1;
  EXPECT_EQ(m->bytes, bytes);
  EXPECT_EQ(m->compression, GetParam());

  auto list = zone.ListPartitions();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].site_id, 1);
  EXPECT_EQ((*list)[0].date, day);
  auto read_m = zone.ReadManifest((*list)[0]);
  ASSERT_TRUE(read_m.ok()) << read_m.error().ToString();
  EXPECT_EQ(read_m->content_sha256, m->content_sha256);
  EXPECT_EQ(ReadAllLines(zone, (*list)[0]), lines);
  // Temp folder gone.
  EXPECT_TRUE(fs::is_empty(zone.TempRoot()));

  // Replace with other content.
  auto w2 = PartitionWriter::Begin(zone, 1, day, GetParam());
  ASSERT_TRUE(w2.ok());
  ASSERT_TRUE((*w2)->Add(R"({"idVisit":9})", false).ok());
  ASSERT_TRUE((*w2)->Commit(Base()).ok());
  EXPECT_EQ(ReadAllLines(zone, *zone.Find(1, day)), std::vector<std::string>{R"({"idVisit":9})"});
  EXPECT_EQ(zone.ListPartitions()->size(), 1u);
  EXPECT_TRUE(fs::is_empty(zone.TempRoot()));
}

TEST_P(LandingWriterTest, EmptyPartitionAndLargeLines) {
  TempRoot root;
  LandingZone zone(root.path());
  CivilDate day = CivilDate::FromYmd(2026, 3, 8);
  auto w = PartitionWriter::Begin(zone, 2, day, GetParam());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Commit(Base()).ok());
  auto ref = zone.Find(2, day);
  ASSERT_TRUE(ref);
  EXPECT_TRUE(ReadAllLines(zone, *ref).empty());
  EXPECT_EQ(zone.ReadManifest(*ref)->visits, 0);

  auto w2 = PartitionWriter::Begin(zone, 2, day + 1, GetParam());
  std::string big(700000, 'x');  // bigger than one read chunk
  std::vector<std::string> lines = {big, "{}", big + "y"};
  for (auto& l : lines) ASSERT_TRUE((*w2)->Add(l, false).ok());
  ASSERT_TRUE((*w2)->Commit(Base()).ok());
  EXPECT_EQ(ReadAllLines(zone, *zone.Find(2, day + 1)), lines);
}

INSTANTIATE_TEST_SUITE_P(Compressions, LandingWriterTest, ::testing::Values(Compression::kZstd, Compression::kGzip));

TEST(LandingZone, AbortLeavesNothingAndListingIgnoresJunk) {
  TempRoot root;
  LandingZone zone(root.path());
  CivilDate day = CivilDate::FromYmd(2026, 11, 25);
  {
    auto w = PartitionWriter::Begin(zone, 1, day, Compression::kZstd);
    ASSERT_TRUE((*w)->Add("{}", false).ok());
  }  // destroyed without commit
  EXPECT_TRUE(fs::is_empty(zone.TempRoot()));
  fs::create_directories(root.path() / "site=1" / "date=2026-11-26");  // no manifest: invisible
  fs::create_directories(root.path() / "site=x" / "date=2026-11-26");
  fs::create_directories(root.path() / "other");
  fs::create_directories(zone.TempRoot() / "leftover");
  EXPECT_TRUE(zone.ListPartitions()->empty());
  ASSERT_TRUE(zone.CleanTemp().ok());
  EXPECT_TRUE(fs::is_empty(zone.TempRoot()));

  for (int site : {2, 1}) {
    for (int d : {3, 1, 2}) {
      auto w = PartitionWriter::Begin(zone, site, day + d, Compression::kGzip);
      ASSERT_TRUE((*w)->Commit(Base()).ok());
    }
  }
  auto all = zone.ListPartitions();
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ((*all)[0].site_id, 1);
  EXPECT_EQ((*all)[0].date, day + 1);
  PartitionFilter f;
  f.sites = {2};
  f.from = day + 2;
  auto some = zone.ListPartitions(f);
  ASSERT_EQ(some->size(), 2u);
  EXPECT_EQ((*some)[0].date, day + 2);
}

TEST(LandingReader, DetectsTruncatedPart) {
  TempRoot root;
  LandingZone zone(root.path());
  CivilDate day = CivilDate::FromYmd(2026, 11, 25);
  for (auto c : {Compression::kZstd, Compression::kGzip}) {
    auto w = PartitionWriter::Begin(zone, c == Compression::kZstd ? 1 : 2, day, c);
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE((*w)->Add("{\"idVisit\":" + std::to_string(i) + "}", false).ok());
    auto m = (*w)->Commit(Base());
    ASSERT_TRUE(m.ok());
    fs::path part = zone.PartitionDir(m->site_id, day) / m->parts[0].file;
    fs::resize_file(part, fs::file_size(part) - 5);
    auto reader = PartitionReader::Open(zone, *zone.Find(m->site_id, day));
    ASSERT_TRUE(reader.ok());
    std::string_view line;
    Result<bool> r = true;
    while (r.ok() && *r) r = (*reader)->Next(line);
    EXPECT_FALSE(r.ok()) << CompressionName(c);
  }
}

TEST(LandingRunLock, ExcludesAndTakesOverStaleLocks) {
  TempRoot root;
  {
    auto a = RunLock::Acquire(root.path(), "extract");
    ASSERT_TRUE(a.ok()) << a.error().ToString();
    EXPECT_FALSE((*a)->took_over_stale());
    // Another process cannot take it while we hold it.
    pid_t pid = ::fork();
    if (pid == 0) {
      auto b = RunLock::Acquire(root.path(), "extract");
      ::_exit(b.ok() ? 1 : (b.error().message().find("pid " + std::to_string(::getppid())) != std::string::npos ? 0 : 2));
    }
    int st = 0;
    ::waitpid(pid, &st, 0);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << WEXITSTATUS(st);
  }
  EXPECT_FALSE(fs::exists(root.path() / ".lock"));
  // A lock file left by a process killed with -9 (no flock held any more) is taken over.
  pid_t pid = ::fork();
  if (pid == 0) {
    auto b = RunLock::Acquire(root.path(), "extract");
    ::kill(::getpid(), SIGKILL);
    ::_exit(0);
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  ASSERT_TRUE(fs::exists(root.path() / ".lock"));
  auto c = RunLock::Acquire(root.path(), "extract");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_TRUE((*c)->took_over_stale());
  EXPECT_EQ((*c)->previous().pid, pid);
}

}  // namespace
}  // namespace metl::landing
