// CurlHttpClient against a real cpp-httplib server on 127.0.0.1.
#include "http/curl_http_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace metl::http {
namespace {

// A cpp-httplib server on a free loopback port, stopped when destroyed.
class LocalServer {
 public:
  LocalServer() { port_ = server.bind_to_any_port("127.0.0.1"); }
  void Start() {
    thread_ = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    server.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  httplib::Server server;

 private:
  int port_ = 0;
  std::thread thread_;
};

CurlOptions Fast() {
  CurlOptions o;
  o.connect_timeout_s = 5;
  o.timeout_s = 10;
  return o;
}

TEST(CurlHttpClient, AnyMethodHeadersAndLowerCasedResponseHeaders) {
  LocalServer s;
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Echo-Method", req.method);
    res.set_header("X-Echo-Custom", req.get_header_value("X-Custom"));
    res.set_header("X-Echo-Length", req.get_header_value("Content-Length"));
    res.set_content(req.body, "text/plain");
  };
  s.server.Put("/echo", echo);
  s.server.Patch("/echo", echo);
  s.server.Delete("/echo", echo);
  s.server.Post("/echo", echo);
  s.Start();
  CurlHttpClient client(Fast());
  for (std::string method : {"PUT", "PATCH", "DELETE", "POST"}) {
    HttpRequest r;
    r.method = method;
    r.url = s.Url("/echo");
    r.headers = {{"X-Custom", "abc"}, {"Content-Type", "application/json"}};
    if (method != "DELETE") r.body = "{\"k\":1}";
    auto res = client.Send(r);
    ASSERT_TRUE(res.ok()) << res.error().ToString();
    EXPECT_EQ(res->response.status, 200);
    EXPECT_EQ(res->response.body, r.body) << method;
    ASSERT_NE(FindHeader(res->headers, "x-echo-method"), nullptr);
    EXPECT_EQ(*FindHeader(res->headers, "x-echo-method"), method);
    EXPECT_EQ(*FindHeader(res->headers, "x-echo-custom"), "abc");
    if (method != "DELETE") {
      EXPECT_EQ(*FindHeader(res->headers, "x-echo-length"), "7");
    }
    EXPECT_EQ(res->response.content_type, "text/plain");
  }
  // An empty PUT still says Content-Length: 0 (GCS's resumable status query needs it).
  HttpRequest empty;
  empty.method = "PUT";
  empty.url = s.Url("/echo");
  auto res = client.Send(empty);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(*FindHeader(res->headers, "x-echo-length"), "0");
}

TEST(CurlHttpClient, StreamsRequestBodiesWithLengthOrChunked) {
  LocalServer s;
  s.server.Put("/up", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(std::to_string(req.body.size()) + " " + req.get_header_value("Transfer-Encoding") + " " +
                        req.get_header_value("Content-Length") + " " +
                        std::to_string(req.body == std::string(300000, 'x')),
                    "text/plain");
  });
  s.Start();
  CurlHttpClient client(Fast());
  for (int64_t size : {int64_t{300000}, int64_t{-1}}) {
    size_t left = 300000;
    HttpRequest r;
    r.method = "PUT";
    r.url = s.Url("/up");
    r.body_size = size;
    r.body_source = [&](char* buf, size_t n) {
      size_t take = std::min<size_t>({n, left, 1000});
      std::memset(buf, 'x', take);
      left -= take;
      return take;
    };
    auto res = client.Send(r);
    ASSERT_TRUE(res.ok()) << res.error().ToString();
    if (size >= 0) {
      EXPECT_EQ(res->response.body, "300000  300000 1");
    } else {
      EXPECT_EQ(res->response.body, "300000 chunked  1");
    }
  }
}

TEST(CurlHttpClient, StreamsResponseBodyOnlyFor2xx) {
  LocalServer s;
  s.server.Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1 << 20, 'b'), "application/octet-stream");
  });
  s.server.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("{\"error\":\"nope\"}", "application/json");
  });
  s.Start();
  CurlHttpClient client(Fast());
  size_t got = 0;
  HttpRequest r;
  r.url = s.Url("/big");
  r.on_body = [&](std::string_view chunk) {
    got += chunk.size();
    return true;
  };
  auto res = client.Send(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(got, size_t{1} << 20);
  EXPECT_TRUE(res->response.body.empty());

  got = 0;
  r.url = s.Url("/missing");
  res = client.Send(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->response.status, 404);
  EXPECT_EQ(got, 0u);
  EXPECT_EQ(res->response.body, "{\"error\":\"nope\"}");  // kept for the error message

  // A receiver that stops the transfer gets a transient error.
  r.url = s.Url("/big");
  r.on_body = [](std::string_view) { return false; };
  res = client.Send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().transient());
}

TEST(CurlHttpClient, RetryAfterSecondsAndDate) {
  LocalServer s;
  s.server.Get("/busy", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", req.has_param("date") ? "Wed, 21 Oct 2015 07:28:00 GMT" : "7");
  });
  s.Start();
  CurlHttpClient client(Fast());
  HttpRequest r;
  r.url = s.Url("/busy");
  auto res = client.Send(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->response.status, 429);
  ASSERT_TRUE(res->response.retry_after_s.has_value());
  EXPECT_DOUBLE_EQ(*res->response.retry_after_s, 7.0);
  r.url = s.Url("/busy?date=1");
  res = client.Send(r);
  ASSERT_TRUE(res.ok());
  ASSERT_TRUE(res->response.retry_after_s.has_value());
  EXPECT_DOUBLE_EQ(*res->response.retry_after_s, 0.0);  // a date in the past: retry now
}

TEST(CurlHttpClient, FailuresAreTransientAndNeverQuoteHeadersOrBodies) {
  int port = 0;
  {
    LocalServer probe;  // a port that was free a moment ago and now refuses connections
    probe.Start();      // (stopping a server that listened closes its socket)
    port = std::stoi(probe.Url("").substr(std::string("http://127.0.0.1:").size()));
  }
  CurlHttpClient client(Fast(), "Google Cloud Storage");
  HttpRequest r;
  r.method = "POST";
  r.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  r.headers = {{"Authorization", "Bearer secret-token-value-123"}};
  r.body = "body-secret-456";
  auto res = client.Send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().transient());
  std::string text = res.error().ToString();
  EXPECT_NE(text.find("Google Cloud Storage"), std::string::npos) << text;
  EXPECT_EQ(text.find("secret-token-value-123"), std::string::npos) << text;
  EXPECT_EQ(text.find("body-secret-456"), std::string::npos) << text;

  r.url = "notaprotocol://x";
  res = client.Send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind(), ErrorKind::kConfig);
}

TEST(CurlHttpClient, TimesOut) {
  LocalServer s;
  s.server.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    res.set_content("late", "text/plain");
  });
  s.Start();
  CurlOptions o = Fast();
  o.timeout_s = 1;
  CurlHttpClient client(o);
  HttpRequest r;
  r.url = s.Url("/slow");
  auto res = client.Send(r);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().transient());
  EXPECT_TRUE(res.error().message().starts_with("request timed out")) << res.error().message();
}

}  // namespace
}  // namespace metl::http
