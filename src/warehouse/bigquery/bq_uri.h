// The BigQuery warehouse URI: `bigquery://PROJECT/DATASET?location=EU&staging=gs://BUCKET/PREFIX`.
// `location` is the dataset's (BigQuery's default: US); `staging` is where the NDJSON files of a load
// go before the load job reads them (absent: BigQuery's own resumable media upload, in chunks of
// `upload_chunk_kib`, a multiple of 256, default 8192 = 8 MiB). BIGQUERY_EMULATOR_HOST
// (`http://HOST:PORT`, or a bare `HOST:PORT` meaning http) sends the usual /bigquery/v2/... and
// /upload/bigquery/v2/... paths to that host instead of https://bigquery.googleapis.com; requests
// are authenticated all the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace metl::warehouse::bq_engine {

inline constexpr std::string_view kBigQueryEndpoint = "https://bigquery.googleapis.com";

struct BqTarget {
  std::string project;
  std::string dataset;
  std::string location = "US";
  std::string staging;                   // "gs://bucket/prefix" or ""
  std::string endpoint;                  // scheme://host[:port], no trailing slash
  int64_t upload_chunk_bytes = 8 << 20;  // media upload chunk: a multiple of 256 KiB
};

bool IsBigQueryUri(std::string_view uri);
// `emulator_host`: the value of BIGQUERY_EMULATOR_HOST (nullopt when unset).
Result<BqTarget> ParseBigQueryUri(std::string_view uri, std::optional<std::string> emulator_host);

}  // namespace metl::warehouse::bq_engine
