// Google's own `bq` CLI accepts the fake (issue 13): logged in with the test service account through
// google-fake's token endpoint, it creates a dataset, loads a local NDJSON file (a load job fed by
// bq's resumable media upload) and queries it. It runs inside `unshare -rn` (only loopback exists)
// where the kernel allows it, so nothing can leave the machine. Where bq is absent the test says that
// it skipped. What bq needs to talk to the fake: tests/e2e/bq_cli_roundtrip.sh.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "google_cli.h"

namespace metl::e2e {
namespace {

// (BigQuery* names: the sanitizer stage of scripts/run-tests.sh leaves these out.)
TEST(BigQueryBqCli, LoadsAFileAndQueriesItThroughTheFake) {
  if (!OnPath("bq") || !OnPath("gcloud")) {
    GTEST_SKIP() << "bq or gcloud is not installed: skipped (google-cloud-cli provides them)";
  }
  if (::access("/usr/lib/google-cloud-sdk/platform/bq/discovery_next/bigquery.json", R_OK) != 0) {
    GTEST_SKIP() << "google-cloud-cli's BigQuery discovery document is absent: skipped";
  }
  TempDir dir;
  WriteFile(dir.path() / "rows.json",
            "{\"site_id\":1,\"visit_id\":10,\"referrer\":\"google\"}\n"
            "{\"site_id\":1,\"visit_id\":11,\"referrer\":\"direct\"}\n"
            "{\"site_id\":2,\"visit_id\":12,\"referrer\":\"newsletter\"}\n");
  ProcessResult r = RunGoogleCliScript("bq_cli_roundtrip.sh", dir.str());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err << ReadFile(dir.path() / "fake.err");
  EXPECT_NE(r.out.find("bq round trip done"), std::string::npos);
  EXPECT_EQ(ReadFile(dir.path() / "query.csv"), "site_id,visits,refs\n1,2,google+direct\n2,1,newsletter\n");

  // bq authenticated with a token the fake issued, uploaded the file and ran the jobs at the fake.
  std::string log = ReadFile(dir.path() / "requests.jsonl");
  EXPECT_NE(log.find("\"path\":\"/token\",\"query\":\"\",\"status\":200"), std::string::npos) << log;
  EXPECT_NE(log.find("\"path\":\"/bigquery/v2/projects/metl-test-project/datasets\""), std::string::npos);
  EXPECT_NE(log.find("\"path\":\"/upload/bigquery/v2/projects/metl-test-project/jobs\""), std::string::npos);
  EXPECT_NE(log.find("/queries/"), std::string::npos);
  EXPECT_EQ(log.find("\"status\":401"), std::string::npos) << log;
  EXPECT_EQ(log.find("ya29."), std::string::npos);  // no token outside the (redacted) header
}

}  // namespace
}  // namespace metl::e2e
