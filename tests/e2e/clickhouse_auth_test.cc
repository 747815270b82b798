// ClickHouse logins and TLS (issue 16), against a server of this test's own whose users need a password
// and which also serves HTTPS with a certificate signed by a CA made at test time
// (tests/clickhouse-fixture.sh start-secure; one server, killed by its PID at the end):
//   - the password comes from CLICKHOUSE_PASSWORD, the config file's clickhouse_password (the variable
//     beats it) or the URI (with a warning); a wrong or missing one is a config error (exit 2) that
//     names CLICKHOUSE_PASSWORD; a flag for it is refused; MATOMO_ETL_CLICKHOUSE_PASSWORD is ignored;
//   - the password (or its Basic-auth encoding) is never in stdout, stderr or any file the tool writes;
//   - HTTPS verifies the server's certificate: with ca_file= (the test CA) a load works, without it the
//     run fails with a clear TLS error naming ca_file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "core/base64.h"
#include "extract_util.h"
#include "harness.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

const char* kNow = "2026-11-27 08:00:00";
const std::string kScript = std::string(METL_SOURCE_DIR) + "/tests/clickhouse-fixture.sh";

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A fresh password a run could not guess or print by accident, with characters a URL must escape.
std::string NewPassword() {
  std::mt19937_64 rng{std::random_device{}()};
  return "ch-Pw-" + std::to_string(rng() % 1000000007) + "&x y%";
}

class SecureServer {
 public:
  explicit SecureServer(const std::string& password)
      : dir_((fs::temp_directory_path() / ("metl-e2e-chauth-" + std::to_string(::getpid()))).string()) {
    if (!fs::exists("/usr/sbin/clickhouse-server")) return;
    ProcessResult r = RunProcess({kScript, "start-secure", dir_}, {{"METL_CH_PASSWORD", password}}, "", 120);
    if (r.exit_code != 0) {
      ADD_FAILURE() << r.out << r.err;
      return;
    }
    uri_ = Trimmed(ReadFile(dir_ + "/uri"));
    https_port_ = Trimmed(ReadFile(dir_ + "/https_port"));
  }
  ~SecureServer() { RunProcess({kScript, "stop", dir_}, {}, "", 60); }
  // clickhouse://etl@127.0.0.1:HTTP_PORT (plain HTTP), "" when no server.
  const std::string& uri() const { return uri_; }
  const std::string& https_port() const { return https_port_; }
  std::string ca_file() const { return dir_ + "/ca.pem"; }

 private:
  std::string dir_, uri_, https_port_;
};

// Every run's output, checked for the password at the end.
class Runs {
 public:
  explicit Runs(std::string password) : password_(std::move(password)) {}
  ProcessResult Etl(const std::vector<std::string>& args, const Env& env) {
    ProcessResult r = RunEtl(args, env, "", 120);
    ExpectNoSecret(r.out + r.err, args.empty() ? "" : args[0]);
    return r;
  }
  void ExpectNoSecret(const std::string& text, const std::string& what) const {
    EXPECT_EQ(text.find(password_), std::string::npos) << what << " printed the password: " << text;
    EXPECT_EQ(text.find(Base64Encode("etl:" + password_)), std::string::npos) << what << " printed the auth header";
  }

 private:
  std::string password_;
};

std::string Landing(const TempDir& tmp) {
  SimServer sim({"--sites", "1", "--visits-per-day", "40", "--seed", "7", "--now", kNow});
  const std::string landing = (tmp.path() / "landing").string();
  ProcessResult r = RunExtract(sim.url(), landing, {"--from", "2026-11-25", "--to", "2026-11-25", "--now", kNow});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  return landing;
}

// SELECT count() FROM matomo_visits through `matomo-etl sql`, as CSV: the number, or -1.
long long CountVisits(Runs& runs, const std::vector<std::string>& extra, const Env& env, std::string* err = nullptr) {
  std::vector<std::string> args = {"sql", "SELECT count() AS n FROM matomo_visits", "--format", "csv"};
  args.insert(args.end(), extra.begin(), extra.end());
  ProcessResult r = runs.Etl(args, env);
  if (err) *err = r.err;
  if (r.exit_code != 0) return -1;
  size_t nl = r.out.find('\n');
  return nl == std::string::npos ? -1 : std::atoll(r.out.c_str() + nl + 1);
}

TEST(ClickHouseAuth, PasswordFromTheEnvironmentTheConfigFileOrTheUriAndNeverShown) {
  const std::string password = NewPassword();
  SecureServer server(password);
  if (server.uri().empty()) GTEST_SKIP() << "no clickhouse-server";
  TempDir tmp;
  Runs runs(password);
  const std::string landing = Landing(tmp);
  const std::string url = server.uri() + "/authdb";
  const Env unset = {{"CLICKHOUSE_PASSWORD", "\x01"}};

  // No password at all: exit 2 before anything is written, naming where one goes.
  ProcessResult r = runs.Etl({"load", "--landing", landing, "--warehouse", url}, unset);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("CLICKHOUSE_PASSWORD"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no password was given"), std::string::npos) << r.err;
  // A wrong one: exit 2, naming the variable it came from.
  r = runs.Etl({"load", "--landing", landing, "--warehouse", url}, {{"CLICKHOUSE_PASSWORD", "not-" + password}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("Wrong password"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CLICKHOUSE_PASSWORD"), std::string::npos) << r.err;

  // The right one from the environment loads (debug logs included, which must not show it either).
  r = runs.Etl({"load", "--landing", landing, "--warehouse", url, "--log-level", "debug"},
               {{"CLICKHOUSE_PASSWORD", password}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const long long visits = CountVisits(runs, {"--warehouse", url}, {{"CLICKHOUSE_PASSWORD", password}});
  EXPECT_GT(visits, 0);

  // From the config file (mode 0600): used when CLICKHOUSE_PASSWORD is unset, which beats it when set.
  const fs::path config = tmp.path() / "matomo-etl.toml";
  WriteFile(config, "clickhouse_password = \"" + password + "\"\nwarehouse = \"" + url + "\"\n");
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write);
  std::string err;
  EXPECT_EQ(CountVisits(runs, {"--config", config.string()}, unset, &err), visits) << err;
  EXPECT_EQ(err.find("readable by other users"), std::string::npos) << err;
  EXPECT_EQ(CountVisits(runs, {"--config", config.string()}, {{"CLICKHOUSE_PASSWORD", "wrong"}}, &err), -1);
  EXPECT_NE(err.find("CLICKHOUSE_PASSWORD"), std::string::npos) << err;
  // Readable by others: a warning that does not print it.
  fs::permissions(config, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  EXPECT_EQ(CountVisits(runs, {"--config", config.string()}, unset, &err), visits) << err;
  EXPECT_NE(err.find("readable by other users"), std::string::npos) << err;
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);

  // In the URI: works, with a warning that shows the URI without it.
  std::string at = url.substr(url.find('@'));
  EXPECT_EQ(CountVisits(runs, {"--warehouse", "clickhouse://etl:" + UrlEncode(password) + at}, unset, &err), visits)
      << err;
  EXPECT_NE(err.find("holds the ClickHouse password"), std::string::npos) << err;

  // Never from a flag (other users see argv in `ps`), and the refusal does not echo it.
  r = runs.Etl({"sql", "SELECT 1", "--warehouse", url, "--clickhouse-password", password}, unset);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("never read from the command line"), std::string::npos) << r.err;
  // Nor from MATOMO_ETL_CLICKHOUSE_PASSWORD: ignored with a warning, so the login fails.
  r = runs.Etl({"sql", "SELECT 1", "--warehouse", url},
               {{"CLICKHOUSE_PASSWORD", "\x01"}, {"MATOMO_ETL_CLICKHOUSE_PASSWORD", password}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("MATOMO_ETL_CLICKHOUSE_PASSWORD is ignored"), std::string::npos) << r.err;

  // No file the runs wrote (landing zone, manifests, locks) holds it; only the config file written here.
  for (const std::string& f : FilesContaining(tmp.path(), password)) {
    EXPECT_EQ(f, config.string()) << "the password was written to " << f;
  }
  EXPECT_TRUE(FilesContaining(tmp.path(), Base64Encode("etl:" + password)).empty());
}

TEST(ClickHouseAuth, HttpsIsVerifiedAgainstTheGivenCaAndRefusedWithoutIt) {
  const std::string password = NewPassword();
  SecureServer server(password);
  if (server.uri().empty()) GTEST_SKIP() << "no clickhouse-server";
  TempDir tmp;
  Runs runs(password);
  const std::string landing = Landing(tmp);
  const Env env = {{"CLICKHOUSE_PASSWORD", password}};
  const std::string https = "clickhouses://etl@127.0.0.1:" + server.https_port() + "/tlsdb";

  // Without the test CA the server's certificate is not trusted: exit 2 before anything is written.
  ProcessResult r = runs.Etl({"load", "--landing", landing, "--warehouse", https}, env);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("TLS verification failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ca_file="), std::string::npos) << r.err;
  std::string err;
  EXPECT_EQ(CountVisits(runs, {"--warehouse", server.uri() + "/tlsdb"}, env, &err), -1) << "tlsdb exists";

  // With it, the load (RowBinary bodies, REPLACE PARTITION) runs over HTTPS.
  const std::string ca = "ca_file=" + UrlEncode(server.ca_file());
  r = runs.Etl({"load", "--landing", landing, "--warehouse", https + "?" + ca}, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const long long visits = CountVisits(runs, {"--warehouse", https + "?" + ca}, env, &err);
  EXPECT_GT(visits, 0) << err;
  // secure=1 is the same as clickhouses://; plain HTTP reads the same rows.
  EXPECT_EQ(CountVisits(runs, {"--warehouse", "clickhouse://etl@127.0.0.1:" + server.https_port() + "/tlsdb?secure=1&" + ca},
                        env, &err),
            visits)
      << err;
  EXPECT_EQ(CountVisits(runs, {"--warehouse", server.uri() + "/tlsdb"}, env, &err), visits) << err;
  // A wrong password over HTTPS is still the login error, not a TLS one.
  r = runs.Etl({"sql", "SELECT 1", "--warehouse", https + "?" + ca}, {{"CLICKHOUSE_PASSWORD", "wrong"}});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("CLICKHOUSE_PASSWORD"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace metl::e2e
