// The GCS JSON API subset the tool and `gcloud storage` use, held to Google's documented behaviour:
// buckets.get; objects.insert (uploadType=media, multipart, resumable with 256 KiB chunks, 308 +
// Range and status queries); objects.get (metadata, alt=media with x-goog-hash); objects.list
// (prefix, delimiter, maxResults, pageToken); objects.delete; preconditions (412). Paths are served
// under /storage/v1 and /upload/storage/v1, and bare (/b/...) as emulators do.
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
namespace {

constexpr int64_t kQuantum = 256 * 1024;
const std::vector<std::string> kReadScopes = {
    "https://www.googleapis.com/auth/devstorage.read_only", "https://www.googleapis.com/auth/devstorage.read_write",
    "https://www.googleapis.com/auth/devstorage.full_control", "https://www.googleapis.com/auth/cloud-platform",
    "https://www.googleapis.com/auth/cloud-platform.read-only"};
const std::vector<std::string> kWriteScopes = {"https://www.googleapis.com/auth/devstorage.read_write",
                                               "https://www.googleapis.com/auth/devstorage.full_control",
                                               "https://www.googleapis.com/auth/cloud-platform"};

std::string Rfc3339(int64_t ms) {
  time_t s = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string PathEncode(const std::string& s) { return http::FormEncode(s); }

// The object resource; 64-bit numbers are JSON strings, as in GCS.
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

// Stores a complete upload: 200 + the object, 412, or 404 for a missing bucket.
void Store(FakeContext& ctx, httplib::Response& res, const std::string& bucket, const std::string& name,
           std::string data, const std::string& content_type, std::optional<int64_t> if_generation_match,
           FakeObject* stored = nullptr) {
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

// "x-goog-hash: crc32c=...,md5=..." (sent by clients on the last chunk): a mismatch is a 400.
bool HashesMatch(const std::string& header, const std::string& data) {
  if (header.empty()) return true;
  FakeObject probe;
  probe.data = data;
  GcsState::Describe(probe);
  size_t pos = 0;
  while (pos < header.size()) {
    size_t comma = header.find(',', pos);
    std::string part = header.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? header.size() : comma + 1;
    while (!part.empty() && part[0] == ' ') part.erase(0, 1);
    if (part.starts_with("crc32c=") && part.substr(7) != probe.crc32c_b64) return false;
    if (part.starts_with("md5=") && part.substr(4) != probe.md5_b64) return false;
  }
  return true;
}

// multipart/related: part 1 = JSON metadata, part 2 = the media. Lines end in CRLF (RFC 2046) or,
// as Python's email generator writes them (gcloud, via apitools), in LF; the boundary parameter may
// be quoted with " or, as apitools writes it, with '.
bool ParseMultipart(const std::string& content_type, const std::string& body, std::string& metadata, std::string& media,
                    std::string& media_type) {
  size_t b = content_type.find("boundary=");
  if (content_type.find("multipart/related") != 0 || b == std::string::npos) return false;
  std::string boundary = content_type.substr(b + 9);
  if (!boundary.empty() && (boundary.front() == '"' || boundary.front() == '\'')) {
    size_t close = boundary.find(boundary.front(), 1);
    if (close == std::string::npos) return false;
    boundary = boundary.substr(1, close - 1);
  } else {
    boundary = boundary.substr(0, boundary.find(';'));
  }
  std::string delim = "--" + boundary;
  size_t pos = body.find(delim);
  if (pos == std::string::npos) return false;
  std::string eol = body.compare(pos + delim.size(), 2, "\r\n") == 0 ? "\r\n" : "\n";
  std::vector<std::pair<std::string, std::string>> parts;  // (headers, body)
  for (;;) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;  // the closing delimiter
    if (body.compare(pos, eol.size(), eol) != 0) return false;
    pos += eol.size();
    size_t hdr_end = body.find(eol + eol, pos);
    if (hdr_end == std::string::npos) return false;
    size_t content = hdr_end + 2 * eol.size();
    size_t next = body.find(eol + delim, content);
    if (next == std::string::npos) return false;
    parts.emplace_back(body.substr(pos, hdr_end - pos), body.substr(content, next - content));
    pos = next + eol.size();
  }
  if (parts.size() != 2) return false;
  metadata = parts[0].second;
  media = parts[1].second;
  media_type.clear();
  std::string headers = parts[1].first;
  for (char& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t ct = headers.find("content-type:");
  if (ct != std::string::npos) {
    size_t end = headers.find_first_of("\r\n", ct);
    media_type = parts[1].first.substr(ct + 13, end == std::string::npos ? std::string::npos : end - ct - 13);
    while (!media_type.empty() && media_type[0] == ' ') media_type.erase(0, 1);
  }
  return true;
}

// Drops the connection instead of the answer.
void Cut(httplib::Response& res) {
  res.set_header("X-Fake-Fault", "cut_upload");
  res.status = 200;
  res.body.clear();
  res.set_content_provider(1, "text/plain", [](size_t, size_t, httplib::DataSink&) { return false; });
}

// --cut-upload on a one-request upload: the object is stored, then the answer is lost, so the
// client's retry meets its own object (a 412 under ifGenerationMatch=0).
void MaybeCutAfterStoring(FakeContext& ctx, httplib::Response& res) {
  if (res.status == 200 && ctx.NextChunkIsCut()) Cut(res);
}

void HandleInsert(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kWriteScopes)) return;
  std::string bucket = req.matches[1];
  if (!ctx.gcs().BucketLocation(bucket)) return NoSuchBucket(res);
  bool bad = false;
  std::optional<int64_t> if_match = Int64Param(req, "ifGenerationMatch", bad);
  if (bad) return FakeContext::SendError(res, 400, "invalid", "Invalid argument: ifGenerationMatch");
  std::string type = req.get_param_value("uploadType");
  std::string name = req.get_param_value("name");
  if (type == "media") {
    if (name.empty()) return FakeContext::SendError(res, 400, "required", "Required parameter: name");
    Store(ctx, res, bucket, name, req.body, req.get_header_value("Content-Type"), if_match);
    return MaybeCutAfterStoring(ctx, res);
  }
  if (type == "multipart") {
    std::string metadata, media, media_type;
    if (!ParseMultipart(req.get_header_value("Content-Type"), req.body, metadata, media, media_type)) {
      return FakeContext::SendError(res, 400, "invalid", "Invalid multipart request with 0 mime parts.");
    }
    auto meta = ParseFlatJsonObject(metadata, "metadata");
    if (!meta.ok()) return FakeContext::SendError(res, 400, "parseError", "Parse Error");
    if (name.empty()) name = FlatField(*meta, "name");
    if (name.empty()) return FakeContext::SendError(res, 400, "required", "Required");
    FakeObject probe;
    probe.data = media;
    GcsState::Describe(probe);
    std::string md5 = FlatField(*meta, "md5Hash"), crc = FlatField(*meta, "crc32c");
    if ((!md5.empty() && md5 != probe.md5_b64) || (!crc.empty() && crc != probe.crc32c_b64)) {
      return FakeContext::SendError(res, 400, "invalid",
                                    "Provided MD5 hash or CRC32C checksum doesn't match the calculated one.");
    }
    std::string ct = FlatField(*meta, "contentType");
    Store(ctx, res, bucket, name, std::move(media), ct.empty() ? media_type : ct, if_match);
    return MaybeCutAfterStoring(ctx, res);
  }
  if (type == "resumable") {
    UploadSession s;
    s.bucket = bucket;
    s.name = name;
    std::string ct = req.get_header_value("X-Upload-Content-Type");
    if (!req.body.empty()) {
      auto meta = ParseFlatJsonObject(req.body, "metadata");
      if (!meta.ok()) return FakeContext::SendError(res, 400, "parseError", "Parse Error");
      if (s.name.empty()) s.name = FlatField(*meta, "name");
      if (ct.empty()) ct = FlatField(*meta, "contentType");
    }
    if (s.name.empty()) return FakeContext::SendError(res, 400, "required", "Required");
    s.content_type = ct;
    s.if_generation_match = if_match;
    if (std::string len = req.get_header_value("X-Upload-Content-Length"); !len.empty()) s.total = std::stoll(len);
    if (if_match) {  // checked when the upload starts, and again when it completes
      auto existing = ctx.gcs().Get(bucket, s.name);
      if ((existing ? existing->generation : 0) != *if_match) return PreconditionFailed(res);
    }
    std::string object_name = s.name;
    std::string id = ctx.gcs().NewSession(std::move(s));
    res.set_header("Location", ctx.base_url() + "/upload/storage/v1/b/" + bucket +
                                   "/o?uploadType=resumable&name=" + PathEncode(object_name) + "&upload_id=" + id);
    res.set_header("X-GUploader-UploadID", id);
    return SendJson(res, 200, "");
  }
  FakeContext::SendError(res, 400, "invalidParameter", "Invalid upload type: '" + type + "'");
}

struct ContentRange {
  bool query = false;  // "bytes */..."
  int64_t first = 0, last = -1;
  int64_t total = -1;  // -1 = "*"
};

std::optional<ContentRange> ParseContentRange(const std::string& header) {
  if (!header.starts_with("bytes ")) return std::nullopt;
  std::string v = header.substr(6);
  size_t slash = v.find('/');
  if (slash == std::string::npos) return std::nullopt;
  ContentRange r;
  std::string range = v.substr(0, slash), total = v.substr(slash + 1);
  if (total != "*") r.total = std::stoll(total);
  if (range == "*") {
    r.query = true;
  } else {
    size_t dash = range.find('-');
    if (dash == std::string::npos) return std::nullopt;
    r.first = std::stoll(range.substr(0, dash));
    r.last = std::stoll(range.substr(dash + 1));
    if (r.last < r.first) return std::nullopt;
  }
  return r;
}

void Incomplete(httplib::Response& res, int64_t persisted) {
  res.status = 308;
  if (persisted > 0) res.set_header("Range", "bytes=0-" + std::to_string(persisted - 1));
  res.set_content("", "text/plain; charset=utf-8");
}

void HandleChunk(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kWriteScopes)) return;
  std::string id = req.get_param_value("upload_id");
  std::optional<ContentRange> range;
  std::string cr = req.get_header_value("Content-Range");
  if (cr.empty()) {
    range = ContentRange{false, 0, static_cast<int64_t>(req.body.size()) - 1, static_cast<int64_t>(req.body.size())};
    if (req.body.empty()) range->query = true;
  } else {
    try {
      range = ParseContentRange(cr);
    } catch (const std::exception&) {
      range.reset();
    }
  }
  if (!range) return FakeContext::SendError(res, 400, "invalid", "Failed to parse Content-Range header.");

  enum class Next { kIncomplete, kFinalize, kDone, kBad, kCut } next = Next::kIncomplete;
  std::string bad;
  int64_t persisted = 0;
  UploadSession snapshot;
  bool cut = false;
  bool found = ctx.gcs().WithSession(id, [&](UploadSession& s) {
    if (s.finalized) {
      next = Next::kDone;
      snapshot = s;
      return;
    }
    if (range->total >= 0) {
      if (s.total >= 0 && s.total != range->total) {
        next = Next::kBad;
        bad = "The total size of the upload changed.";
        return;
      }
      s.total = range->total;
    }
    if (range->query) {
      if (!req.body.empty()) {
        next = Next::kBad;
        bad = "A status query has no body.";
        return;
      }
    } else {
      int64_t len = static_cast<int64_t>(req.body.size());
      if (len != range->last - range->first + 1) {
        next = Next::kBad;
        bad = "The Content-Range does not match the body's length.";
        return;
      }
      int64_t have = static_cast<int64_t>(s.data.size());
      if (range->first > have) {
        next = Next::kBad;
        bad = "Invalid request. The chunk starts at byte " + std::to_string(range->first) + " but " +
              std::to_string(have) + " bytes were persisted.";
        return;
      }
      bool final_chunk = s.total >= 0 && range->last + 1 == s.total;
      if (!final_chunk && len % kQuantum != 0) {
        next = Next::kBad;
        bad =
            "Invalid request. The number of bytes uploaded is required to be equal or greater than 262144, "
            "except for the final request (it's recommended to be the exact multiple of 262144). The received "
            "request contained " +
            std::to_string(len) + " bytes, which does not meet this requirement.";
        return;
      }
      std::string_view fresh(req.body);
      fresh.remove_prefix(static_cast<size_t>(std::min(len, have - range->first)));
      if (ctx.NextChunkIsCut()) {
        // Half the chunk (whole quanta) reaches storage, then the connection drops: the client
        // must ask where to resume instead of assuming the chunk was stored.
        size_t keep = (fresh.size() / 2) / kQuantum * kQuantum;
        s.data.append(fresh.substr(0, keep));
        cut = true;
        next = Next::kCut;
        return;
      }
      s.data.append(fresh);
    }
    persisted = static_cast<int64_t>(s.data.size());
    if (s.total >= 0 && persisted > s.total) {
      next = Next::kBad;
      bad = "More bytes than the declared total.";
      return;
    }
    if (s.total >= 0 && persisted == s.total) {
      next = Next::kFinalize;
      snapshot = s;
    }
  });
  if (!found) return FakeContext::SendError(res, 404, "notFound", "No such upload session.");
  switch (next) {
    case Next::kBad:
      return FakeContext::SendError(res, 400, "invalid", bad);
    case Next::kCut:
      (void)cut;
      return Cut(res);
    case Next::kIncomplete:
      return Incomplete(res, persisted);
    case Next::kDone:
      return SendJson(res, 200, ObjectJson(ctx, *snapshot.result));
    case Next::kFinalize: {
      if (!HashesMatch(req.get_header_value("x-goog-hash"), snapshot.data)) {
        return FakeContext::SendError(res, 400, "invalid",
                                      "Provided MD5 hash or CRC32C checksum doesn't match the calculated one.");
      }
      FakeObject stored;
      Store(ctx, res, snapshot.bucket, snapshot.name, snapshot.data, snapshot.content_type,
            snapshot.if_generation_match, &stored);
      if (res.status == 200) {
        ctx.gcs().WithSession(id, [&](UploadSession& s) {
          s.finalized = true;
          s.result = stored;
          s.data.clear();
        });
      }
      return;
    }
  }
}

void HandleCancel(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kWriteScopes)) return;
  if (!ctx.gcs().DropSession(req.get_param_value("upload_id"))) {
    return FakeContext::SendError(res, 404, "notFound", "No such upload session.");
  }
  res.status = 499;  // what Google's storage-testbench answers to a cancelled session
}

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
