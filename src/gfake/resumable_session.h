// The server side of Google's resumable upload protocol, shared by the fake's Cloud Storage
// (gcs_upload_routes.cc) and BigQuery (bigquery_upload_routes.cc) media uploads, held to Google's
// documented behaviour (reference/BIGQUERY-GCS.md §2.2): `Content-Range: bytes FIRST-LAST/TOTAL`
// (TOTAL `*` while unknown), `bytes */TOTAL` or `bytes */*` for a status query; every chunk but the
// last a multiple of 256 KiB; a chunk may restart inside what was persisted (those bytes are kept
// once) but never after it; 308 + `Range: bytes=0-N` while incomplete (no Range when nothing is
// stored). A cut stores part of a chunk (whole quanta) and drops the connection without an answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace metl::gfake {

inline constexpr int64_t kUploadQuantum = 256 * 1024;

struct ContentRange {
  bool query = false;  // "bytes */..."
  int64_t first = 0, last = -1;
  int64_t total = -1;  // -1 = "*"
};

// "bytes FIRST-LAST/TOTAL", "bytes FIRST-LAST/*", "bytes */TOTAL", "bytes */*"; nullopt when malformed.
std::optional<ContentRange> ParseContentRange(const std::string& header);
// The request's range: its Content-Range; without one, the whole body is the whole upload (no body:
// an empty upload). nullopt: a malformed header.
std::optional<ContentRange> RequestRange(const httplib::Request& req);

// The persisted bytes of a session and its total (-1 until known).
struct SessionBytes {
  std::string& data;
  int64_t& total;
};

struct ChunkOutcome {
  std::string bad;    // why the request is refused (400), "" when taken
  bool cut = false;   // the chunk was cut: part stored, the connection must drop
  int64_t fresh = 0;  // bytes newly persisted
};

// Applies one PUT to the session: checks it against the protocol, then appends its new bytes; with
// `cut`, only the first half of them (whole quanta).
ChunkOutcome AcceptChunk(const ContentRange& range, std::string_view body, SessionBytes session, bool cut);

// 308 Resume Incomplete with the Range persisted so far.
void SendIncomplete(httplib::Response& res, int64_t persisted);
// Drops the connection instead of answering (X-Fake-Fault: cut_upload in the request log).
void CutConnection(httplib::Response& res);

}  // namespace metl::gfake
