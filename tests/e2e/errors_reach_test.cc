// A wrong or unreachable Matomo URL (issue 17, "Errors that must say what to do"): a refused
// connection and https:// on a plain-HTTP port fail within seconds (not after a minute of retries)
// with a hint about `url`, exit 2; a web page that is not Matomo's API (a website, a 404 page) is
// summarised by content type and first words, never quoted as HTML, and "(HTTP 404)" appears once.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "harness.h"

namespace metl::e2e {
namespace {

// A loopback port nothing listens on (bound, read, released).
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// A web server that is not Matomo: a website at /site/ (HTML for any request, as a CMS answers
// index.php) and an nginx-like HTML 404 page elsewhere.
class WebsiteServer {
 public:
  WebsiteServer() {
    auto page = [](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<!DOCTYPE html>\n<html><head><title>Acme shoes</title><script>var _paq = window._paq || [];"
          "_paq.push(['trackPageView']);</script></head>\n<body><h1>Welcome to Acme</h1><p>Shoes for everyone</p>"
          "</body></html>\n",
          "text/html; charset=UTF-8");
    };
    server_.Get("/site/index.php", page);
    server_.Post("/site/index.php", page);
    server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1>"
          "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
          "text/html");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~WebsiteServer() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

struct Timed {
  ProcessResult result;
  double seconds = 0;
};

// The user's command as typed: default retry settings (8 retries, 0.5 s doubling: ~65 s in all).
Timed RunTimed(const std::string& command, const std::string& url, const std::string& cwd) {
  auto start = std::chrono::steady_clock::now();
  Timed t;
  t.result =
      RunEtl({command, "--url", url, "--now", "2026-11-27 08:00:00"}, {{"MATOMO_TOKEN_AUTH", "a-token"}}, cwd, 150);
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return t;
}

TEST(UnreachableE2E, RefusedConnectionFailsFastWithAUrlHint) {
  TempDir cwd;
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/";
  for (const char* command : {"check", "extract"}) {
    SCOPED_TRACE(command);
    Timed t = RunTimed(command, url, cwd.str());
    EXPECT_LT(t.seconds, 10) << "retried a refused connection for a long time";
    EXPECT_EQ(t.result.exit_code, 2) << t.result.err;
    EXPECT_NE(t.result.err.find("cannot reach Matomo at " + url), std::string::npos) << t.result.err;
    EXPECT_NE(t.result.err.find("check `url`"), std::string::npos) << t.result.err;
  }
}

TEST(UnreachableE2E, HttpsOnAPlainHttpPortFailsFastWithAUrlHint) {
  SimServer sim({"--sites", "1", "--visits-per-day", "5", "--now", "2026-11-27 08:00:00"});
  TempDir cwd;
  std::string url = sim.url();
  url.replace(0, 4, "https");
  Timed t = RunTimed("check", url, cwd.str());
  EXPECT_LT(t.seconds, 10);
  EXPECT_EQ(t.result.exit_code, 2) << t.result.err;
  EXPECT_NE(t.result.err.find("does not speak TLS"), std::string::npos) << t.result.err;
  EXPECT_NE(t.result.err.find("use http://"), std::string::npos) << t.result.err;
}

TEST(UnreachableE2E, AWebsiteIsSummarisedNotDumpedAndFailsFast) {
  WebsiteServer web;
  TempDir cwd;
  Timed t = RunTimed("check", web.url("/site/"), cwd.str());
  EXPECT_LT(t.seconds, 10);
  EXPECT_EQ(t.result.exit_code, 2) << t.result.err;
  EXPECT_NE(t.result.err.find("does not answer like the Matomo API"), std::string::npos) << t.result.err;
  EXPECT_NE(t.result.err.find("text/html: \"Acme shoes Welcome to Acme Shoes for everyone\""), std::string::npos)
      << t.result.err;
  EXPECT_EQ(t.result.err.find('<'), std::string::npos) << "HTML in the message: " << t.result.err;
  EXPECT_EQ(t.result.err.find("_paq"), std::string::npos) << "script text in the message: " << t.result.err;
}

TEST(UnreachableE2E, A404PageIsSummarisedAndItsStatusSaidOnce) {
  WebsiteServer web;
  TempDir cwd;
  Timed t = RunTimed("check", web.url("/analytics/"), cwd.str());
  EXPECT_EQ(t.result.exit_code, 2) << t.result.err;
  EXPECT_NE(t.result.err.find("no Matomo API at this URL"), std::string::npos) << t.result.err;
  EXPECT_NE(t.result.err.find("text/html: \"404 Not Found 404 Not Found nginx\""), std::string::npos) << t.result.err;
  size_t first = t.result.err.find("HTTP 404");
  ASSERT_NE(first, std::string::npos) << t.result.err;
  EXPECT_EQ(t.result.err.find("HTTP 404", first + 1), std::string::npos) << "said twice: " << t.result.err;
  EXPECT_EQ(t.result.err.find('<'), std::string::npos) << t.result.err;
}

}  // namespace
}  // namespace metl::e2e
