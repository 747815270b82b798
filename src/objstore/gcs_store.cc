#include "objstore/gcs_store.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "cloud/google_credentials.h"
#include "core/base64.h"
#include "core/digest.h"
#include "core/flat_json.h"
#include "core/log.h"
#include "http/curl_http_client.h"
#include "http/resumable_upload.h"
#include "http/retried_exchange.h"
#include "http/transport.h"
#include "objstore/gcs_store_impl.h"

namespace metl::objstore {
namespace {

using http::HttpRequest;
using http::HttpResult;

constexpr const char* kRetryLog = "retrying a Cloud Storage request";

int64_t ParseRfc3339(const std::string& t) {
  std::tm tm{};
  if (std::sscanf(t.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

std::string GcsEncode(std::string_view s) {
  return http::FormEncode(std::string(s));
}

std::string GcsErrorMessage(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  std::string_view message;
  if (parser.parse(padded)["error"]["message"].get(message) != simdjson::SUCCESS) return "";
  return std::string(message);
}

GcsDigests GcsDigestsOf(Md5& md5, const Crc32c& crc) {
  return GcsDigests{Base64Encode(md5.Final()), Base64Encode(crc.BigEndianBytes())};
}

Error GcsPreconditionFailed(const std::string& where) {
  return Error(ErrorKind::kTerminal, "precondition failed: " + where + " already exists (or changed)");
}

std::string GcsEndpointFromEnvironment() {
  const char* host = std::getenv("STORAGE_EMULATOR_HOST");
  if (host == nullptr || *host == '\0') return "https://storage.googleapis.com";
  std::string h = host;
  if (!h.starts_with("http://") && !h.starts_with("https://")) h = "http://" + h;  // a bare HOST:PORT means http
  while (h.size() > 1 && h.back() == '/') h.pop_back();
  return h;
}

Result<HttpResult> GcsObjectStore::Impl::Authed(const std::function<HttpRequest()>& make) {
  for (int attempt = 0;; ++attempt) {
    METL_ASSIGN_OR_RETURN(std::string token, tokens->Token());
    HttpRequest req = make();
    req.headers.emplace_back("Authorization", "Bearer " + token);
    METL_ASSIGN_OR_RETURN(HttpResult r, http->Send(req));
    if (r.response.status == 401 && attempt == 0) {
      tokens->Invalidate();
      continue;
    }
    return r;
  }
}

Error GcsObjectStore::Impl::StatusError(const HttpResult& r, const std::string& what) const {
  long s = r.response.status;
  std::string google = GcsErrorMessage(r.response.body);
  std::string says = google.empty() ? "" : " (Google Cloud Storage says: " + google + ")";
  Error e(ErrorKind::kTerminal, what + ": HTTP " + std::to_string(s) + says);
  e.context().http_status = static_cast<int>(s);
  if (s == 401) {
    return Error(ErrorKind::kConfig, what + ": the credentials of " + tokens->Describe() + " were refused" + says)
        .WithHttpStatus(401)
        .WithHint("check the service-account key (GOOGLE_APPLICATION_CREDENTIALS) is current");
  }
  if (s == 403) {
    return Error(ErrorKind::kConfig, what + ": permission denied" + says)
        .WithHttpStatus(403)
        .WithHint("grant " + tokens->Describe() +
                  " the role Storage Object Admin (roles/storage.objectAdmin) on gs://" + bucket);
  }
  if (s == 404 && google.find("bucket") != std::string::npos) {
    return Error(ErrorKind::kConfig, what + ": the bucket gs://" + bucket + " does not exist" + says)
        .WithHttpStatus(404)
        .WithHint("create it (gcloud storage buckets create gs://" + bucket + " --location=EU) or fix the URL");
  }
  return e;
}

Result<HttpResult> GcsObjectStore::Impl::Call(const std::function<HttpRequest()>& make, const std::string& what,
                                              int* attempts) {
  return http::RunRetried(retry, {.log_message = kRetryLog,
                                  .what = what,
                                  .send = [&] { return Authed(make); },
                                  .transient = [](const HttpResult& r) -> std::optional<std::string> {
                                    if (!Retryable(r.response.status)) return std::nullopt;
                                    return "";
                                  },
                                  .attempts = attempts});
}

void GcsObjectStore::Impl::LogRetry(const std::string& what, const Error& e, int n, double delay) {
  http::LogHttpRetry(kRetryLog, what, e, n, delay);
}

GcsObjectStore::GcsObjectStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GcsObjectStore::~GcsObjectStore() = default;

Result<std::unique_ptr<GcsObjectStore>> GcsObjectStore::Open(std::string_view url, GcsOptions options) {
  if (!url.starts_with("gs://")) return Error(ErrorKind::kConfig, "not a gs:// URL: " + std::string(url));
  std::string_view rest = url.substr(5);
  size_t slash = rest.find('/');
  auto impl = std::make_unique<Impl>(options.retry);
  impl->bucket = std::string(rest.substr(0, slash));
  impl->prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
  while (impl->prefix.starts_with("/")) impl->prefix.erase(0, 1);
  if (!impl->prefix.empty() && !impl->prefix.ends_with("/")) impl->prefix += "/";
  if (impl->bucket.empty() || impl->bucket.find_first_of("?#%") != std::string::npos) {
    return Error(ErrorKind::kConfig, "bad bucket in '" + std::string(url) + "'").WithHint("use gs://BUCKET/PREFIX");
  }
  impl->endpoint = options.endpoint.empty() ? GcsEndpointFromEnvironment() : options.endpoint;
  while (impl->endpoint.size() > 1 && impl->endpoint.back() == '/') impl->endpoint.pop_back();
  METL_TRY(cloud::CheckCredentialEndpoint(impl->endpoint + "/", "the Cloud Storage endpoint"));
  impl->chunk_size = std::max<int64_t>(http::kResumableQuantum,
                                       options.chunk_size / http::kResumableQuantum * http::kResumableQuantum);
  impl->list_page_size = std::clamp(options.list_page_size, 1, 1000);
  impl->http = options.http;
  if (!impl->http) {
    http::CurlOptions co;
    co.timeout_s = 600;
    impl->http = std::make_shared<http::CurlHttpClient>(co, "Google Cloud Storage", "the gs:// URL");
  }
  impl->tokens = options.tokens;
  if (!impl->tokens) {
    cloud::GoogleAuthOptions auth;
    auth.key_file = options.key_file;
    auth.scopes = {cloud::kScopeDevstorageReadWrite};
    METL_ASSIGN_OR_RETURN(impl->tokens, cloud::MakeGoogleAccessTokenSource(std::move(auth)));
  }
  return std::unique_ptr<GcsObjectStore>(new GcsObjectStore(std::move(impl)));
}

std::string GcsObjectStore::Describe() const {
  std::string p = impl_->prefix;
  if (!p.empty()) p.pop_back();
  return "gs://" + impl_->bucket + (p.empty() ? "" : "/" + p);
}

Status GcsObjectStore::Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
                           const PutOptions& options) {
  if (key.empty()) return Error(ErrorKind::kInternal, "empty object key");
  return impl_->Put(key, source, options);
}

Result<std::optional<ObjectInfo>> GcsObjectStore::Stat(std::string_view key) {
  std::string what = "stat " + impl_->Where(key);
  METL_ASSIGN_OR_RETURN(HttpResult r,
                        impl_->Call([&] { return HttpRequest{.method = "GET", .url = impl_->ObjectUrl(key)}; }, what));
  if (r.response.status == 404 && GcsErrorMessage(r.response.body).find("bucket") == std::string::npos) {
    return std::optional<ObjectInfo>();
  }
  if (r.response.status != 200) return impl_->StatusError(r, what);
  METL_ASSIGN_OR_RETURN(FlatJson json, ParseFlatJsonObject(r.response.body, "the object's metadata"));
  ObjectInfo info;
  info.key = std::string(key);
  info.size = std::atoll(FlatField(json, "size").c_str());
  info.version = FlatField(json, "generation");
  info.updated_at = ParseRfc3339(FlatField(json, "updated"));
  return std::optional<ObjectInfo>(std::move(info));
}

Status GcsObjectStore::Get(std::string_view key, const std::function<bool(std::string_view)>& sink) {
  std::string what = "download " + impl_->Where(key);
  // The metadata first: the generation pins the download (a resumed Range request never mixes two
  // versions) and the digests check it.
  METL_ASSIGN_OR_RETURN(HttpResult meta,
                        impl_->Call([&] { return HttpRequest{.method = "GET", .url = impl_->ObjectUrl(key)}; }, what));
  if (meta.response.status == 404 && GcsErrorMessage(meta.response.body).find("bucket") == std::string::npos) {
    return Error(ErrorKind::kTerminal, "not found: " + impl_->Where(key));
  }
  if (meta.response.status != 200) return impl_->StatusError(meta, what);
  METL_ASSIGN_OR_RETURN(FlatJson json, ParseFlatJsonObject(meta.response.body, "the object's metadata"));
  std::string generation = FlatField(json, "generation");
  int64_t size = std::atoll(FlatField(json, "size").c_str());
  int64_t delivered = 0;
  bool stopped = false;
  Md5 md5;
  Crc32c crc;
  auto got = impl_->retry.Run<Ok>(
      [&](std::optional<double>& retry_after) -> Result<Ok> {
        if (delivered >= size) return Ok{};
        auto make = [&] {
          HttpRequest req{.method = "GET", .url = impl_->ObjectUrl(key) + "?alt=media&generation=" + generation};
          if (delivered > 0) req.headers = {{"Range", "bytes=" + std::to_string(delivered) + "-"}};
          req.on_body = [&](std::string_view chunk) {
            md5.Update(chunk);
            crc.Update(chunk);
            delivered += static_cast<int64_t>(chunk.size());
            if (!sink(chunk)) {
              stopped = true;
              return false;
            }
            return true;
          };
          return req;
        };
        auto r = impl_->Authed(make);
        if (stopped) return Ok{};
        if (!r.ok()) return std::move(r).error();
        long s = r->response.status;
        if (s == 200 || s == 206) return Ok{};
        if (Impl::Retryable(s)) return http::TransientAnswer(what, *r, "", retry_after);
        if (s == 404) return Error(ErrorKind::kTerminal, "not found: " + impl_->Where(key) + " (replaced while read)");
        return impl_->StatusError(*r, what);
      },
      [&](const Error& e, int n, double delay) { Impl::LogRetry(what, e, n, delay); });
  if (!got.ok()) return std::move(got).error();
  if (stopped) return OkStatus();
  if (delivered != size) {
    return Error(ErrorKind::kTransient,
                 what + ": got " + std::to_string(delivered) + " of " + std::to_string(size) + " bytes");
  }
  GcsDigests d = GcsDigestsOf(md5, crc);
  std::string want_md5 = FlatField(json, "md5Hash");
  if (d.crc32c_b64 != FlatField(json, "crc32c") || (!want_md5.empty() && d.md5_b64 != want_md5)) {
    return Error(ErrorKind::kTransient, what + ": the bytes received do not match the object's MD5/CRC32C");
  }
  return OkStatus();
}

Result<std::vector<ObjectInfo>> GcsObjectStore::List(std::string_view prefix) {
  std::vector<ObjectInfo> out;
  std::string full = impl_->prefix + std::string(prefix);
  std::string what = "list " + impl_->Where(prefix);
  std::string page_token;
  simdjson::dom::parser parser;
  do {
    std::string url = impl_->endpoint + "/storage/v1/b/" + impl_->bucket + "/o?prefix=" + GcsEncode(full) +
                      "&maxResults=" + std::to_string(impl_->list_page_size);
    if (!page_token.empty()) url += "&pageToken=" + GcsEncode(page_token);
    METL_ASSIGN_OR_RETURN(HttpResult r, impl_->Call([&] { return HttpRequest{.method = "GET", .url = url}; }, what));
    if (r.response.status != 200) return impl_->StatusError(r, what);
    simdjson::padded_string padded(r.response.body);
    simdjson::dom::element doc;
    if (parser.parse(padded).get(doc) != simdjson::SUCCESS) {
      return Error(ErrorKind::kTransient, what + ": the listing is not JSON");
    }
    simdjson::dom::array items;
    if (doc["items"].get(items) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : items) {
        auto field = [&item](const char* f) {
          std::string_view v;
          return item[f].get(v) == simdjson::SUCCESS ? v : std::string_view();
        };
        std::string_view name = field("name"), size = field("size"), generation = field("generation"),
                         updated = field("updated");
        if (name.empty()) continue;
        if (!name.starts_with(impl_->prefix)) continue;
        out.push_back(ObjectInfo{std::string(name.substr(impl_->prefix.size())), std::atoll(std::string(size).c_str()),
                                 std::string(generation), ParseRfc3339(std::string(updated))});
      }
    }
    std::string_view next;
    page_token = doc["nextPageToken"].get(next) == simdjson::SUCCESS ? std::string(next) : "";
  } while (!page_token.empty());
  return out;
}

Status GcsObjectStore::Delete(std::string_view key, std::optional<std::string> if_version) {
  std::string what = "delete " + impl_->Where(key);
  std::string url = impl_->ObjectUrl(key);
  if (if_version) url += "?ifGenerationMatch=" + GcsEncode(*if_version);
  int attempts = 0;
  METL_ASSIGN_OR_RETURN(HttpResult r,
                        impl_->Call([&] { return HttpRequest{.method = "DELETE", .url = url}; }, what, &attempts));
  long s = r.response.status;
  if (s == 200 || s == 204) return OkStatus();
  if (s == 404 && GcsErrorMessage(r.response.body).find("bucket") == std::string::npos) {
    // Absent: fine, unless a version was required and this was our first try.
    if (if_version && attempts == 1) return GcsPreconditionFailed(impl_->Where(key));
    return OkStatus();
  }
  if (s == 412) return GcsPreconditionFailed(impl_->Where(key));
  return impl_->StatusError(r, what);
}

Result<std::string> GcsObjectStore::BucketLocation() {
  std::string what = "read the bucket gs://" + impl_->bucket;
  std::string url = impl_->endpoint + "/storage/v1/b/" + impl_->bucket;
  METL_ASSIGN_OR_RETURN(HttpResult r, impl_->Call([&] { return HttpRequest{.method = "GET", .url = url}; }, what));
  if (r.response.status == 404) {
    return Error(ErrorKind::kConfig, "the bucket gs://" + impl_->bucket + " does not exist")
        .WithHint("create it (gcloud storage buckets create gs://" + impl_->bucket + " --location=EU) or fix the URL");
  }
  if (r.response.status != 200) return impl_->StatusError(r, what);
  METL_ASSIGN_OR_RETURN(FlatJson json, ParseFlatJsonObject(r.response.body, "the bucket's metadata"));
  return FlatField(json, "location");
}

}  // namespace metl::objstore
