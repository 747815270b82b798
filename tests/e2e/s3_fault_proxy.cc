#include "s3_fault_proxy.h"

#include <cctype>
#include <chrono>
#include <memory>
#include <optional>

namespace metl::e2e {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ErrorXml(const std::string& code) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
         "</Code><Message>injected by the test proxy</Message></Error>";
}

}  // namespace

S3FaultProxy::S3FaultProxy(int upstream_port) : upstream_port_(upstream_port) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server_.Get(".*", handler);
  server_.Put(".*", handler);
  server_.Post(".*", handler);
  server_.Delete(".*", handler);
  server_.Options(".*", handler);
  port_ = server_.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // listen_after_bind() starts accepting at once: the socket is bound and listening already, so a
  // client connecting before the thread runs waits in the backlog.
}

S3FaultProxy::~S3FaultProxy() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

void S3FaultProxy::AddFault(Fault f) {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.push_back(std::move(f));
}

void S3FaultProxy::BeforeFirstRead(const std::string& contains, std::function<void()> action) {
  std::lock_guard<std::mutex> lock(mu_);
  before_read_.emplace_back(contains, std::move(action));
}

void S3FaultProxy::Handle(const httplib::Request& req, httplib::Response& res) {
  ++requests_;
  std::function<void()> action;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [contains, act] : before_read_) {
      if (act && (req.method == "GET" || req.method == "HEAD") && req.target.find(contains) != std::string::npos) {
        action = std::move(act);
        act = nullptr;
        break;
      }
    }
  }
  if (action) action();
  std::optional<Fault> fault;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& f : faults_) {
      if (f.times > 0 && (f.method.empty() || f.method == req.method) &&
          req.target.find(f.contains) != std::string::npos) {
        --f.times;
        fault = f;
        break;
      }
    }
  }
  if (fault && fault->status > 0) {
    ++fired_;
    res.status = fault->status;
    if (fault->status == 429 || fault->status == 503) res.set_header("Retry-After", "0");
    res.set_content(fault->code.empty() ? "" : ErrorXml(fault->code), "application/xml");
    return;
  }
  // Forward. httplib answers Range requests itself from a whole body, so Range is not sent upstream.
  httplib::Client upstream("127.0.0.1", upstream_port_);
  upstream.set_read_timeout(30, 0);
  httplib::Request out;
  out.method = req.method;
  out.path = req.target;
  for (const auto& [name, value] : req.headers) {
    std::string n = Lower(name);
    if (n == "content-length" || n == "transfer-encoding" || n == "connection" || n == "range" ||
        n == "accept-encoding" || n == "remote_addr" || n == "remote_port" || n == "local_addr" || n == "local_port") {
      continue;
    }
    out.headers.emplace(name, value);
  }
  out.body = req.body;
  auto r = upstream.send(out);
  if (!r) {
    res.status = 502;
    return;
  }
  res.status = r->status;
  for (const auto& [name, value] : r->headers) {
    std::string n = Lower(name);
    if (n == "etag" || n == "last-modified" || n.starts_with("x-amz-") || n == "accept-ranges") {
      res.set_header(name, value);
    }
  }
  std::string type = r->get_header_value("Content-Type");
  if (req.method == "HEAD") {
    // No body: the object's size travels in Content-Length, which httplib leaves alone when set.
    res.set_header("Content-Length", r->get_header_value("Content-Length"));
    return;
  }
  if (fault && fault->status == 0 && req.method == "GET" && r->status == 200) {
    ++fired_;
    auto body = std::make_shared<std::string>(r->body);
    res.set_content_provider(body->size(), type, [body](size_t offset, size_t, httplib::DataSink& sink) {
      if (offset > 0) return false;  // the second half never comes: the connection is closed
      sink.write(body->data(), body->size() / 2);
      return true;
    });
    return;
  }
  if (fault && fault->status == -1 && req.method == "GET" && !r->body.empty()) {
    ++fired_;
    std::string corrupt = r->body;
    corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x5a);
    res.set_content(corrupt, type);
    return;
  }
  res.set_content(r->body, type);
}

}  // namespace metl::e2e
