// A scripted Transport for unit tests: answers from a queue (or a handler function) and records
// every request it got.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "http/transport.h"

namespace metl::http {

class FakeTransport final : public Transport {
 public:
  struct Request {
    std::string url;
    std::string body;
  };
  using Handler = std::function<Result<HttpResponse>(const Request&)>;

  // Queued answers are used first, then the handler (if any), else a 404.
  void Push(Result<HttpResponse> r);
  void PushJson(long status, std::string body, std::optional<double> retry_after = std::nullopt);
  void set_handler(Handler h) { handler_ = std::move(h); }

  Result<HttpResponse> Post(const std::string& url, const std::string& form_body) override;
  std::vector<Request> requests() const;

 private:
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> queue_;
  Handler handler_;
  std::vector<Request> requests_;
};

// Parses a form body ("a=1&b=x%20y") into a map; for assertions.
std::vector<std::pair<std::string, std::string>> ParseForm(const std::string& body);

}  // namespace metl::http
