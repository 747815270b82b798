// objects.insert of the fake's Cloud Storage (gcs_routes.h): uploadType=media and multipart in one
// request, resumable in a session whose chunks follow the shared protocol (resumable_session.h);
// an x-goog-hash on the last chunk, or the md5Hash/crc32c of multipart metadata, is checked.
#include <httplib.h>

#include <optional>

#include "core/flat_json.h"
#include "gfake/fake_context.h"
#include "gfake/gcs_routes.h"
#include "gfake/resumable_session.h"

namespace metl::gfake::gcs_http {
namespace {

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

// --cut-upload on a one-request upload: the object is stored, then the answer is lost, so the
// client's retry meets its own object (a 412 under ifGenerationMatch=0).
void MaybeCutAfterStoring(FakeContext& ctx, httplib::Response& res) {
  if (res.status == 200 && ctx.NextChunkIsCut()) CutConnection(res);
}

}  // namespace

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

void HandleChunk(FakeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!ctx.Admit(req, res, kWriteScopes)) return;
  std::string id = req.get_param_value("upload_id");
  std::optional<ContentRange> range = RequestRange(req);
  if (!range) return FakeContext::SendError(res, 400, "invalid", "Failed to parse Content-Range header.");

  enum class Next { kIncomplete, kFinalize, kDone, kBad, kCut } next = Next::kIncomplete;
  std::string bad;
  int64_t persisted = 0;
  UploadSession snapshot;
  bool found = ctx.gcs().WithSession(id, [&](UploadSession& s) {
    if (s.finalized) {
      next = Next::kDone;
      snapshot = s;
      return;
    }
    ChunkOutcome outcome =
        AcceptChunk(*range, req.body, SessionBytes{s.data, s.total}, !range->query && ctx.NextChunkIsCut());
    if (!outcome.bad.empty()) {
      next = Next::kBad;
      bad = outcome.bad;
      return;
    }
    if (outcome.cut) {
      next = Next::kCut;
      return;
    }
    persisted = static_cast<int64_t>(s.data.size());
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
      return CutConnection(res);
    case Next::kIncomplete:
      return SendIncomplete(res, persisted);
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

}  // namespace metl::gfake::gcs_http
