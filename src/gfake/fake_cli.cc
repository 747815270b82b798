#include "gfake/fake_cli.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cloud/jwt.h"
#include "core/flat_json.h"
#include "gfake/fake_server.h"
#include "gfake/test_key.h"

namespace metl::gfake {
namespace {

FakeServer* g_server = nullptr;

void OnSignal(int) {
  if (g_server != nullptr) g_server->Stop();
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "google-fake: %s\n", message.c_str());
  return 2;
}

bool WriteFile0600(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  return out.good() && ::chmod(path.c_str(), 0600) == 0;
}

}  // namespace

int Main(int argc, char** argv) {
  FakeOptions options;
  int port = 0;
  std::string port_file, trust_key, write_test_key;
  std::vector<std::string> buckets;
  std::string fail_429, fail_503, cut_upload;
  CLI::App app{
      "google-fake: a strict stand-in for Google's OAuth token endpoint (POST /token, JWT-bearer grant) and the\n"
      "Cloud Storage JSON API subset (buckets.get, objects insert/get/list/delete, resumable uploads) on 127.0.0.1,\n"
      "for tests. Only tokens it issued are accepted. The first line on stdout is the URL it serves.\n"
      "Fault rates take a probability (0.1), every:N or first:N.",
      "google-fake"};
  app.add_option("--port", port, "TCP port on 127.0.0.1; 0 picks a free one")->capture_default_str();
  app.add_option("--port-file", port_file, "also write the port to FILE once listening");
  app.add_option("--trust-key", trust_key,
                 "a service-account JSON key file whose account the token endpoint accepts (its public key verifies "
                 "the assertions)");
  app.add_option(
      "--write-test-key", write_test_key,
      "generate a throwaway test key, write it to FILE (mode 0600) with token_uri = this fake, and trust it");
  app.add_option("--bucket", buckets, "a bucket that exists: NAME or NAME:LOCATION (default location US)");
  app.add_option("--token-lifetime", options.token_lifetime_s, "seconds an issued token lives (expires_in)")
      ->capture_default_str();
  app.add_option("--revoke-token-after", options.faults.revoke_token_after,
                 "a token is refused (401) after N API calls: a token expiring mid-run (0 = never)");
  app.add_option("--fail-429", fail_429, "rate of API calls answered 429 rateLimitExceeded");
  app.add_option("--fail-503", fail_503, "rate of API calls answered 503 backendError");
  app.add_option("--retry-after", options.faults.retry_after_s,
                 "Retry-After seconds on injected 429/503 (0 = no header)")
      ->capture_default_str();
  app.add_option("--cut-upload", cut_upload,
                 "rate of upload requests cut: half a resumable chunk (Cloud Storage or BigQuery), or a whole "
                 "one-request Cloud Storage upload, is stored, then the connection drops");
  app.add_option("--bq-max-multipart", options.bq_max_multipart_bytes,
                 "largest BigQuery multipart media upload taken, in bytes (413 above; 0 = only the 512 MiB request "
                 "limit)")
      ->capture_default_str();
  app.add_option("--seed", options.faults.seed, "seed of the random faults")->capture_default_str();
  app.add_option("--request-log", options.request_log_path,
                 "append one JSON line per request to FILE (method, path, query, headers; Authorization redacted)");
  app.add_option("--secrets-log", options.secrets_log_path,
                 "append every JWT assertion accepted and access token issued to FILE (secret-leak tests only)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  struct {
    const std::string* text;
    sim::FaultSpec* spec;
    const char* flag;
  } specs[] = {{&fail_429, &options.faults.fail_429, "--fail-429"},
               {&fail_503, &options.faults.fail_503, "--fail-503"},
               {&cut_upload, &options.faults.cut_upload, "--cut-upload"}};
  for (auto& s : specs) {
    auto parsed = sim::FaultSpec::Parse(*s.text);
    if (!parsed.ok()) return Fail(std::string(s.flag) + ": " + parsed.error().message());
    *s.spec = *parsed;
  }

  std::optional<TestServiceAccount> generated;
  if (!write_test_key.empty()) {
    auto sa = MakeTestServiceAccount();
    if (!sa.ok()) return Fail(sa.error().ToString());
    generated = *sa;
    options.trusted_client_email = sa->client_email;
    options.trusted_public_key_pem = sa->public_key_pem;
  } else if (!trust_key.empty()) {
    std::ifstream in(trust_key, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto json = ParseFlatJsonObject(ss.str(), "--trust-key " + trust_key);
    if (!in || !json.ok()) return Fail("cannot read the service-account key " + trust_key);
    auto pub = cloud::PublicKeyPemOf(FlatField(*json, "private_key"));
    if (!pub.ok()) return Fail(pub.error().message());
    options.trusted_client_email = FlatField(*json, "client_email");
    options.trusted_public_key_pem = *pub;
  } else {
    return Fail("give --trust-key FILE or --write-test-key FILE (the account whose tokens it issues)");
  }

  FakeServer server(options);
  for (const auto& b : buckets) {
    size_t colon = b.find(':');
    server.context().gcs().AddBucket(b.substr(0, colon), colon == std::string::npos ? "US" : b.substr(colon + 1));
  }
  auto bound = server.Bind(port);
  if (!bound.ok()) return Fail(bound.error().ToString());
  if (generated && !WriteFile0600(write_test_key, generated->KeyJson(server.base_url() + "/token"))) {
    return Fail("cannot write " + write_test_key);
  }
  if (!port_file.empty()) {
    std::ofstream(port_file) << *bound << "\n";
  }
  std::printf("%s/\n", server.base_url().c_str());
  std::fflush(stdout);
  g_server = &server;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  bool ok = server.Run();
  g_server = nullptr;
  return ok ? 0 : 1;
}

}  // namespace metl::gfake
