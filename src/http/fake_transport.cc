#include "http/fake_transport.h"

namespace metl::http {

void FakeTransport::Push(Result<HttpResponse> r) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(r));
}

void FakeTransport::PushJson(long status, std::string body, std::optional<double> retry_after) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = std::move(body);
  r.retry_after_s = retry_after;
  Push(std::move(r));
}

Result<HttpResponse> FakeTransport::Post(const std::string& url, const std::string& form_body) {
  Request req{url, form_body};
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(req);
    if (!queue_.empty()) {
      auto r = std::move(queue_.front());
      queue_.pop_front();
      return r;
    }
    handler = handler_;
  }
  if (handler) return handler(req);
  HttpResponse r;
  r.status = 404;
  r.content_type = "text/html";
  r.body = "<html>not found</html>";
  return r;
}

std::vector<FakeTransport::Request> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<std::pair<std::string, std::string>> ParseForm(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;
  auto decode = [](std::string_view s) {
    std::string o;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        o += ' ';
      } else if (s[i] == '%' && i + 2 < s.size()) {
        o += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        o += s[i];
      }
    }
    return o;
  };
  size_t pos = 0;
  while (pos <= body.size() && !body.empty()) {
    size_t amp = body.find('&', pos);
    std::string_view pair = std::string_view(body).substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    size_t eq = pair.find('=');
    out.emplace_back(decode(pair.substr(0, eq)), eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1)));
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return out;
}

}  // namespace metl::http
