// The BigQuery warehouse (issue 13). A partition load, exactly once:
//   1. the normalizer's rows become NDJSON files on local disk, one per table (streamed: memory stays
//      flat), for a group of partitions at once (Capabilities::group_visits: many partitions per load
//      job and per transaction, so that a 24-month backfill of 10 sites stays far below 1,500 load
//      jobs per table and day);
//   2. each file is uploaded (to the gs:// staging store of `?staging=`, else to `_staging/` in a gs://
//      landing zone, else with BigQuery's media upload; a staging bucket must be in the dataset's location) and loaded into a staging table of its own (created with an expirationTime, so that a
//      killed run leaves nothing behind for long) by a load job whose id is derived from the group's
//      partitions, their landed content hashes and this run: a retried jobs.insert finds its own job
//      (409 duplicate) instead of loading twice;
//   3. ONE multi-statement transaction publishes the group: for each table DELETE the group's
//      (site, day) rows and INSERT them from staging, then the ledger rows; COMMIT. Other sites' rows
//      of the same date are untouched (never a partition decorator with WRITE_TRUNCATE);
//   4. the staging tables are dropped.
// A kill before 3 leaves the warehouse as it was (the ledger says the partitions are not loaded); a
// kill after 3's COMMIT leaves them loaded with their ledger rows; the next run redoes what is due.
//
// Concurrent transactions on one table are cancelled by BigQuery: matomo-etl SERIALIZES its own
// writers (one Session loads: Capabilities::concurrent_writers = false) and RETRIES a publish that
// another writer's transaction cancelled, under a new job id, with the shared backoff.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cloud/access_token.h"
#include "core/error.h"
#include "http/http_client.h"
#include "http/retry_policy.h"
#include "warehouse/warehouse.h"

namespace metl::warehouse {

struct BigQueryOptions {
  // The landing zone (--landing): when it is gs://, load files are staged under <landing>/_staging/
  // unless the URI names `?staging=`.
  std::string landing;
  // `load --dry-run`: every step is printed on stdout (bq_dry_run.h); nothing is sent, no credential read.
  bool dry_run = false;
  // `matomo-etl sql`: a session runs only single SELECT / WITH queries (bq_read_only.h); Migrate refuses.
  bool read_only = false;
};

// `uri`: bigquery://PROJECT/DATASET?location=EU&staging=gs://BUCKET/PREFIX (bq_uri.h).
Result<std::unique_ptr<Warehouse>> OpenBigQueryWarehouse(std::string_view uri, std::shared_ptr<http::HttpClient> http,
                                                         std::shared_ptr<cloud::AccessTokenSource> tokens,
                                                         http::RetryOptions retry = {},
                                                         const BigQueryOptions& options = {});

// The same with Google's Application Default Credentials (cloud/google_credentials.h) for the
// bigquery scope, over libcurl: what `--warehouse bigquery://...` opens.
Result<std::unique_ptr<Warehouse>> OpenBigQueryWarehouseWithDefaultCredentials(std::string_view uri,
                                                                               const BigQueryOptions& options = {});

}  // namespace metl::warehouse
