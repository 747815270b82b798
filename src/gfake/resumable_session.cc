#include "gfake/resumable_session.h"

#include <httplib.h>

#include <algorithm>
#include <cstdlib>

namespace metl::gfake {
namespace {

bool Number(const std::string& t, int64_t& out) {
  char* end = nullptr;
  long long n = std::strtoll(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0' || n < 0) return false;
  out = n;
  return true;
}

}  // namespace

std::optional<ContentRange> ParseContentRange(const std::string& header) {
  if (header.rfind("bytes ", 0) != 0) return std::nullopt;
  std::string v = header.substr(6);
  size_t slash = v.find('/');
  if (slash == std::string::npos) return std::nullopt;
  ContentRange r;
  std::string range = v.substr(0, slash), total = v.substr(slash + 1);
  if (total != "*" && !Number(total, r.total)) return std::nullopt;
  if (range == "*") {
    r.query = true;
    return r;
  }
  size_t dash = range.find('-');
  if (dash == std::string::npos || !Number(range.substr(0, dash), r.first) || !Number(range.substr(dash + 1), r.last) ||
      r.last < r.first) {
    return std::nullopt;
  }
  return r;
}

std::optional<ContentRange> RequestRange(const httplib::Request& req) {
  std::string header = req.get_header_value("Content-Range");
  if (!header.empty()) return ParseContentRange(header);
  if (req.body.empty()) return ContentRange{true, 0, -1, 0};  // an empty upload, complete
  const auto size = static_cast<int64_t>(req.body.size());
  return ContentRange{false, 0, size - 1, size};
}

ChunkOutcome AcceptChunk(const ContentRange& range, std::string_view body, SessionBytes session, bool cut) {
  ChunkOutcome out;
  if (range.total >= 0) {
    if (session.total >= 0 && session.total != range.total) {
      out.bad = "The total size of the upload changed.";
      return out;
    }
    session.total = range.total;
  }
  if (range.query) {
    if (!body.empty()) out.bad = "A status query has no body.";
    return out;
  }
  const auto len = static_cast<int64_t>(body.size());
  const auto have = static_cast<int64_t>(session.data.size());
  if (len != range.last - range.first + 1) {
    out.bad = "The Content-Range does not match the body's length.";
    return out;
  }
  if (range.first > have) {
    out.bad = "Invalid request. The chunk starts at byte " + std::to_string(range.first) + " but " +
              std::to_string(have) + " bytes were persisted.";
    return out;
  }
  if (session.total >= 0 && range.last + 1 > session.total) {
    out.bad = "More bytes than the declared total.";
    return out;
  }
  const bool final_chunk = session.total >= 0 && range.last + 1 == session.total;
  if (!final_chunk && len % kUploadQuantum != 0) {
    out.bad =
        "Invalid request. The number of bytes uploaded is required to be equal or greater than 262144, "
        "except for the final request (it's recommended to be the exact multiple of 262144). The received "
        "request contained " +
        std::to_string(len) + " bytes, which does not meet this requirement.";
    return out;
  }
  std::string_view fresh = body.substr(static_cast<size_t>(std::min(len, have - range.first)));  // resent: kept once
  if (cut) {
    // Half the chunk (whole quanta) reaches storage, then the connection drops: the client must
    // ask where to resume instead of assuming the chunk was stored.
    fresh = fresh.substr(0, (fresh.size() / 2) / kUploadQuantum * kUploadQuantum);
    out.cut = true;
  }
  session.data.append(fresh);
  out.fresh = static_cast<int64_t>(fresh.size());
  return out;
}

void SendIncomplete(httplib::Response& res, int64_t persisted) {
  res.status = 308;
  if (persisted > 0) res.set_header("Range", "bytes=0-" + std::to_string(persisted - 1));
  res.set_content("", "text/plain; charset=utf-8");
}

void CutConnection(httplib::Response& res) {
  res.set_header("X-Fake-Fault", "cut_upload");
  res.status = 200;
  res.body.clear();
  res.set_content_provider(1, "text/plain", [](size_t, size_t, httplib::DataSink&) { return false; });
}

}  // namespace metl::gfake
