// The fake's Cloud Storage routes, internal to src/gfake/, split by concept: gcs_routes.cc (buckets,
// listings, object get and delete, the registration) and gcs_upload_routes.cc (objects.insert:
// media, multipart and resumable uploads). What both use is here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gfake/fake_context.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace metl::gfake::gcs_http {

extern const std::vector<std::string> kReadScopes;
extern const std::vector<std::string> kWriteScopes;

std::string PathEncode(const std::string& s);
// The object resource; 64-bit numbers are JSON strings, as in GCS.
std::string ObjectJson(const FakeContext& ctx, const FakeObject& o);
void SendJson(httplib::Response& res, int status, const std::string& json);
// A non-negative integer query parameter; sets `bad` when it is not one.
std::optional<int64_t> Int64Param(const httplib::Request& req, const char* name, bool& bad);
void PreconditionFailed(httplib::Response& res);
void NoSuchObject(httplib::Response& res, const std::string& bucket, const std::string& name);
void NoSuchBucket(httplib::Response& res);
// Stores a complete upload: 200 + the object, 412, or 404 for a missing bucket.
void Store(FakeContext& ctx, httplib::Response& res, const std::string& bucket, const std::string& name,
           std::string data, const std::string& content_type, std::optional<int64_t> if_generation_match,
           FakeObject* stored = nullptr);

// gcs_upload_routes.cc: POST (start or whole upload), PUT (a chunk or a status query), DELETE (cancel).
void HandleInsert(FakeContext& ctx, const httplib::Request& req, httplib::Response& res);
void HandleChunk(FakeContext& ctx, const httplib::Request& req, httplib::Response& res);
void HandleCancel(FakeContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace metl::gfake::gcs_http
