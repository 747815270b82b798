// GcsObjectStore::Put: an object that fits one chunk goes up in one multipart request; a larger one
// through the shared resumable upload (http/resumable_upload.h: 256 KiB multiples, status-query
// resume). Either way ifGenerationMatch guards the write and GCS's MD5/CRC32C of the stored object
// are compared with ours (a mismatch deletes that generation).
#include <random>

#include "core/flat_json.h"
#include "core/log.h"
#include "http/resumable_upload.h"
#include "objstore/gcs_store_impl.h"

namespace metl::objstore {
namespace {

using http::HttpRequest;
using http::HttpResult;

std::string RandomBoundary() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string b = "metl_";
  for (int i = 0; i < 32; ++i) b += kChars[rng() % 36];
  return b;
}

std::string Precondition(const PutOptions& options) {
  if (options.if_absent) return "&ifGenerationMatch=0";
  if (options.if_version) return "&ifGenerationMatch=" + GcsEncode(*options.if_version);
  return "";
}

}  // namespace

Status GcsObjectStore::Impl::Put(std::string_view key, const std::function<size_t(char*, size_t)>& source,
                                 const PutOptions& options) {
  std::string first;
  bool eof = false;
  http::FillFrom(source, first, static_cast<size_t>(chunk_size), eof);
  if (!eof) return PutResumable(key, std::move(first), eof, source, options);
  Md5 md5;  // fits one request
  Crc32c crc;
  md5.Update(first);
  crc.Update(first);
  return PutMultipart(key, first, options, GcsDigestsOf(md5, crc));
}

// Whether the object now holds exactly these bytes (a retried write that had succeeded).
bool GcsObjectStore::Impl::Holds(std::string_view key, const GcsDigests& d) {
  auto r = Call([&] { return HttpRequest{.method = "GET", .url = ObjectUrl(key)}; }, "stat " + Where(key));
  if (!r.ok() || r->response.status != 200) return false;
  auto json = ParseFlatJsonObject(r->response.body, "object");
  return json.ok() && FlatField(*json, "md5Hash") == d.md5_b64 && FlatField(*json, "crc32c") == d.crc32c_b64;
}

// Compares GCS's digests of the stored object with ours; a mismatch deletes that generation.
Status GcsObjectStore::Impl::CheckStored(std::string_view key, const std::string& object_json, const GcsDigests& d) {
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

Status GcsObjectStore::Impl::PutMultipart(std::string_view key, const std::string& data, const PutOptions& options,
                                          const GcsDigests& d) {
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
  std::string url = endpoint + "/upload/storage/v1/b/" + bucket + "/o?uploadType=multipart" + Precondition(options);
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
    return GcsPreconditionFailed(Where(key));
  }
  if (r.response.status != 200 && r.response.status != 201) return StatusError(r, "upload " + Where(key));
  return CheckStored(key, r.response.body, d);
}

Status GcsObjectStore::Impl::PutResumable(std::string_view key, std::string first, bool eof,
                                          const std::function<size_t(char*, size_t)>& source,
                                          const PutOptions& options) {
  const std::string what = "upload " + Where(key);
  http::ResumableUpload::Hooks hooks;
  hooks.send = [this](const std::function<HttpRequest()>& make) { return Authed(make); };
  hooks.error_of = [this, key, what](const HttpResult& r) {
    if (r.response.status == 412) return GcsPreconditionFailed(Where(key));
    return StatusError(r, what);
  };
  hooks.on_retry = [what](const Error& e, int n, double delay) { LogRetry(what, e, n, delay); };
  http::ResumableUpload upload(std::move(hooks), retry, what, chunk_size);

  const std::string url = endpoint + "/upload/storage/v1/b/" + bucket +
                          "/o?uploadType=resumable&name=" + GcsEncode(prefix + std::string(key)) +
                          Precondition(options);
  const std::string metadata = "{\"name\":\"" + JsonEscape(prefix + std::string(key)) + "\",\"contentType\":\"" +
                               JsonEscape(options.content_type) + "\"}";
  METL_ASSIGN_OR_RETURN(std::string session, upload.Start(
                                                 [&] {
                                                   return HttpRequest{
                                                       .method = "POST",
                                                       .url = url,
                                                       .headers = {{"Content-Type", "application/json; charset=UTF-8"},
                                                                   {"X-Upload-Content-Type", options.content_type}},
                                                       .body = metadata};
                                                 },
                                                 endpoint));
  Md5 md5;
  Crc32c crc;
  GcsDigests d;
  METL_ASSIGN_OR_RETURN(std::string object_json,
                        upload.Send(
                            session, source, std::move(first), eof,
                            [&](std::string_view bytes) {
                              md5.Update(bytes);
                              crc.Update(bytes);
                            },
                            [&] {  // the whole object's digests, on the last chunk only (GCS checks them)
                              d = GcsDigestsOf(md5, crc);
                              return http::HeaderList{{"X-Goog-Hash", "crc32c=" + d.crc32c_b64 + ",md5=" + d.md5_b64}};
                            }));
  return CheckStored(key, object_json, d);
}

}  // namespace metl::objstore
