// matomo-sim's HTTP front: cpp-httplib on 127.0.0.1 with a thread pool and keep-alive, serving
// /index.php and / (GET and POST) through ApiHandler. Large Live pages are streamed from the
// visits' JSON without copying; gzip (level 1, streamed) when the client accepts it.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "sim/api_handler.h"
#include "sim/dataset.h"
#include "sim/request_log.h"

namespace httplib {
class Server;
}

namespace metl::sim {

struct ServerOptions {
  HandlerOptions handler;
  int threads = 16;
  int port = 0;             // 0 = any free port
  std::string request_log;  // path; "" = none
  int gzip_level = 1;       // zlib level for clients accepting gzip; 0 = never compress
};

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> Create(std::shared_ptr<const Dataset> dataset,
                                                    std::shared_ptr<const Clock> clock, ServerOptions options);
  ~HttpServer();
  // Binds 127.0.0.1:port; returns the port.
  Result<int> Bind();
  // Serves until Stop(); returns false if the listener failed.
  bool Run();
  void Stop();

 private:
  HttpServer() = default;
  ServerOptions options_;
  std::unique_ptr<ApiHandler> handler_;
  std::unique_ptr<RequestLog> log_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace metl::sim
