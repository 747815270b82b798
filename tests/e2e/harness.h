// Shared helpers for end-to-end tests: run the real binaries, start matomo-sim, talk HTTP.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace metl::e2e {

std::string EtlBin();     // path of the built matomo-etl
std::string SimBin();     // path of the built matomo-sim
std::string SourceDir();  // the repository root
std::string TestData(const std::string& relative);  // SourceDir()/tests/data/<relative>

struct ProcessResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
};

using Env = std::map<std::string, std::string>;

// Runs a command to completion (argv[0] is a path), with extra environment variables set
// (a value of "\x01" unsets the variable). Output is captured. Kills it after timeout_s.
ProcessResult RunProcess(const std::vector<std::string>& argv, const Env& env = {}, const std::string& cwd = "",
                         int timeout_s = 300);
// Shorthand for RunProcess({EtlBin(), args...}).
ProcessResult RunEtl(const std::vector<std::string>& args, const Env& env = {}, const std::string& cwd = "",
                     int timeout_s = 300);

// A process running in the background; killed (SIGKILL) and reaped when destroyed.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const Env& env = {}, const std::string& cwd = "");
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The first line the process writes to stdout (without the newline); "" on timeout or EOF.
  std::string ReadFirstLine(int timeout_s = 30);
  void Signal(int sig);
  // Waits for the exit; returns the exit code (128+signal if killed), or -1 on timeout.
  int Wait(int timeout_s = 60);
  // Everything written to stderr so far (stderr goes to a file).
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stderr_path_;
  int exit_code_ = -1;
  bool reaped_ = false;
};

// matomo-sim on a free loopback port, stopped when destroyed.
class SimServer {
 public:
  // Extra flags for matomo-sim, e.g. {"--sites", "3", "--now", "2026-11-27 08:00:00"}.
  explicit SimServer(const std::vector<std::string>& args);
  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT/"
  BackgroundProcess& process() { return *process_; }
  static constexpr const char* kToken = "e2e-test-token-0123456789abcdef";

 private:
  std::unique_ptr<BackgroundProcess> process_;
  std::string url_;
};

struct HttpResponse {
  long status = 0;  // 0 = transport failure
  std::string content_type;
  std::string body;
  std::string error;  // libcurl's message on transport failure
};
// POST a form body (already url-encoded) to url; GET when form is empty and post is false.
HttpResponse HttpPost(const std::string& url, const std::string& form);
HttpResponse HttpGet(const std::string& url);
std::string UrlEncode(const std::string& s);

// A fresh directory under $TMPDIR, removed when destroyed (unless METL_KEEP_TMP is set).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// The URI of the throwaway PostgreSQL server that ctest's `postgres` fixture started
// (tests/postgres-fixture.sh), e.g. "postgres://metl@127.0.0.1:PORT/metl_test"; "" when absent.
std::string TestPostgresUri();

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& content);
// Every regular file under dir whose content contains needle (for secret-leak checks).
std::vector<std::string> FilesContaining(const std::filesystem::path& dir, const std::string& needle);

}  // namespace metl::e2e
