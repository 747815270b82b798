#include "sim/server.h"

#include <httplib.h>
#include <zlib.h>

#include <chrono>
#include <thread>

#include "sim/request.h"

namespace metl::sim {
namespace {

constexpr size_t kBatch = 256 * 1024;

bool AcceptsGzip(const std::string& accept_encoding) {
  return accept_encoding.find("gzip") != std::string::npos;
}

// Walks the pieces of a body in order, copying up to `max` bytes per call.
class PieceCursor {
 public:
  explicit PieceCursor(std::shared_ptr<PiecewiseBody> body, std::string single = {})
      : body_(std::move(body)), single_(std::move(single)) {
    if (!body_) {
      body_ = std::make_shared<PiecewiseBody>();
      body_->Add(single_);
    }
  }
  size_t size() const { return body_->size; }
  bool Next(size_t max, std::string& out) {
    out.clear();
    while (piece_ < body_->pieces.size() && out.size() < max) {
      std::string_view p = body_->pieces[piece_];
      size_t take = std::min(p.size() - in_piece_, max - out.size());
      out.append(p.substr(in_piece_, take));
      in_piece_ += take;
      if (in_piece_ == p.size()) {
        ++piece_;
        in_piece_ = 0;
      }
    }
    return !out.empty();
  }

 private:
  std::shared_ptr<PiecewiseBody> body_;
  std::string single_;
  size_t piece_ = 0;
  size_t in_piece_ = 0;
};

// Streams a body through zlib (gzip wrapper, level 1: compression must not be the bottleneck).
struct GzipStream {
  z_stream zs{};
  bool ok = false;
  explicit GzipStream(int level) { ok = deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK; }
  ~GzipStream() {
    if (ok) deflateEnd(&zs);
  }
  bool Compress(const std::string& in, bool finish, std::string& out) {
    out.clear();
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    char buf[64 * 1024];
    int rc;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof buf;
      rc = deflate(&zs, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) return false;
      out.append(buf, sizeof buf - zs.avail_out);
    } while (zs.avail_out == 0 || (finish && rc != Z_STREAM_END));
    return true;
  }
};

void SendBody(const std::string& accept_encoding, httplib::Response& res, ApiResponse& api, int gzip_level) {
  size_t total = api.size();
  size_t limit = api.cut_body ? total / 2 : total;  // a cut body stops halfway and drops the connection
  auto cursor = std::make_shared<PieceCursor>(api.stream, api.stream ? std::string() : std::move(api.body));
  if (gzip_level > 0 && AcceptsGzip(accept_encoding) && total >= 256) {
    // Compress ourselves: cpp-httplib would otherwise pick brotli at its slowest quality.
    res.set_header("Content-Encoding", "gzip");
    auto gz = std::make_shared<GzipStream>(gzip_level);
    auto sent = std::make_shared<size_t>(0);
    res.set_chunked_content_provider(
        api.content_type, [cursor, gz, sent, limit, total](size_t, httplib::DataSink& sink) {
          std::string in, out;
          size_t want = std::min(kBatch, limit - *sent);
          bool more = want > 0 && cursor->Next(want, in);
          *sent += in.size();
          bool finish = *sent >= total;
          if (!gz->ok || !gz->Compress(in, finish, out)) return false;
          if (!out.empty() && !sink.write(out.data(), out.size())) return false;
          if (finish) {
            sink.done();
            return true;
          }
          return more && *sent < limit;  // false at the cut point: the connection is dropped
        });
    return;
  }
  res.set_content_provider(total, api.content_type, [cursor, limit](size_t offset, size_t, httplib::DataSink& sink) {
    if (offset >= limit) return false;
    std::string chunk;
    if (!cursor->Next(std::min(kBatch, limit - offset), chunk)) return false;
    return sink.write(chunk.data(), chunk.size());
  });
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Create(std::shared_ptr<const Dataset> dataset,
                                                       std::shared_ptr<const Clock> clock, ServerOptions options) {
  std::unique_ptr<HttpServer> s(new HttpServer());
  s->options_ = std::move(options);
  if (!s->options_.request_log.empty()) {
    METL_ASSIGN_OR_RETURN(s->log_, RequestLog::Open(s->options_.request_log));
  }
  s->handler_ = std::make_unique<ApiHandler>(std::move(dataset), std::move(clock), s->options_.handler);
  s->server_ = std::make_unique<httplib::Server>();
  auto& svr = *s->server_;
  int threads = std::max(1, s->options_.threads);
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  svr.set_keep_alive_max_count(100000);
  svr.set_keep_alive_timeout(30);
  svr.set_read_timeout(30);
  svr.set_write_timeout(60);
  svr.set_payload_max_length(16 * 1024 * 1024);

  HttpServer* self = s.get();
  auto handle = [self](const httplib::Request& req, httplib::Response& res) {
    auto started = std::chrono::steady_clock::now();
    // cpp-httplib compresses on its own when a client accepts br/gzip (brotli at its slowest
    // quality); SendBody compresses instead, so hide the header from the library.
    std::string accept = req.get_header_value("Accept-Encoding");
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    std::string body;
    std::string ctype = req.get_header_value("Content-Type");
    if (req.method == "POST" && (ctype.empty() || ctype.find("application/x-www-form-urlencoded") == 0)) {
      body = req.body;
    }
    ApiRequest api_req = ParseApiRequest(req.method, req.target, body);
    double now = std::chrono::duration<double>(started.time_since_epoch()).count();
    ApiResponse api = self->handler_->Handle(api_req, now);
    res.status = api.status;
    if (api.retry_after > 0) res.set_header("Retry-After", std::to_string(api.retry_after));
    size_t bytes = api.cut_body ? api.size() / 2 : api.size();
    if (self->log_) {
      RequestLogEntry entry;
      entry.request = &api_req;
      entry.path = req.path;
      entry.status = api.status;
      entry.bytes = bytes;
      entry.fault = api.fault == FaultKind::kNone ? "" : FaultKindName(api.fault);
      entry.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      self->log_->Write(entry);
    }
    SendBody(accept, res, api, self->options_.gzip_level);
  };
  for (const char* path : {"/", "/index.php"}) {
    svr.Get(path, handle);
    svr.Post(path, handle);
  }
  return s;
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind() {
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port("127.0.0.1");
  } else if (!server_->bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) {
    return Error(ErrorKind::kConfig, "cannot listen on 127.0.0.1:" + std::to_string(options_.port),
                 {.hint = "pick another --port, or --port 0 for any free port"});
  }
  return port;
}

bool HttpServer::Run() {
  return server_->listen_after_bind();
}

void HttpServer::Stop() {
  server_->stop();
}

}  // namespace metl::sim
