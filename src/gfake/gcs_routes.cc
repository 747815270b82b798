// The GCS JSON API subset the tool and `gcloud storage` use, held to Google's documented behaviour:
// buckets.get; objects.insert (gcs_upload_routes.cc: uploadType=media, multipart, resumable with
// 256 KiB chunks, 308 + Range and status queries); objects.get (metadata, alt=media with
// x-goog-hash); objects.list (prefix, delimiter, maxResults, pageToken); objects.delete;
// preconditions (412). Paths are served under /storage/v1 and /upload/storage/v1, and bare (/b/...)
// as emulators do.
#include "gfake/gcs_routes.h"

#include <httplib.h>

#include <ctime>
#include <optional>

#include "core/base64.h"
#include "core/flat_json.h"
#include "core/log.h"
#include "gfake/fake_context.h"
#include "gfake/routes.h"
#include "http/transport.h"

namespace metl::gfake {
namespace gcs_http {
namespace {

std::string Rfc3339(int64_t ms) {
  time_t s = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

const std::vector<std::string> kReadScopes = {
    "https://www.googleapis.com/auth/devstorage.read_only", "https://www.googleapis.com/auth/devstorage.read_write",
    "https://www.googleapis.com/auth/devstorage.full_control", "https://www.googleapis.com/auth/cloud-platform",
    "https://www.googleapis.com/auth/cloud-platform.read-only"};
const std::vector<std::string> kWriteScopes = {"https://www.googleapis.com/auth/devstorage.read_write",
                                               "https://www.googleapis.com/auth/devstorage.full_control",
                                               "https://www.googleapis.com/auth/cloud-platform"};

std::string PathEncode(const std::string& s) {
  return http::FormEncode(s);
}

std::string ObjectJson(const FakeContext& ctx, const FakeObject& o) {
  std::string gen = std::to_string(o.generation);
  std::string self = ctx.base_url() + "/storage/v1/b/" + o.bucket + "/o/" + PathEncode(o.name);
  std::string t = Rfc3339(o.created_ms);
  return "{\"kind\":\"storage#object\",\"id\":\"" + JsonEscape(o.bucket + "/" + o.name + "/" + gen) +
         "\",\"selfLink\":\"" + JsonEscape(self) + "\",\"mediaLink\":\"" +
         JsonEscape(ctx.base_url() + "/download/storage/v1/b/" + o.bucket + "/o/" + PathEncode(o.name) +
                    "?generation=" + gen + "&alt=media") +
         "\",\"name\":\"" + JsonEscape(o.name) + "\",\"bucket\":\"" + JsonEscape(o.bucket) + "\",\"generation\":\"" +
         gen + "\",\"metageneration\":\"" + std::to_string(o.metageneration) + "\",\"contentType\":\"" +
         JsonEscape(o.content_type) + "\",\"storageClass\":\"STANDARD\",\"size\":\"" + std::to_string(o.data.size()) +
         "\",\"md5Hash\":\"" + o.md5_b64 + "\",\"crc32c\":\"" + o.crc32c_b64 + "\",\"etag\":\"" + Base64Encode(gen) +
         "\",\"timeCreated\":\"" + t + "\",\"updated\":\"" + t + "\",\"timeStorageClassUpdated\":\"" + t + "\"}";
}

void SendJson(httplib::Response& res, int status, const std::string& json) {
  res.status = status;
  res.set_content(json, "application/json; charset=UTF-8");
}

std::optional<int64_t> Int64Param(const httplib::Request& req, const char* name, bool& bad) {
  if (!req.has_param(name)) return std::nullopt;
  std::string v = req.get_param_value(name);
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || n < 0) {
    bad = true;
    return std::nullopt;
  }
  return n;
}

void PreconditionFailed(httplib::Response& res) {
  FakeContext::SendError(res, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
}

void NoSuchObject(httplib::Response& res, const std::string& bucket, const std::string& name) {
  FakeContext::SendError(res, 404, "notFound", "No such object: " + bucket + "/" + name);
}

void NoSuchBucket(httplib::Response& res) {
  FakeContext::SendError(res, 404, "notFound", "The specified bucket does not exist.");
}

void Store(FakeContext& ctx, httplib::Response& res, const std::string& bucket, const std::string& name,
           std::string data, const std::string& content_type, std::optional<int64_t> if_generation_match,
           FakeObject* stored) {
  FakeObject o;
  switch (ctx.gcs().Put(bucket, name, std::move(data), content_type, if_generation_match, &o)) {
    case GcsState::PutOutcome::kNoBucket:
      return NoSuchBucket(res);
    case GcsState::PutOutcome::kPreconditionFailed:
      return PreconditionFailed(res);
    case GcsState::PutOutcome::kOk:
      if (stored != nullptr) *stored = o;
      return SendJson(res, 200, ObjectJson(ctx, o));
  }
}

}  // namespace gcs_http

using namespace gcs_http;  // NOLINT(google-build-using-namespace): the handlers' vocabulary

namespace {

void HandleBucketGet(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kReadScopes)) return;
  std::string bucket = req.matches[1];
  auto location = ctx.gcs().BucketLocation(bucket);
  if (!location) return NoSuchBucket(res);
  bool multi = *location == "US" || *location == "EU" || *location == "ASIA";
  SendJson(res, 200,
           "{\"kind\":\"storage#bucket\",\"id\":\"" + bucket + "\",\"selfLink\":\"" + ctx.base_url() +
               "/storage/v1/b/" + bucket + "\",\"projectNumber\":\"100000000001\",\"name\":\"" + bucket +
               "\",\"timeCreated\":\"2026-01-01T00:00:00.000Z\",\"updated\":\"2026-01-01T00:00:00.000Z\","
               "\"metageneration\":\"1\",\"location\":\"" +
               *location + "\",\"locationType\":\"" + (multi ? "multi-region" : "region") +
               "\",\"storageClass\":\"STANDARD\",\"etag\":\"CAE=\"}");
}

void HandleList(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kReadScopes)) return;
  std::string bucket = req.matches[1];
  if (!ctx.gcs().BucketLocation(bucket)) return NoSuchBucket(res);
  std::string prefix = req.get_param_value("prefix");
  std::string delimiter = req.get_param_value("delimiter");
  bool bad = false;
  int64_t max = Int64Param(req, "maxResults", bad).value_or(1000);
  if (bad || max <= 0) return FakeContext::SendError(res, 400, "invalid", "Invalid value for maxResults");
  max = std::min<int64_t>(max, 1000);
  std::string start;
  if (req.has_param("pageToken")) {
    auto decoded = Base64Decode(req.get_param_value("pageToken"));
    if (!decoded) return FakeContext::SendError(res, 400, "invalid", "Invalid page token");
    start = *decoded;
  }
  // Entries in name order: objects, and with a delimiter the "directories" they fold into.
  std::vector<std::pair<std::string, std::optional<FakeObject>>> entries;
  for (auto& o : ctx.gcs().List(bucket, prefix)) {
    if (!delimiter.empty()) {
      size_t d = o.name.find(delimiter, prefix.size());
      if (d != std::string::npos) {
        std::string p = o.name.substr(0, d + delimiter.size());
        if (entries.empty() || entries.back().first != p) entries.emplace_back(p, std::nullopt);
        continue;
      }
    }
    entries.emplace_back(o.name, std::move(o));
  }
  std::string items, prefixes, next;
  int64_t n = 0;
  for (auto& [key, obj] : entries) {
    if (key < start) continue;
    if (n == max) {
      next = Base64Encode(key);
      break;
    }
    ++n;
    if (obj) {
      items += (items.empty() ? "" : ",") + ObjectJson(ctx, *obj);
    } else {
      prefixes += (prefixes.empty() ? "\"" : ",\"") + JsonEscape(key) + "\"";
    }
  }
  std::string json = "{\"kind\":\"storage#objects\"";
  if (!next.empty()) json += ",\"nextPageToken\":\"" + next + "\"";
  if (!prefixes.empty()) json += ",\"prefixes\":[" + prefixes + "]";
  if (!items.empty()) json += ",\"items\":[" + items + "]";
  SendJson(res, 200, json + "}");
}

void HandleObjectGet(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kReadScopes)) return;
  std::string bucket = req.matches[1], name = req.matches[2];
  if (!ctx.gcs().BucketLocation(bucket)) return NoSuchBucket(res);
  bool bad = false;
  std::optional<int64_t> generation = Int64Param(req, "generation", bad);
  std::optional<int64_t> if_match = Int64Param(req, "ifGenerationMatch", bad);
  if (bad) return FakeContext::SendError(res, 400, "invalid", "Invalid argument");
  auto o = ctx.gcs().Get(bucket, name);
  if (!o || (generation && *generation != o->generation)) return NoSuchObject(res, bucket, name);
  if (if_match && *if_match != o->generation) return PreconditionFailed(res);
  if (req.get_param_value("alt") == "media") {
    // The stored bytes exactly: no transparent compression (the hashes describe these bytes).
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    res.set_header("x-goog-hash", "crc32c=" + o->crc32c_b64 + ",md5=" + o->md5_b64);
    res.set_header("x-goog-generation", std::to_string(o->generation));
    res.set_header("x-goog-metageneration", std::to_string(o->metageneration));
    res.set_header("x-goog-stored-content-length", std::to_string(o->data.size()));
    res.set_header("x-goog-stored-content-encoding", "identity");
    res.status = 200;
    res.set_content(o->data, o->content_type);
    return;
  }
  SendJson(res, 200, ObjectJson(ctx, *o));
}

void HandleObjectDelete(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kWriteScopes)) return;
  std::string bucket = req.matches[1], name = req.matches[2];
  if (!ctx.gcs().BucketLocation(bucket)) return NoSuchBucket(res);
  bool bad = false;
  std::optional<int64_t> generation = Int64Param(req, "generation", bad);
  std::optional<int64_t> if_match = Int64Param(req, "ifGenerationMatch", bad);
  if (bad) return FakeContext::SendError(res, 400, "invalid", "Invalid argument");
  switch (ctx.gcs().Delete(bucket, name, generation, if_match)) {
    case GcsState::DeleteOutcome::kNotFound:
      return NoSuchObject(res, bucket, name);
    case GcsState::DeleteOutcome::kPreconditionFailed:
      return PreconditionFailed(res);
    case GcsState::DeleteOutcome::kOk:
      res.status = 204;
      return;
  }
}

}  // namespace

void RegisterGcsRoutes(httplib::Server& server, FakeContext& ctx) {
  auto bind = [&ctx](void (*fn)(FakeContext&, const httplib::Request&, httplib::Response&)) {
    return [&ctx, fn](const httplib::Request& req, httplib::Response& res) { fn(ctx, req, res); };
  };
  // /resumable/upload/... is the discovery document's resumable path (gcloud uses it).
  for (std::string upload : {"/upload/storage/v1", "/resumable/upload/storage/v1"}) {
    server.Post(upload + R"(/b/([^/]+)/o)", bind(HandleInsert));
    server.Put(upload + R"(/b/([^/]+)/o)", bind(HandleChunk));
    server.Delete(upload + R"(/b/([^/]+)/o)", bind(HandleCancel));
  }
  for (std::string base : {"/storage/v1", ""}) {
    server.Get(base + R"(/b/([^/]+))", bind(HandleBucketGet));
    server.Get(base + R"(/b/([^/]+)/o)", bind(HandleList));
    server.Get(base + R"(/b/([^/]+)/o/(.+))", bind(HandleObjectGet));
    server.Delete(base + R"(/b/([^/]+)/o/(.+))", bind(HandleObjectDelete));
  }
  server.Get(R"(/download/storage/v1/b/([^/]+)/o/(.+))", bind(HandleObjectGet));
}

}  // namespace metl::gfake
