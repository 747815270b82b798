// The Google fake's HTTP server: cpp-httplib on 127.0.0.1 with the token endpoint, GCS, and any
// further API module (BigQuery) registered on the same server and FakeContext. Used by the
// `google-fake` binary and, in-process, by unit tests.
#pragma once

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "core/error.h"
#include "gfake/fake_context.h"

namespace httplib {
class Server;
}

namespace metl::gfake {

using RouteModule = std::function<void(httplib::Server&, FakeContext&)>;

class FakeServer {
 public:
  // Token endpoint and GCS always; `modules` add more APIs.
  explicit FakeServer(FakeOptions options, std::vector<RouteModule> modules = {});
  ~FakeServer();
  FakeContext& context() { return *ctx_; }
  // Binds 127.0.0.1:port (0 = a free one) and sets the context's base URL; returns the port.
  Result<int> Bind(int port = 0);
  // Serves until Stop() (blocking), or on a background thread.
  bool Run();
  void Start();
  void Stop();
  std::string base_url() const { return ctx_->base_url(); }

 private:
  std::unique_ptr<FakeContext> ctx_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace metl::gfake
