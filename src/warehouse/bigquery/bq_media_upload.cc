// BqClient::InsertJobWithMedia: a load job's file through BigQuery's resumable media upload
// (http/resumable_upload.h, the protocol Cloud Storage uses too): POST the Job to
// /upload/bigquery/v2/projects/P/jobs?uploadType=resumable, PUT the file in chunks of
// target().upload_chunk_bytes (a multiple of 256 KiB; only the file's tail is shorter), resume after a
// cut or a 5xx from what BigQuery confirms, and read the Job in the last chunk's answer.
//
// Resumable always, never multipart: one code path for every size (a multipart request must carry the
// whole file: a 100,000-visit day's raw-visits file is ~700 MB), a cut costs at most one chunk, and
// the price is one extra request per file, next to a load job polled for seconds.
//
// Exactly once: the Job carries the caller's deterministic job id. A session that expired (404/410)
// is started over under the same id; if an earlier session had completed (its answer lost), BigQuery
// answers the new one with 409 duplicate, which means the job exists: success.
#include <cstdio>
#include <memory>

#include "core/log.h"
#include "http/resumable_upload.h"
#include "warehouse/bigquery/bq_client.h"

namespace metl::warehouse::bq_engine {
namespace {

constexpr int kMaxSessions = 3;  // a session that expired mid-file is started over, twice at most

bool Duplicate(const Error& e) {
  return e.context().http_status == 409;
}

}  // namespace

Result<http::HttpResult> BqClient::Exchange(const std::function<http::HttpRequest()>& make) {
  for (int attempt = 0;; ++attempt) {
    METL_ASSIGN_OR_RETURN(std::string token, tokens_->Token());
    http::HttpRequest req = make();
    req.headers.emplace_back("Authorization", "Bearer " + token);
    METL_ASSIGN_OR_RETURN(http::HttpResult r, http_->Send(req));
    if (r.response.status == 401 && attempt == 0) {
      LogInfo("BigQuery answered 401: fetching a new access token", {{"call", "media upload"}});
      tokens_->Invalidate();
      continue;
    }
    return r;
  }
}

Status BqClient::InsertJobWithMedia(const std::string& job_json, const std::filesystem::path& file) {
  const std::string what = "media upload of a load job (" + file.filename().string() + ")";
  http::ResumableUpload::Hooks hooks;
  hooks.send = [this](const std::function<http::HttpRequest()>& make) { return Exchange(make); };
  hooks.error_of = [what](const http::HttpResult& r) { return HttpError(r.response.status, r.response.body, what); };
  hooks.on_retry = [what](const Error& e, int n, double delay) {
    LogInfo("BigQuery: retrying",
            {{"call", what}, {"retry", std::to_string(n)}, {"delay_s", std::to_string(delay)}, {"error", e.message()}});
  };
  const std::string url = target_.endpoint + "/upload" + ApiPath("jobs") + "?uploadType=resumable";
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return Error(ErrorKind::kInternal, "cannot read the load file " + file.string() + ": " + ec.message());
  auto init = [&] {
    return http::HttpRequest{.method = "POST",
                             .url = url,
                             .headers = {{"Content-Type", "application/json; charset=UTF-8"},
                                         {"X-Upload-Content-Type", "application/octet-stream"},
                                         {"X-Upload-Content-Length", std::to_string(size)}},
                             .body = job_json};
  };
  last_upload_requests_ = 0;
  for (int session = 1;; ++session) {
    http::ResumableUpload upload(hooks, retry_, what, target_.upload_chunk_bytes);
    auto uri = upload.Start(init, target_.endpoint);
    ++last_upload_requests_;
    if (!uri.ok()) {
      if (Duplicate(uri.error())) return OkStatus();  // BigQuery checked the id first: the job exists
      return std::move(uri).error();
    }
    std::shared_ptr<FILE> f(std::fopen(file.c_str(), "rb"), [](FILE* p) {
      if (p) std::fclose(p);
    });
    if (!f) return Error(ErrorKind::kInternal, "cannot read the load file " + file.string());
    auto job = upload.Send(
        *uri, [&f](char* buf, size_t n) { return std::fread(buf, 1, n, f.get()); }, "", false);
    last_upload_requests_ += upload.requests();
    if (job.ok()) {
      LogDebug("BigQuery: file uploaded with its load job", {{"file", file.filename().string()},
                                                             {"bytes", std::to_string(size)},
                                                             {"requests", std::to_string(last_upload_requests_)}});
      return OkStatus();
    }
    if (Duplicate(job.error())) return OkStatus();  // completed by an earlier session or attempt
    const auto status = job.error().context().http_status;
    if ((status == 404 || status == 410) && session < kMaxSessions) {
      LogWarn("BigQuery: the upload session expired; starting the file over under the same job id",
              {{"file", file.filename().string()}});
      continue;
    }
    return std::move(job).error();
  }
}

}  // namespace metl::warehouse::bq_engine
