// Checks request bodies against BigQuery's discovery document: every field must be one the API
// declares for that resource, with the declared JSON type (null accepted anywhere: Google's own `bq`
// sends nulls and empty arrays for unset fields). The document comes with google-cloud-cli
// (/usr/lib/google-cloud-sdk/platform/bq/discovery_next/bigquery.json, revision 20250528 in 528.0.0);
// where it is absent the check is skipped and the fake says so (BigQueryStats::discovery_checked).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace metl::gfake {

inline constexpr std::string_view kCloudSdkBigQueryDiscovery =
    "/usr/lib/google-cloud-sdk/platform/bq/discovery_next/bigquery.json";

class DiscoveryChecker {
 public:
  // nullptr when the file is absent or unreadable.
  static std::unique_ptr<DiscoveryChecker> Load(const std::string& path);
  ~DiscoveryChecker();
  // "" when `body` is a valid `schema` (e.g. "Job", "Table", "Dataset"), else what is wrong, e.g.
  // "Job.configuration.load.sourceFormatt: no such field".
  std::string Check(std::string_view schema, std::string_view body) const;
  const std::string& revision() const { return revision_; }

 private:
  DiscoveryChecker() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string revision_;
};

}  // namespace metl::gfake
