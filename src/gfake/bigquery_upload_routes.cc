// The BigQuery fake's media upload (bigquery_routes.h): a load job's data sent with the job, held to
// Google's documented protocol (cloud.google.com/bigquery/docs/reference/api-uploads, the same as
// Cloud Storage's, reference/BIGQUERY-GCS.md §2.2):
//   multipart  the Job and the data in one request, at most `max_multipart_bytes` (else 413);
//   resumable  POST the Job (checked, and 409 when its id exists) -> 200 + a session URI in
//              Location; PUT chunks with Content-Range, every chunk but the last a multiple of
//              256 KiB (else 400), never past what was persisted (400) nor past the total (400);
//              308 + Range: bytes=0-N for an incomplete upload (no Range when nothing is stored);
//              a status query (`bytes */TOTAL` or `bytes */*`, no body) answers the same way, or
//              with the final answer once complete; the last chunk inserts the job and answers with
//              the Job resource (or the insert's error, e.g. 409 duplicate); DELETE cancels (499).
//   faults     a cut (`--cut-upload`, or a `cut_upload` fault) stores half a chunk (whole 256 KiB
//              quanta) and drops the connection without an answer; with `after_storing` the whole
//              chunk is stored (the job inserted if it was the last) and only the answer is lost.
#include <httplib.h>
#include <simdjson.h>

#include "gfake/bigquery_fake.h"
#include "gfake/bigquery_fake_state.h"
#include "gfake/bigquery_routes.h"
#include "gfake/resumable_session.h"

namespace metl::gfake {

using namespace bq_http;  // NOLINT(google-build-using-namespace): the handlers' vocabulary

// Media upload: multipart (Job JSON + data in one request) or resumable (Job JSON first, then the
// data in chunks of multiples of 256 KiB to the session URI).
void BqRoutes::UploadPost(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "upload")) return;
  const std::string type = req.get_param_value("uploadType");
  if (type == "multipart") {
    const int64_t limit = fake_->options.max_multipart_bytes;
    if (limit > 0 && static_cast<int64_t>(req.body.size()) > limit) {
      return SendError(res, 413, "uploadTooLarge",
                       "The multipart request is " + std::to_string(req.body.size()) + " bytes, over the " +
                           std::to_string(limit) + " a multipart upload may carry: use uploadType=resumable");
    }
    {
      std::lock_guard<std::mutex> lock(fake_->mu);
      ++fake_->stats.multipart_uploads;
    }
    std::string ct = req.get_header_value("Content-Type");
    size_t b = ct.find("boundary=");
    if (ct.rfind("multipart/related", 0) != 0 || b == std::string::npos) {
      return SendError(res, 400, "invalid", "uploadType=multipart needs Content-Type multipart/related; boundary=...");
    }
    std::string boundary = ct.substr(b + 9);
    if (!boundary.empty() && boundary.front() == '"') boundary = boundary.substr(1, boundary.size() - 2);
    std::vector<std::string> parts;
    const std::string delim = "--" + boundary;
    size_t pos = req.body.find(delim);
    while (pos != std::string::npos) {
      pos += delim.size();
      if (req.body.compare(pos, 2, "--") == 0) break;
      size_t headers_end = req.body.find("\r\n\r\n", pos);
      if (headers_end == std::string::npos) break;
      size_t next = req.body.find("\r\n" + delim, headers_end + 4);
      if (next == std::string::npos) break;
      parts.push_back(req.body.substr(headers_end + 4, next - headers_end - 4));
      pos = next + 2;
    }
    if (parts.size() != 2)
      return SendError(res, 400, "invalid", "a multipart upload needs two parts: the job and the data");
    return InsertJob(req, res, parts[0], std::move(parts[1]));
  }
  if (type == "resumable") {
    if (!CheckBody("Job", req.body, res)) return;
    simdjson::dom::parser parser;
    simdjson::dom::element job, ref;
    std::string job_id;
    if (parser.parse(req.body).get(job) == simdjson::SUCCESS && job["jobReference"].get(ref) == simdjson::SUCCESS) {
      job_id = Str(ref, "jobId");
    }
    std::optional<int64_t> total;
    if (std::string len = req.get_header_value("X-Upload-Content-Length"); !len.empty()) {
      char* end = nullptr;
      long long n = std::strtoll(len.c_str(), &end, 10);
      if (*end != '\0' || n < 0) return SendError(res, 400, "invalid", "Invalid X-Upload-Content-Length: " + len);
      total = n;
    }
    std::lock_guard<std::mutex> lock(fake_->mu);
    // The initial error checking BigQuery does before taking data: an id in use is refused now.
    if (!job_id.empty() && fake_->jobs.count(std::string(req.matches[1]) + ":" + job_id)) {
      return SendError(res, 409, "duplicate", "Already Exists: Job " + std::string(req.matches[1]) + ":" + job_id);
    }
    std::string id = "u" + std::to_string(fake_->next_upload++);
    BqUpload up;
    up.project = req.matches[1];
    up.job_body = req.body;
    up.total = total.value_or(-1);
    fake_->uploads[id] = std::move(up);
    ++fake_->stats.upload_sessions;
    res.status = 200;
    res.set_header("Location", "http://" + req.get_header_value("Host") + "/upload/bigquery/v2/projects/" +
                                   std::string(req.matches[1]) + "/jobs?uploadType=resumable&upload_id=" + id);
    return;
  }
  SendError(res, 400, "invalid", "uploadType must be multipart or resumable");
}

void BqRoutes::UploadPut(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "upload.chunk")) return;
  std::optional<ContentRange> range = RequestRange(req);
  if (!range) return SendError(res, 400, "invalid", "Failed to parse Content-Range header.");
  std::unique_lock<std::mutex> lock(fake_->mu);
  const std::string id = req.get_param_value("upload_id");
  auto it = fake_->uploads.find(id);
  if (it == fake_->uploads.end()) return SendError(res, 404, "notFound", "No such upload session.");
  BqUpload& up = it->second;
  if (up.finished) {  // complete: every request to the session gets the final answer again
    if (!up.job_key.empty() && fake_->jobs.count(up.job_key)) return SendJson(res, JobJson(fake_->jobs.at(up.job_key)));
    res.status = up.final_status;
    res.set_content(up.final_body, "application/json; charset=UTF-8");
    return;
  }
  bool cut = false, lose_answer = false;
  if (range->query) {
    ++fake_->stats.upload_status_queries;
  } else {
    ++fake_->stats.upload_chunks;
    std::optional<BigQueryFault> fault = fake_->TakeFault(BigQueryFault::Kind::kCutUpload, "upload.chunk", "");
    cut = fault || (fake_->options.cut_chunk && fake_->options.cut_chunk());
    lose_answer = cut && fault && fault->after_storing;
  }
  ChunkOutcome outcome = AcceptChunk(*range, req.body, SessionBytes{up.data, up.total}, cut && !lose_answer);
  if (!outcome.bad.empty()) return SendError(res, 400, "invalid", outcome.bad);
  fake_->stats.upload_bytes += outcome.fresh;
  if (cut) ++fake_->stats.cut_uploads;
  if (outcome.cut) return CutConnection(res);
  const auto persisted = static_cast<int64_t>(up.data.size());
  if (up.total < 0 || persisted < up.total) {
    SendIncomplete(res, persisted);
    if (lose_answer) CutConnection(res);
    return;
  }
  // Complete: the job is inserted with the data, and the insert's answer is the upload's.
  std::string job_body = up.job_body, data = std::move(up.data), project = up.project;
  up.data.clear();
  up.finished = true;
  lock.unlock();
  InsertJob(req, res, job_body, std::move(data));
  lock.lock();
  if (auto again = fake_->uploads.find(id); again != fake_->uploads.end()) {
    again->second.final_status = res.status;
    again->second.final_body = res.body;
    simdjson::dom::parser parser;
    simdjson::dom::element job, ref;
    if (res.status == 200 && parser.parse(res.body).get(job) == simdjson::SUCCESS &&
        job["jobReference"].get(ref) == simdjson::SUCCESS) {
      again->second.job_key = project + ":" + Str(ref, "jobId");
    }
  }
  if (lose_answer) CutConnection(res);
}

void BqRoutes::UploadCancel(const httplib::Request& req, httplib::Response& res) {
  if (!Guard(req, res, "upload.chunk")) return;
  std::lock_guard<std::mutex> lock(fake_->mu);
  if (fake_->uploads.erase(req.get_param_value("upload_id")) == 0) {
    return SendError(res, 404, "notFound", "No such upload session.");
  }
  res.status = 499;  // what Google's storage-testbench answers to a cancelled session
}

}  // namespace metl::gfake
