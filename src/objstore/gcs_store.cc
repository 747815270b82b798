#include "objstore/gcs_store.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>

#include "cloud/google_credentials.h"
#include "core/base64.h"
#include "core/digest.h"
#include "core/flat_json.h"
#include "core/log.h"
#include "http/curl_http_client.h"
#include "http/transport.h"

namespace metl::objstore {
namespace {

using http::HttpRequest;
using http::HttpResult;

// Object names and query values: every byte but RFC 3986's unreserved ones percent-encoded ('/' too,
// as GCS wants it inside an object name).
std::string Encode(std::string_view s) { return http::FormEncode(std::string(s)); }

// GCS's {"error":{"message":...}}, or "" when the body is something else.
std::string GcsErrorMessage(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(body);
  std::string_view message;
  if (parser.parse(padded)["error"]["message"].get(message) != simdjson::SUCCESS) return "";
  return std::string(message);
}

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

// Reads from `source` until `buf` holds `target` bytes or the source ends (sets `eof`).
void Fill(const std::function<size_t(char*, size_t)>& source, std::string& buf, size_t target, bool& eof) {
  while (!eof && buf.size() < target) {
    size_t old = buf.size();
    buf.resize(target);
    size_t n = source(buf.data() + old, target - old);
    buf.resize(old + n);
    if (n == 0) eof = true;
  }
}

struct Digests {
  std::string md5_b64, crc32c_b64;
};

Digests DigestsOf(Md5& md5, const Crc32c& crc) {
  return Digests{Base64Encode(md5.Final()), Base64Encode(crc.BigEndianBytes())};
}

std::string RandomBoundary() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string b = "metl_";
  for (int i = 0; i < 32; ++i) b += kChars[rng() % 36];
  return b;
}

Error PreconditionFailed(const std::string& where) {
  return Error(ErrorKind::kTerminal, "precondition failed: " + where + " already exists (or changed)");
}

}  // namespace

std::string GcsEndpointFromEnvironment() {
  const char* host = std::getenv("STORAGE_EMULATOR_HOST");
  if (host == nullptr || *host == '\0') return "https://storage.googleapis.com";
  std::string h = host;
  if (!h.starts_with("http://") && !h.starts_with("https://")) h = "http://" + h;  // a bare HOST:PORT means http
  while (h.size() > 1 && h.back() == '/') h.pop_back();
  return h;
}

struct GcsObjectStore::Impl {
  std::string bucket, prefix, endpoint;
  std::shared_ptr<http::HttpClient> http;
  std::shared_ptr<cloud::AccessTokenSource> tokens;
  int64_t chunk_size = 0;
  int list_page_size = 1000;
  http::RetryPolicy retry;

  explicit Impl(http::RetryOptions r) : retry(r) {}

  std::string Where(std::string_view key) const { return "gs://" + bucket + "/" + prefix + std::string(key); }
  std::string ObjectUrl(std::string_view key) const {
    return endpoint + "/storage/v1/b/" + bucket + "/o/" + Encode(prefix + std::string(key));
  }

  // One exchange with the bearer token; a 401 drops the token and is tried once more with a fresh
  // one (it may have expired early or been revoked). `make` builds the request anew each time, so
  // a streamed body starts over.
  Result<HttpResult> Authed(const std::function<HttpRequest()>& make) {
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

  Error StatusError(const HttpResult& r, const std::string& what) const {
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

  static bool Retryable(long s) { return s == 408 || s == 429 || s >= 500; }

  // `make`'s request through the retry policy: transport errors, 408, 429 and 5xx are retried.
  // `attempts` counts the tries (a retried write may already have happened).
  Result<HttpResult> Call(const std::function<HttpRequest()>& make, const std::string& what, int* attempts = nullptr) {
    return retry.Run<HttpResult>(
        [&](std::optional<double>& retry_after) -> Result<HttpResult> {
          if (attempts != nullptr) ++*attempts;
          METL_ASSIGN_OR_RETURN(HttpResult r, Authed(make));
          if (Retryable(r.response.status)) {
            retry_after = r.response.retry_after_s;
            return Error(ErrorKind::kTransient, what + ": HTTP " + std::to_string(r.response.status))
                .WithHttpStatus(static_cast<int>(r.response.status));
          }
          return r;
        },
        [&](const Error& e, int n, double delay) { LogRetry(what, e, n, delay); });
  }

  static void LogRetry(const std::string& what, const Error& e, int n, double delay) {
    LogWarn(
        "retrying a Cloud Storage request",
        {{"request", what}, {"error", e.message()}, {"retry", std::to_string(n)}, {"delay_s", std::to_string(delay)}});
  }

  // Whether the object now holds exactly these bytes (a retried write that had succeeded).
  bool Holds(std::string_view key, const Digests& d) {
    auto r = Call([&] { return HttpRequest{.method = "GET", .url = ObjectUrl(key)}; }, "stat " + Where(key));
    if (!r.ok() || r->response.status != 200) return false;
    auto json = ParseFlatJsonObject(r->response.body, "object");
    return json.ok() && FlatField(*json, "md5Hash") == d.md5_b64 && FlatField(*json, "crc32c") == d.crc32c_b64;
  }

  // Compares GCS's digests of the stored object with ours; a mismatch deletes that generation.
  Status CheckStored(std::string_view key, const std::string& object_json, const Digests& d) {
    auto json = ParseFlatJsonObject(object_json, "the stored object's metadata");
    if (!json.ok()) return Error(ErrorKind::kTransient, "Cloud Storage answered an upload with no object metadata");
    if (FlatField(*json, "md5Hash") == d.md5_b64 && FlatField(*json, "crc32c") == d.crc32c_b64) return OkStatus();
    std::string generation = FlatField(*json, "generation");
    (void)Call(
        [&] { return HttpRequest{.method = "DELETE", .url = ObjectUrl(key) + "?ifGenerationMatch=" + generation}; },
        "delete corrupt " + Where(key));
    return Error(ErrorKind::kTransient,
                 "the object stored at " + Where(key) + " does not match the bytes sent (MD5/CRC32C); it was deleted");
  }

  Status PutMultipart(std::string_view key, const std::string& data, const PutOptions& options, const Digests& d) {
    std::string boundary;
    do {
      boundary = RandomBoundary();
    } while (data.find(boundary) != std::string::npos);
    std::string metadata = "{\"name\":\"" + JsonEscape(prefix + std::string(key)) + "\",\"contentType\":\"" +
                           JsonEscape(options.content_type) + "\",\"md5Hash\":\"" + d.md5_b64 + "\",\"crc32c\":\"" +
                           d.crc32c_b64 + "\"}";
    std::string body = "--" + boundary + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n" + metadata +
                       "\r\n--" + boundary + "\r\nContent-Type: " + options.content_type + "\r\n\r\n";
    body += data;
    body += "\r\n--" + boundary + "--\r\n";
    std::string url = endpoint + "/upload/storage/v1/b/" + bucket + "/o?uploadType=multipart";
    if (options.if_absent) {
      url += "&ifGenerationMatch=0";
    } else if (options.if_version) {
      url += "&ifGenerationMatch=" + Encode(*options.if_version);
    }
    int attempts = 0;
    auto make = [&] {
      return HttpRequest{.method = "POST",
                         .url = url,
                         .headers = {{"Content-Type", "multipart/related; boundary=" + boundary}},
                         .body = body};
    };
    METL_ASSIGN_OR_RETURN(HttpResult r, Call(make, "upload " + Where(key), &attempts));
    if (r.response.status == 412) {
      if (attempts > 1 && Holds(key, d)) return OkStatus();  // our earlier attempt landed
      return PreconditionFailed(Where(key));
    }
    if (r.response.status != 200 && r.response.status != 201) return StatusError(r, "upload " + Where(key));
    return CheckStored(key, r.response.body, d);
  }

  Result<std::string> StartResumable(std::string_view key, const PutOptions& options) {
    std::string url = endpoint + "/upload/storage/v1/b/" + bucket +
                      "/o?uploadType=resumable&name=" + Encode(prefix + std::string(key));
    if (options.if_absent) {
      url += "&ifGenerationMatch=0";
    } else if (options.if_version) {
      url += "&ifGenerationMatch=" + Encode(*options.if_version);
    }
    std::string metadata = "{\"name\":\"" + JsonEscape(prefix + std::string(key)) + "\",\"contentType\":\"" +
                           JsonEscape(options.content_type) + "\"}";
    auto make = [&] {
      return HttpRequest{.method = "POST",
                         .url = url,
                         .headers = {{"Content-Type", "application/json; charset=UTF-8"},
                                     {"X-Upload-Content-Type", options.content_type}},
                         .body = metadata};
    };
    METL_ASSIGN_OR_RETURN(HttpResult r, Call(make, "start uploading " + Where(key)));
    if (r.response.status == 412) return PreconditionFailed(Where(key));
    const std::string* location = http::FindHeader(r.headers, "location");
    if (r.response.status != 200 || location == nullptr) return StatusError(r, "start uploading " + Where(key));
    // The session URI must stay on the endpoint we trust with the token.
    if (!location->starts_with(endpoint + "/")) {
      return Error(ErrorKind::kTerminal, "Cloud Storage returned an upload session on another host: " + *location);
    }
    return *location;
  }

  // Bytes the session has persisted from a 308's Range header ("bytes=0-N": N+1; none: 0).
  static int64_t Persisted(const HttpResult& r) {
    const std::string* range = http::FindHeader(r.headers, "range");
    if (range == nullptr) return 0;
    size_t dash = range->find('-');
    if (dash == std::string::npos) return 0;
    return std::atoll(range->c_str() + dash + 1) + 1;
  }

  // Sends `data` (object bytes [offset, offset+size)) to the session until GCS has persisted all of
  // it; `total` >= 0 marks the last chunk, whose answer (the object) lands in `object_json`. After a
  // cut or a 5xx, a status query says where to resume: never assume a chunk arrived whole.
  Status SendChunk(const std::string& session, std::string_view key, const std::string& data, int64_t offset,
                   int64_t total, const std::string& hash_header, std::string& object_json) {
    bool need_query = false;
    int64_t persisted = offset;
    std::string what = "upload " + Where(key);
    auto sent = retry.Run<Ok>(
        [&](std::optional<double>& retry_after) -> Result<Ok> {
          for (;;) {
            std::string total_text = total >= 0 ? std::to_string(total) : "*";
            HttpRequest base{.method = "PUT", .url = session};
            int64_t skip = persisted - offset;
            bool query = need_query;
            if (!query) {
              if (skip >= static_cast<int64_t>(data.size())) {
                if (total < 0) return Ok{};  // the whole chunk is stored
                query = true;                // all bytes sent: ask for the object
              }
            }
            if (query) {
              base.headers = {{"Content-Range", "bytes */" + total_text}};
            } else {
              int64_t first = persisted;
              int64_t last = offset + static_cast<int64_t>(data.size()) - 1;
              base.headers = {
                  {"Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + total_text}};
              if (total >= 0 && !hash_header.empty()) base.headers.emplace_back("X-Goog-Hash", hash_header);
              std::string_view rest = std::string_view(data).substr(static_cast<size_t>(skip));
              auto pos = std::make_shared<size_t>(0);
              base.body_size = static_cast<int64_t>(rest.size());
              base.body_source = [rest, pos](char* buf, size_t n) {
                size_t take = std::min(n, rest.size() - *pos);
                std::memcpy(buf, rest.data() + *pos, take);
                *pos += take;
                return take;
              };
            }
            auto make = [&] {
              HttpRequest req = base;
              if (req.body_source) {  // a fresh cursor for each send
                std::string_view rest = std::string_view(data).substr(static_cast<size_t>(skip));
                auto pos = std::make_shared<size_t>(0);
                req.body_source = [rest, pos](char* buf, size_t n) {
                  size_t take = std::min(n, rest.size() - *pos);
                  std::memcpy(buf, rest.data() + *pos, take);
                  *pos += take;
                  return take;
                };
              }
              return req;
            };
            auto r = Authed(make);
            if (!r.ok()) {
              if (r.error().transient()) need_query = true;  // cut: where did it stop?
              return std::move(r).error();
            }
            long s = r->response.status;
            if (s == 308) {
              need_query = false;
              int64_t now_persisted = Persisted(*r);
              if (now_persisted < offset) {
                return Error(ErrorKind::kTerminal, what + ": Cloud Storage lost bytes it had confirmed (it has " +
                                                       std::to_string(now_persisted) + ", had " +
                                                       std::to_string(offset) + ")");
              }
              persisted = now_persisted;
              continue;  // send what is missing, or finish
            }
            if (s == 200 || s == 201) {
              object_json = r->response.body;
              return Ok{};
            }
            if (s == 412) return PreconditionFailed(Where(key));
            if (Retryable(s)) {
              need_query = true;
              retry_after = r->response.retry_after_s;
              return Error(ErrorKind::kTransient, what + ": HTTP " + std::to_string(s))
                  .WithHttpStatus(static_cast<int>(s));
            }
            if (s == 404 || s == 410) {
              return Error(ErrorKind::kTerminal,
                           what + ": the upload session expired or was cancelled (HTTP " + std::to_string(s) + ")");
            }
            return StatusError(*r, what);
          }
        },
        [&](const Error& e, int n, double delay) { LogRetry(what, e, n, delay); });
    if (!sent.ok()) return std::move(sent).error();
    return OkStatus();
  }

  Status PutResumable(std::string_view key, std::string first, bool eof,
                      const std::function<size_t(char*, size_t)>& source, const PutOptions& options, Md5& md5,
                      Crc32c& crc) {
    METL_ASSIGN_OR_RETURN(std::string session, StartResumable(key, options));
    std::string cur = std::move(first), next;
    int64_t offset = 0;
    size_t chunk = static_cast<size_t>(chunk_size);
    for (;;) {
      Fill(source, next, chunk, eof);  // look ahead: is `cur` the last chunk?
      bool last = next.empty() && eof;
      md5.Update(cur);
      crc.Update(cur);
      int64_t total = last ? offset + static_cast<int64_t>(cur.size()) : -1;
      std::string object_json, hash_header;
      Digests d;
      if (last) {
        d = DigestsOf(md5, crc);
        hash_header = "crc32c=" + d.crc32c_b64 + ",md5=" + d.md5_b64;
      }
      METL_TRY(SendChunk(session, key, cur, offset, total, hash_header, object_json));
      offset += static_cast<int64_t>(cur.size());
      if (last) return CheckStored(key, object_json, d);
      cur.swap(next);
      next.clear();
    }
  }
};

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
  impl->chunk_size = std::max<int64_t>(kGcsChunkQuantum, options.chunk_size / kGcsChunkQuantum * kGcsChunkQuantum);
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
  std::string first;
  bool eof = false;
  Fill(source, first, static_cast<size_t>(impl_->chunk_size), eof);
  Md5 md5;
  Crc32c crc;
  if (eof) {  // fits one request
    md5.Update(first);
    crc.Update(first);
    return impl_->PutMultipart(key, first, options, DigestsOf(md5, crc));
  }
  return impl_->PutResumable(key, std::move(first), eof, source, options, md5, crc);
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
        if (Impl::Retryable(s)) {
          retry_after = r->response.retry_after_s;
          return Error(ErrorKind::kTransient, what + ": HTTP " + std::to_string(s)).WithHttpStatus(static_cast<int>(s));
        }
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
  Digests d = DigestsOf(md5, crc);
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
    std::string url = impl_->endpoint + "/storage/v1/b/" + impl_->bucket + "/o?prefix=" + Encode(full) +
                      "&maxResults=" + std::to_string(impl_->list_page_size);
    if (!page_token.empty()) url += "&pageToken=" + Encode(page_token);
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
  if (if_version) url += "?ifGenerationMatch=" + Encode(*if_version);
  int attempts = 0;
  METL_ASSIGN_OR_RETURN(HttpResult r,
                        impl_->Call([&] { return HttpRequest{.method = "DELETE", .url = url}; }, what, &attempts));
  long s = r.response.status;
  if (s == 200 || s == 204) return OkStatus();
  if (s == 404 && GcsErrorMessage(r.response.body).find("bucket") == std::string::npos) {
    // Absent: fine, unless a version was required and this was our first try.
    if (if_version && attempts == 1) return PreconditionFailed(impl_->Where(key));
    return OkStatus();
  }
  if (s == 412) return PreconditionFailed(impl_->Where(key));
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
