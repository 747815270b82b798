#include "warehouse/bigquery/bq_uri.h"

#include <cctype>
#include <cstdlib>

namespace metl::warehouse::bq_engine {
namespace {

Error UriError(const std::string& what) {
  return Error(ErrorKind::kConfig, "--warehouse bigquery://: " + what)
      .WithHint("use bigquery://PROJECT/DATASET?location=EU (optional: &staging=gs://BUCKET/PREFIX)");
}

// Project ids: 6-30 lowercase letters, digits and hyphens (and the legacy "domain.com:name" form).
bool ValidProject(std::string_view p) {
  if (p.empty() || p.size() > 100) return false;
  for (char c : p) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '-' &&
        c != '.' && c != ':') {
      return false;
    }
  }
  return true;
}

// Dataset ids: letters, digits and underscores, at most 1,024.
bool ValidDataset(std::string_view d) {
  if (d.empty() || d.size() > 1024) return false;
  for (char c : d) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

bool IsBigQueryUri(std::string_view uri) {
  return uri.substr(0, 11) == "bigquery://";
}

Result<BqTarget> ParseBigQueryUri(std::string_view uri, std::optional<std::string> emulator_host) {
  if (!IsBigQueryUri(uri)) return UriError("not a bigquery:// URI");
  std::string_view rest = uri.substr(11);
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return UriError("the dataset is missing");
  BqTarget t;
  t.project = std::string(rest.substr(0, slash));
  t.dataset = std::string(rest.substr(slash + 1));
  if (!t.dataset.empty() && t.dataset.back() == '/') t.dataset.pop_back();
  if (!ValidProject(t.project)) return UriError("'" + t.project + "' is not a Google Cloud project id");
  if (!ValidDataset(t.dataset)) {
    return UriError("'" + t.dataset + "' is not a BigQuery dataset id (letters, digits and underscores)");
  }
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = kv.find('=');
    std::string key(kv.substr(0, eq)), value(eq == std::string_view::npos ? "" : kv.substr(eq + 1));
    if (key == "location") {
      if (value.empty()) return UriError("location= is empty");
      t.location = value;
    } else if (key == "staging") {
      if (value.substr(0, 5) != "gs://" || value.size() <= 5) return UriError("staging= must be gs://BUCKET/PREFIX");
      t.staging = value;
    } else if (key == "upload_chunk_kib") {
      char* end = nullptr;
      long long kib = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || kib <= 0 || kib % 256 != 0 || kib > 1024 * 1024) {
        return UriError("upload_chunk_kib= must be a multiple of 256 (KiB), e.g. 8192 for 8 MiB");
      }
      t.upload_chunk_bytes = kib * 1024;
    } else {
      return UriError("unknown parameter '" + key + "' (known: location, staging, upload_chunk_kib)");
    }
  }
  t.endpoint = std::string(kBigQueryEndpoint);
  if (emulator_host && !emulator_host->empty()) {
    std::string host = *emulator_host;
    while (!host.empty() && host.back() == '/') host.pop_back();
    if (host.find("://") == std::string::npos) host = "http://" + host;
    if (host.substr(0, 7) != "http://" && host.substr(0, 8) != "https://") {
      return Error(ErrorKind::kConfig,
                   "BIGQUERY_EMULATOR_HOST must be http://HOST:PORT, https://HOST:PORT or HOST:PORT");
    }
    t.endpoint = host;
  }
  return t;
}

}  // namespace metl::warehouse::bq_engine
