// The ObjectStore contract, run over every implementation (a local folder, gs:// against the
// Google fake over real HTTP), then GCS under faults: 429/503 with and without Retry-After, an
// upload cut mid-chunk, tokens expiring mid-run. Nothing lost, nothing duplicated, no secret leaked.
#include "objstore/object_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "gfake/fake_for_test.h"
#include "objstore/gcs_store.h"
#include "objstore/local_store.h"

namespace metl::objstore {
namespace {

std::string Bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

GcsOptions TestGcsOptions(gfake::FakeGoogleForTest& fake) {
  GcsOptions o;
  o.endpoint = fake.base_url();
  o.tokens = fake.Tokens();
  o.chunk_size = kGcsChunkQuantum;  // 256 KiB: small objects still take several chunks
  o.list_page_size = 3;             // listings take several pages
  o.retry.base_delay_s = 0.01;
  o.retry.max_delay_s = 0.05;
  o.retry.max_retries = 20;
  return o;
}

// One store under test, with what it needs alive.
struct StoreUnderTest {
  std::unique_ptr<gfake::FakeGoogleForTest> fake;
  std::filesystem::path dir;
  std::unique_ptr<ObjectStore> store;
  ~StoreUnderTest() {
    store.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
};

std::unique_ptr<StoreUnderTest> MakeStore(const std::string& kind, gfake::FakeOptions faults = {}) {
  auto s = std::make_unique<StoreUnderTest>();
  if (kind == "local") {
    static int n = 0;
    s->dir = std::filesystem::temp_directory_path() /
             ("metl-objstore-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    s->store = std::make_unique<LocalObjectStore>((s->dir / "root").string());
  } else {
    s->fake = std::make_unique<gfake::FakeGoogleForTest>(faults);
    s->fake->context().gcs().AddBucket("landing-bkt", "EU");
    auto gcs = GcsObjectStore::Open("gs://landing-bkt/runs/prod", TestGcsOptions(*s->fake));
    EXPECT_TRUE(gcs.ok()) << gcs.error().ToString();
    s->store = std::move(*gcs);
  }
  return s;
}

class ObjectStoreContract : public testing::TestWithParam<std::string> {};

TEST_P(ObjectStoreContract, PutGetStatOverwrite) {
  auto s = MakeStore(GetParam());
  ObjectStore& st = *s->store;
  EXPECT_FALSE(st.Stat("site=1/date=2024-01-01/part-0.jsonl.zst").value().has_value());
  auto missing = st.GetString("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kTerminal);
  EXPECT_TRUE(missing.error().message().starts_with("not found"));

  for (size_t size : {size_t{0}, size_t{5}, size_t{262144}, size_t{262145}, size_t{1300000}}) {
    std::string key = "site=1/date=2024-01-01/part-" + std::to_string(size);
    std::string data = Bytes(size, size);
    ASSERT_TRUE(st.PutString(key, data).ok()) << size;
    auto back = st.GetString(key);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(back->size(), data.size());
    EXPECT_TRUE(*back == data) << size;
    auto info = st.Stat(key);
    ASSERT_TRUE(info.ok() && info->has_value());
    EXPECT_EQ((*info)->size, static_cast<int64_t>(size));
    EXPECT_EQ((*info)->key, key);
  }
  std::string key = "site=1/date=2024-01-01/part-5";
  std::string v1 = (*st.Stat(key))->version;
  ASSERT_TRUE(st.PutString(key, "replaced").ok());
  EXPECT_EQ(*st.GetString(key), "replaced");
  EXPECT_NE((*st.Stat(key))->version, v1);
}

TEST_P(ObjectStoreContract, IfAbsentNeverReplaces) {
  auto s = MakeStore(GetParam());
  ObjectStore& st = *s->store;
  PutOptions once;
  once.if_absent = true;
  ASSERT_TRUE(st.PutString("_lock", "first", once).ok());
  auto second = st.PutString("_lock", "second", once);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind(), ErrorKind::kTerminal);
  EXPECT_TRUE(second.error().message().starts_with("precondition failed")) << second.error().message();
  EXPECT_EQ(*st.GetString("_lock"), "first");
  // The same for a resumable (multi-chunk) upload.
  std::string big = Bytes(700000, 3);
  ASSERT_TRUE(st.PutString("big", big, once).ok());
  EXPECT_FALSE(st.PutString("big", Bytes(700000, 4), once).ok());
  EXPECT_TRUE(*st.GetString("big") == big);
}

TEST_P(ObjectStoreContract, IfAbsentRaceHasExactlyOneWinner) {
  auto s = MakeStore(GetParam());
  ObjectStore& st = *s->store;
  PutOptions once;
  once.if_absent = true;
  std::atomic<int> won{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = st.PutString("_run.lock", "writer-" + std::to_string(i), once);
      if (r.ok()) {
        ++won;
      } else if (r.error().message().starts_with("precondition failed")) {
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(refused, 7);
  EXPECT_TRUE(st.GetString("_run.lock")->starts_with("writer-"));
}

TEST_P(ObjectStoreContract, ListIsSortedByKeyUnderAPrefix) {
  auto s = MakeStore(GetParam());
  ObjectStore& st = *s->store;
  std::vector<std::string> keys = {"site=2/date=2024-01-02/_manifest.json", "site=1/date=2024-01-01/part-1",
                                   "site=1/date=2024-01-01/_manifest.json", "site=1/date=2024-01-02/part-0",
                                   "site=1/date=2024-01-01/part-0",         "site=10/date=2024-01-01/part-0",
                                   "site=1/date=2024-01-03/part-0"};
  for (const auto& k : keys) ASSERT_TRUE(st.PutString(k, k).ok());
  auto all = st.List("");
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  std::vector<std::string> got;
  for (const auto& o : *all) got.push_back(o.key);
  std::vector<std::string> want = keys;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);  // every key once, in order, across pages
  auto site1 = st.List("site=1/");
  ASSERT_TRUE(site1.ok());
  EXPECT_EQ(site1->size(), 5u);
  for (const auto& o : *site1) {
    EXPECT_TRUE(o.key.starts_with("site=1/"));
    EXPECT_EQ(o.size, static_cast<int64_t>(o.key.size()));
  }
  auto day = st.List("site=1/date=2024-01-01/");
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(day->size(), 3u);
  EXPECT_TRUE(st.List("site=3/")->empty());
}

TEST_P(ObjectStoreContract, DeleteWithAndWithoutVersion) {
  auto s = MakeStore(GetParam());
  ObjectStore& st = *s->store;
  EXPECT_TRUE(st.Delete("absent").ok());
  ASSERT_TRUE(st.PutString("k", "v").ok());
  std::string version = (*st.Stat("k"))->version;
  auto stale = st.Delete("k", version + "0");
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.error().message().starts_with("precondition failed"));
  EXPECT_TRUE(st.Stat("k")->has_value());
  EXPECT_TRUE(st.Delete("k", version).ok());
  EXPECT_FALSE(st.Stat("k")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Stores, ObjectStoreContract, testing::Values("local", "gcs"),
                         [](const testing::TestParamInfo<std::string>& i) { return i.param; });

// Uploads and downloads under injected faults: every object arrives whole, once.
void RoundTripUnderFaults(gfake::FakeOptions faults, int objects) {
  auto s = MakeStore("gcs", faults);
  ObjectStore& st = *s->store;
  PutOptions once;
  once.if_absent = true;
  for (int i = 0; i < objects; ++i) {
    std::string data = Bytes(static_cast<size_t>(100000 + i * 300000), static_cast<uint64_t>(i));
    auto put = st.PutString("obj-" + std::to_string(i), data, once);
    ASSERT_TRUE(put.ok()) << i << ": " << put.error().ToString();
    auto back = st.GetString("obj-" + std::to_string(i));
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_TRUE(*back == data) << i;
  }
  auto listed = st.List("obj-");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), static_cast<size_t>(objects));  // nothing duplicated, nothing lost
}

TEST(GcsObjectStore, RetriesRateLimitsAndBackendErrorsWithAndWithoutRetryAfter) {
  for (int retry_after : {0, 1}) {
    gfake::FakeOptions o;
    o.faults.fail_429 = *sim::FaultSpec::Parse("every:3");
    o.faults.fail_503 = *sim::FaultSpec::Parse("every:5");
    o.faults.retry_after_s = retry_after;
    RoundTripUnderFaults(o, retry_after > 0 ? 2 : 3);  // a Retry-After of 1 s is waited for: fewer calls
  }
}

TEST(GcsObjectStore, ResumesAnUploadCutMidChunk) {
  gfake::FakeOptions o;
  o.faults.cut_upload = *sim::FaultSpec::Parse("every:2");
  auto s = MakeStore("gcs", o);
  std::string data = Bytes(6 * 262144 + 1234, 9);
  ASSERT_TRUE(s->store->PutString("cut.bin", data).ok());
  EXPECT_TRUE(*s->store->GetString("cut.bin") == data);
  int cuts = 0, status_queries = 0;
  for (const auto& e : s->fake->context().RequestLogSnapshot()) {
    if (e.fault == "cut_upload") ++cuts;
    for (const auto& [k, v] : e.headers) {
      if (k == "content-range" && v.starts_with("bytes */")) ++status_queries;
    }
  }
  EXPECT_GE(cuts, 2);
  EXPECT_GE(status_queries, cuts);  // each cut was followed by "where did it stop?"
}

TEST(GcsObjectStore, AnIfAbsentUploadWhoseAnswerWasLostIsNotAFailure) {
  gfake::FakeOptions o;
  o.faults.cut_upload = *sim::FaultSpec::Parse("first:1");  // stored, then the answer lost
  auto s = MakeStore("gcs", o);
  PutOptions once;
  once.if_absent = true;
  auto put = s->store->PutString("_manifest.json", "{\"visits\":1}", once);
  ASSERT_TRUE(put.ok()) << put.error().ToString();  // the retry's 412 is our own object
  EXPECT_EQ(*s->store->GetString("_manifest.json"), "{\"visits\":1}");
  std::vector<int> statuses;
  for (const auto& e : s->fake->context().RequestLogSnapshot()) {
    if (e.path.starts_with("/upload/")) statuses.push_back(e.fault == "cut_upload" ? -1 : e.status);
  }
  EXPECT_EQ(statuses, (std::vector<int>{-1, 412}));
  // Someone else's object under the same key is still a precondition failure.
  auto other = s->store->PutString("_manifest.json", "{\"visits\":2}", once);
  ASSERT_FALSE(other.ok());
  EXPECT_TRUE(other.error().message().starts_with("precondition failed"));
}

TEST(GcsObjectStore, TokensExpiringMidRunAreRefreshed) {
  gfake::FakeOptions o;
  o.faults.revoke_token_after = 3;  // the fake drops each token after 3 calls: 401, refresh, retry
  o.token_lifetime_s = 2;
  auto s = MakeStore("gcs", o);
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(s->store->PutString("t-" + std::to_string(i), Bytes(300000, static_cast<uint64_t>(i))).ok());
  }
  EXPECT_EQ(s->store->List("t-")->size(), 4u);
  EXPECT_GE(s->fake->context().tokens().issued(), 3);
}

TEST(GcsObjectStore, NoSecretInTheRequestLogOrInLogs) {
  auto s = MakeStore("gcs");
  testing::internal::CaptureStderr();
  ASSERT_TRUE(s->store->PutString("a", Bytes(600000, 1)).ok());
  ASSERT_TRUE(s->store->GetString("a").ok());
  ASSERT_TRUE(s->store->List("").ok());
  std::string logs = testing::internal::GetCapturedStderr();
  std::vector<std::string> secrets = s->fake->context().tokens().IssuedTokens();
  ASSERT_FALSE(secrets.empty());
  // A slice of the private key's base64 body.
  const std::string& pem = gfake::SharedTestAccount().private_key_pem;
  secrets.push_back(pem.substr(pem.find('\n') + 1, 40));
  for (const auto& secret : secrets) {
    EXPECT_EQ(logs.find(secret), std::string::npos);
    for (const auto& e : s->fake->context().RequestLogSnapshot()) {
      EXPECT_EQ(e.path.find(secret), std::string::npos);
      EXPECT_EQ(e.query.find(secret), std::string::npos);
      for (const auto& [k, v] : e.headers) EXPECT_EQ(v.find(secret), std::string::npos) << k;
    }
  }
  for (const auto& e : s->fake->context().RequestLogSnapshot()) {
    EXPECT_EQ(e.query.find("eyJ"), std::string::npos);  // no JWT (assertion) in any URL
  }
}

TEST(GcsObjectStore, EmulatorHostAndOpenObjectStore) {
  gfake::FakeGoogleForTest fake;
  fake.context().gcs().AddBucket("envbkt", "US");
  std::string host = fake.base_url().substr(std::string("http://").size());
  ::setenv("STORAGE_EMULATOR_HOST", host.c_str(), 1);  // bare HOST:PORT = http
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", fake.key_path().c_str(), 1);
  EXPECT_EQ(GcsEndpointFromEnvironment(), fake.base_url());
  auto store = OpenObjectStore("gs://envbkt/some/prefix");
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ((*store)->Describe(), "gs://envbkt/some/prefix");
  ASSERT_TRUE((*store)->PutString("x.json", "{}").ok());
  EXPECT_TRUE(fake.context().gcs().Get("envbkt", "some/prefix/x.json").has_value());
  bool authenticated = false;
  for (const auto& e : fake.context().RequestLogSnapshot()) {
    if (e.path.starts_with("/upload/storage/v1/b/envbkt/o")) {
      for (const auto& [k, v] : e.headers) authenticated |= (k == "authorization");
    }
  }
  EXPECT_TRUE(authenticated);  // an emulator endpoint still gets the bearer token
  ::setenv("STORAGE_EMULATOR_HOST", ("http://" + host + "/").c_str(), 1);
  EXPECT_EQ(GcsEndpointFromEnvironment(), fake.base_url());
  ::unsetenv("STORAGE_EMULATOR_HOST");
  ::unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
  EXPECT_EQ(GcsEndpointFromEnvironment(), "https://storage.googleapis.com");

  EXPECT_FALSE(OpenObjectStore("s3://b/p").ok());
  EXPECT_FALSE(OpenObjectStore("ftp://x").ok());
  auto local = OpenObjectStore("file:///tmp/x");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ((*local)->Describe(), "/tmp/x");
}

}  // namespace
}  // namespace metl::objstore
