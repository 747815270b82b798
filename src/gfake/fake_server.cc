#include "gfake/fake_server.h"

#include <httplib.h>

#include <chrono>

#include "gfake/routes.h"

namespace metl::gfake {

FakeServer::FakeServer(FakeOptions options, std::vector<RouteModule> modules)
    : ctx_(std::make_unique<FakeContext>(std::move(options))), server_(std::make_unique<httplib::Server>()) {
  auto& svr = *server_;
  // cpp-httplib holds a worker per open keep-alive connection: enough workers for every client
  // connection a test opens (token endpoint + concurrent uploads), and idle ones released soon.
  svr.new_task_queue = [] { return new httplib::ThreadPool(64); };
  svr.set_keep_alive_timeout(5);
  svr.set_read_timeout(30);
  svr.set_payload_max_length(512 * 1024 * 1024);
  FakeContext* ctx = ctx_.get();
  // Logged before the answer is written, so that a client that got its answer finds its request
  // in the log (a logger would run after the write, racing with the test reading the log).
  svr.set_post_routing_handler([ctx](const httplib::Request& req, httplib::Response& res) {
    ctx->LogRequest(req, res.status, res.get_header_value("X-Fake-Fault"));
  });
  RegisterTokenRoutes(svr, *ctx);
  RegisterGcsRoutes(svr, *ctx);
  RegisterBigQueryRoutes(svr, *ctx);
  for (auto& m : modules) m(svr, *ctx);
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty() && res.status == 404) {
      FakeContext::SendError(res, 404, "notFound", "Not Found");
    }
  });
}

FakeServer::~FakeServer() {
  Stop();
}

Result<int> FakeServer::Bind(int port) {
  if (port == 0) {
    port = server_->bind_to_any_port("127.0.0.1");
  } else if (!server_->bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) {
    return Error(ErrorKind::kConfig, "cannot listen on 127.0.0.1:" + std::to_string(port))
        .WithHint("pick another --port, or --port 0 for any free port");
  }
  ctx_->set_base_url("http://127.0.0.1:" + std::to_string(port));
  return port;
}

bool FakeServer::Run() {
  return server_->listen_after_bind();
}

void FakeServer::Start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void FakeServer::Stop() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace metl::gfake
