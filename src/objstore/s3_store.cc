#include "objstore/s3_store.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "core/digest.h"
#include "core/log.h"
#include "http/curl_http_client.h"
#include "http/retried_exchange.h"

namespace metl::objstore {
namespace {

using http::HttpRequest;
using http::HttpResult;
using Query = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kRetryLog = "retrying an S3 request";

// XML character data: the five named entities and numeric references (S3 escapes keys this way).
std::string XmlUnescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out += s[i];
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out += '&';
    else if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else if (ent.starts_with("#")) {
      unsigned long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X')
                             ? std::strtoul(std::string(ent.substr(2)).c_str(), nullptr, 16)
                             : std::strtoul(std::string(ent.substr(1)).c_str(), nullptr, 10);
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
    } else {
      out.append(s.substr(i, semi - i + 1));  // unknown: kept as is
    }
    i = semi;
  }
  return out;
}

// The text of the first <tag>...</tag> in `xml` from `from` (S3's answers are flat enough for this).
std::string XmlText(std::string_view xml, std::string_view tag, size_t from = 0) {
  std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  size_t a = xml.find(open, from);
  if (a == std::string_view::npos) return "";
  a += open.size();
  size_t b = xml.find(close, a);
  if (b == std::string_view::npos) return "";
  return XmlUnescape(xml.substr(a, b - a));
}

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

int64_t ParseIsoTime(const std::string& t) {
  std::tm tm{};
  if (std::sscanf(t.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

int64_t ParseHttpDate(const std::string& t) {
  std::tm tm{};
  if (strptime(t.c_str(), "%a, %d %b %Y %H:%M:%S", &tm) == nullptr) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

// Bucket names AWS can address as a host name (no dots: TLS wildcard certificates cover one label).
bool VirtualHostable(const std::string& bucket) {
  return !bucket.empty() && bucket.find('.') == std::string::npos &&
         std::all_of(bucket.begin(), bucket.end(),
                     [](char c) { return std::islower(c) || std::isdigit(c) || c == '-'; });
}

}  // namespace

struct S3ObjectStore::Impl {
  std::string bucket, prefix, region;
  std::string base;  // scheme://host[:port]
  std::string host;  // the Host header
  bool path_style = true;
  cloud::AwsCredentials creds;
  std::shared_ptr<http::HttpClient> http;
  int list_page_size = 1000;
  http::RetryPolicy retry;

  explicit Impl(http::RetryOptions r) : retry(r) {}

  std::string Where(std::string_view key) const { return "s3://" + bucket + "/" + prefix + std::string(key); }
  // The request path of an object (decoded), or of the bucket itself for key == nullopt.
  std::string PathOf(std::optional<std::string_view> key) const {
    std::string p = path_style ? "/" + bucket : "";
    if (key) return p + "/" + prefix + std::string(*key);
    return p.empty() ? "/" : p;
  }

  // Builds, signs and sends one request; signed anew on every call (each retry gets a fresh date).
  Result<HttpResult> SendSigned(HttpRequest req, const std::string& path, const Query& query,
                                const std::string& payload_sha256) {
    cloud::SigV4Request s;
    s.method = req.method;
    s.host = host;
    s.path = path;
    s.query = query;
    s.payload_sha256_hex = payload_sha256;
    s.headers = {{"x-amz-content-sha256", payload_sha256}};
    cloud::SigV4Signed signed_req = cloud::SignV4(s, creds, region, "s3", static_cast<int64_t>(std::time(nullptr)));
    req.url = base + cloud::AwsUriEncode(path, true);
    if (!query.empty()) req.url += "?" + cloud::AwsCanonicalQuery(query);
    req.headers.emplace_back("Host", host);
    req.headers.emplace_back("x-amz-content-sha256", payload_sha256);
    for (auto& h : signed_req.headers) req.headers.push_back(std::move(h));
    return http->Send(req);
  }

  static std::string S3Code(const HttpResult& r) { return XmlText(r.response.body, "Code"); }

  static bool Retryable(const HttpResult& r) {
    long s = r.response.status;
    if (s == 408 || s == 429 || s >= 500) return true;
    std::string code = S3Code(r);
    return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" || code == "ServiceUnavailable";
  }

  Error StatusError(const HttpResult& r, const std::string& what) const {
    long s = r.response.status;
    std::string code = S3Code(r), message = XmlText(r.response.body, "Message");
    std::string says = code.empty() ? "" : " (S3 says: " + code + (message.empty() ? "" : ": " + message) + ")";
    std::string text = what + ": HTTP " + std::to_string(s) + says;
    if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "ExpiredToken" ||
        code == "InvalidToken" || code == "TokenRefreshRequired" || s == 401) {
      return Error(ErrorKind::kConfig, what + ": the AWS credentials from " + creds.source + " were refused" + says)
          .WithHttpStatus(static_cast<int>(s))
          .WithHint(
              "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the profile), that temporary keys "
              "still have their AWS_SESSION_TOKEN and have not expired, and that --region is the bucket's");
    }
    if (code == "AuthorizationHeaderMalformed" || code == "PermanentRedirect" ||
        code == "IllegalLocationConstraintException") {
      return Error(ErrorKind::kConfig, text)
          .WithHttpStatus(static_cast<int>(s))
          .WithHint("pass the bucket's own region with --region (or AWS_REGION)");
    }
    if (s == 403) {
      return Error(ErrorKind::kConfig, what + ": access denied to " + creds.source + says)
          .WithHttpStatus(403)
          .WithHint("grant s3:ListBucket on the bucket and s3:GetObject on its objects (arn:aws:s3:::" + bucket +
                    "/*) to these credentials");
    }
    if (code == "NoSuchBucket") {
      return Error(ErrorKind::kConfig, what + ": the bucket s3://" + bucket + " does not exist" + says)
          .WithHttpStatus(static_cast<int>(s))
          .WithHint("check the s3:// URL (and AWS_ENDPOINT_URL_S3 for an S3-compatible store)");
    }
    Error e(ErrorKind::kTerminal, text);
    e.context().http_status = static_cast<int>(s);
    return e;
  }

  // `make` gives the request (method, headers, body, on_body); retried when transient.
  Result<HttpResult> Call(const std::function<HttpRequest()>& make, const std::string& path, const Query& query,
                          const std::string& payload_sha256, const std::string& what, int* attempts = nullptr) {
    return http::RunRetried(
        retry, {.log_message = kRetryLog,
                .what = what,
                .send = [&] { return SendSigned(make(), path, query, payload_sha256); },
                .transient = [](const HttpResult& r) -> std::optional<std::string> {
                  if (!Retryable(r)) return std::nullopt;
                  return S3Code(r);
                },
                .attempts = attempts});
  }
};

S3ObjectStore::S3ObjectStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
S3ObjectStore::~S3ObjectStore() = default;

Result<std::unique_ptr<S3ObjectStore>> S3ObjectStore::Open(std::string_view url, S3Options options) {
  if (!url.starts_with("s3://")) return Error(ErrorKind::kConfig, "not an s3:// URL: " + std::string(url));
  std::string_view rest = url.substr(5);
  size_t slash = rest.find('/');
  auto impl = std::make_unique<Impl>(options.retry);
  impl->bucket = std::string(rest.substr(0, slash));
  impl->prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
  while (impl->prefix.starts_with("/")) impl->prefix.erase(0, 1);
  if (!impl->prefix.empty() && !impl->prefix.ends_with("/")) impl->prefix += "/";
  if (impl->bucket.empty() || impl->bucket.find_first_of("?#%@:") != std::string::npos) {
    return Error(ErrorKind::kConfig, "bad bucket in '" + std::string(url) + "'").WithHint("use s3://BUCKET/PREFIX");
  }
  METL_ASSIGN_OR_RETURN(impl->region, cloud::ResolveAwsRegion(options.region, options.env));
  std::string endpoint = cloud::AwsS3EndpointOverride(options.env);
  if (!endpoint.empty()) {
    if (!endpoint.starts_with("http://") && !endpoint.starts_with("https://")) {
      return Error(ErrorKind::kConfig, "AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL must start with http:// or https://")
          .WithHint("e.g. export AWS_ENDPOINT_URL_S3=https://s3.example.com");
    }
    // Signed requests leak no secret, but plain http:// off this machine would expose the data.
    std::string h = endpoint.substr(endpoint.find("://") + 3);
    h = h.starts_with("[") ? h.substr(0, h.find(']') + 1) : h.substr(0, h.find_first_of(":/"));
    bool loopback = h == "127.0.0.1" || h == "localhost" || h == "[::1]";
    if (endpoint.starts_with("http://") && !loopback) {
      return Error(ErrorKind::kConfig, "refusing plain http:// to " + h + " (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)")
          .WithHint("use https://, or http:// only to this machine's loopback (127.0.0.1, localhost)");
    }
    impl->path_style = true;
    impl->base = endpoint;
  } else if (VirtualHostable(impl->bucket)) {
    impl->path_style = false;
    impl->base = "https://" + impl->bucket + ".s3." + impl->region + ".amazonaws.com";
  } else {
    impl->base = "https://s3." + impl->region + ".amazonaws.com";
  }
  size_t scheme_end = impl->base.find("://") + 3;
  size_t path_start = impl->base.find('/', scheme_end);
  if (path_start != std::string::npos) {
    return Error(ErrorKind::kConfig, "the S3 endpoint " + impl->base + " has a path; only scheme://host[:port] works")
        .WithHint("drop the path from AWS_ENDPOINT_URL_S3");
  }
  impl->host = impl->base.substr(scheme_end);
  if (impl->host.find('@') != std::string::npos) {
    return Error(ErrorKind::kConfig, "the S3 endpoint must not carry user:password@")
        .WithHint("give credentials through AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
  }
  METL_ASSIGN_OR_RETURN(impl->creds, cloud::LoadAwsCredentials(options.env));
  impl->list_page_size = std::clamp(options.list_page_size, 1, 1000);
  impl->http = options.http;
  if (!impl->http) {
    http::CurlOptions co;
    co.timeout_s = 600;
    impl->http = std::make_shared<http::CurlHttpClient>(co, "Amazon S3", "the s3:// URL or AWS_ENDPOINT_URL_S3");
  }
  return std::unique_ptr<S3ObjectStore>(new S3ObjectStore(std::move(impl)));
}

std::string S3ObjectStore::Describe() const {
  std::string p = impl_->prefix;
  if (!p.empty()) p.pop_back();
  return "s3://" + impl_->bucket + (p.empty() ? "" : "/" + p);
}

Status S3ObjectStore::Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
                          const PutOptions& options) {
  if (key.empty()) return Error(ErrorKind::kInternal, "empty object key");
  // One PUT: the payload's SHA-256 is signed, so the body is read whole first (DWC files are small).
  std::string body;
  for (;;) {
    size_t old = body.size();
    body.resize(old + (1 << 20));
    size_t n = source(body.data() + old, 1 << 20);
    body.resize(old + n);
    if (n == 0) break;
  }
  std::string what = "upload " + impl_->Where(key);
  std::string hash = cloud::Sha256Hex(body);
  auto make = [&] {
    HttpRequest req{.method = "PUT", .headers = {{"Content-Type", options.content_type}}, .body = body};
    if (options.if_absent) req.headers.emplace_back("If-None-Match", "*");
    if (options.if_version) req.headers.emplace_back("If-Match", "\"" + *options.if_version + "\"");
    return req;
  };
  METL_ASSIGN_OR_RETURN(HttpResult r, impl_->Call(make, impl_->PathOf(key), {}, hash, what));
  if (r.response.status == 412) {
    return Error(ErrorKind::kTerminal, "precondition failed: " + impl_->Where(key) + " already exists (or changed)");
  }
  if (r.response.status != 200) return impl_->StatusError(r, what);
  return OkStatus();
}

Result<std::optional<ObjectInfo>> S3ObjectStore::Stat(std::string_view key) {
  std::string what = "stat " + impl_->Where(key);
  METL_ASSIGN_OR_RETURN(HttpResult r, impl_->Call([] { return HttpRequest{.method = "HEAD"}; }, impl_->PathOf(key), {},
                                                  cloud::Sha256Hex(""), what));
  if (r.response.status == 404) return std::optional<ObjectInfo>();
  if (r.response.status != 200) return impl_->StatusError(r, what);
  ObjectInfo info;
  info.key = std::string(key);
  if (const std::string* v = http::FindHeader(r.headers, "content-length")) info.size = std::atoll(v->c_str());
  if (const std::string* v = http::FindHeader(r.headers, "etag")) info.version = Unquote(*v);
  if (const std::string* v = http::FindHeader(r.headers, "last-modified")) info.updated_at = ParseHttpDate(*v);
  return std::optional<ObjectInfo>(std::move(info));
}

Status S3ObjectStore::Get(std::string_view key, const std::function<bool(std::string_view)>& sink) {
  std::string what = "download " + impl_->Where(key);
  // HEAD first: its ETag pins every resumed Range request (If-Match), so a cut download never
  // mixes two versions of an object, and its size says when the download is whole.
  METL_ASSIGN_OR_RETURN(HttpResult head, impl_->Call([] { return HttpRequest{.method = "HEAD"}; }, impl_->PathOf(key),
                                                     {}, cloud::Sha256Hex(""), "stat " + impl_->Where(key)));
  if (head.response.status == 404) return Error(ErrorKind::kTerminal, "not found: " + impl_->Where(key));
  if (head.response.status != 200) return impl_->StatusError(head, what);
  std::optional<ObjectInfo> info = ObjectInfo{};
  info->key = std::string(key);
  if (const std::string* v = http::FindHeader(head.headers, "content-length")) info->size = std::atoll(v->c_str());
  if (const std::string* v = http::FindHeader(head.headers, "etag")) info->version = Unquote(*v);
  // The ETag is the content's MD5 for a single-part object stored plain or with SSE-S3 (not with
  // SSE-KMS or SSE-C, nor for multipart uploads, whose ETags end in "-N"): then the bytes are checked.
  const std::string* sse = http::FindHeader(head.headers, "x-amz-server-side-encryption");
  bool etag_is_md5 = info->version.size() == 32 &&
                     info->version.find_first_not_of("0123456789abcdef") == std::string::npos &&
                     (sse == nullptr || *sse == "AES256") &&
                     http::FindHeader(head.headers, "x-amz-server-side-encryption-customer-algorithm") == nullptr;
  Md5 md5;
  int64_t delivered = 0;
  bool stopped = false;
  std::string empty_hash = cloud::Sha256Hex("");
  auto got = impl_->retry.Run<Ok>(
      [&](std::optional<double>& retry_after) -> Result<Ok> {
        if (delivered >= info->size && delivered > 0) return Ok{};
        HttpRequest req{.method = "GET"};
        req.headers = {{"If-Match", "\"" + info->version + "\""}};
        if (delivered > 0) req.headers.emplace_back("Range", "bytes=" + std::to_string(delivered) + "-");
        req.on_body = [&](std::string_view chunk) {
          delivered += static_cast<int64_t>(chunk.size());
          md5.Update(chunk);
          if (!sink(chunk)) {
            stopped = true;
            return false;
          }
          return true;
        };
        auto r = impl_->SendSigned(req, impl_->PathOf(key), {}, empty_hash);
        if (stopped) return Ok{};
        if (!r.ok()) return std::move(r).error();
        long s = r->response.status;
        if (s == 200 || s == 206) {
          if (delivered < info->size) {
            return Error(ErrorKind::kTransient, what + ": the download ended after " + std::to_string(delivered) +
                                                    " of " + std::to_string(info->size) + " bytes");
          }
          return Ok{};
        }
        if (Impl::Retryable(*r)) return http::TransientAnswer(what, *r, Impl::S3Code(*r), retry_after);
        if (s == 404) return Error(ErrorKind::kTerminal, "not found: " + impl_->Where(key) + " (deleted while read)");
        if (s == 412) {
          return Error(ErrorKind::kTransient, what + ": the object changed while it was read (ETag " + info->version +
                                                  " is gone); it will be read again on the next run");
        }
        return impl_->StatusError(*r, what);
      },
      [&](const Error& e, int n, double delay) { http::LogHttpRetry(kRetryLog, what, e, n, delay); });
  if (!got.ok()) return std::move(got).error();
  if (!stopped && delivered != info->size) {
    return Error(ErrorKind::kTransient,
                 what + ": got " + std::to_string(delivered) + " of " + std::to_string(info->size) + " bytes");
  }
  if (!stopped && etag_is_md5) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string digest_hex;
    for (unsigned char c : md5.Final()) {
      digest_hex += kDigits[c >> 4];
      digest_hex += kDigits[c & 15];
    }
    if (digest_hex != info->version) {
      return Error(ErrorKind::kTransient, what + ": the bytes received do not match the object's MD5 (ETag " +
                                              info->version + "); it will be read again on the next run");
    }
  }
  return OkStatus();
}

Result<std::vector<ObjectInfo>> S3ObjectStore::List(std::string_view prefix) {
  std::vector<ObjectInfo> out;
  std::string full = impl_->prefix + std::string(prefix);
  std::string what = "list " + impl_->Where(prefix);
  std::string token;
  for (int page = 0;; ++page) {
    Query query = {{"list-type", "2"}, {"max-keys", std::to_string(impl_->list_page_size)}};
    if (!full.empty()) query.emplace_back("prefix", full);
    if (!token.empty()) query.emplace_back("continuation-token", token);
    METL_ASSIGN_OR_RETURN(HttpResult r, impl_->Call([] { return HttpRequest{.method = "GET"}; },
                                                    impl_->PathOf(std::nullopt), query, cloud::Sha256Hex(""), what));
    if (r.response.status != 200) return impl_->StatusError(r, what);
    const std::string& xml = r.response.body;
    if (xml.find("<ListBucketResult") == std::string::npos) {
      return Error(ErrorKind::kTransient, what + ": the answer is not a ListObjectsV2 listing");
    }
    for (size_t at = xml.find("<Contents>"); at != std::string::npos; at = xml.find("<Contents>", at + 1)) {
      size_t end = xml.find("</Contents>", at);
      if (end == std::string::npos) break;
      std::string_view item(xml.data() + at, end - at);
      std::string name = XmlText(item, "Key");
      if (!name.starts_with(impl_->prefix) || name.ends_with("/")) continue;  // folder markers are not files
      out.push_back(ObjectInfo{name.substr(impl_->prefix.size()), std::atoll(XmlText(item, "Size").c_str()),
                               Unquote(XmlText(item, "ETag")), ParseIsoTime(XmlText(item, "LastModified"))});
    }
    if (XmlText(xml, "IsTruncated") != "true") break;
    std::string next = XmlText(xml, "NextContinuationToken");
    if (next.empty() || next == token) {
      return Error(ErrorKind::kTransient, what + ": a truncated listing page without a new continuation token");
    }
    token = next;
  }
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

Status S3ObjectStore::Delete(std::string_view key, std::optional<std::string> if_version) {
  std::string what = "delete " + impl_->Where(key);
  auto make = [&] {
    HttpRequest req{.method = "DELETE"};
    if (if_version) req.headers.emplace_back("If-Match", "\"" + *if_version + "\"");
    return req;
  };
  METL_ASSIGN_OR_RETURN(HttpResult r, impl_->Call(make, impl_->PathOf(key), {}, cloud::Sha256Hex(""), what));
  long s = r.response.status;
  if (s == 200 || s == 204 || s == 404) return OkStatus();
  if (s == 412) return Error(ErrorKind::kTerminal, "precondition failed: " + impl_->Where(key) + " changed");
  return impl_->StatusError(r, what);
}

}  // namespace metl::objstore
