// The loader's PostgreSQL password comes from the URI, PGPASSWORD or a pgpass file (libpq's rules), and
// no output ever shows it. Needs password authentication, which the shared fixture (trust) does not
// have: this test starts its own throwaway server and requires scram-sha-256 for one role.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness.h"
#include "normalize/schema.h"
#include "postgres_server.h"
#include "warehouse_suite.h"

namespace metl::e2e {
namespace {

constexpr const char* kPassword = "pw-s3cret-2718";

class OwnServer {
 public:
  OwnServer()
      : dir_((std::filesystem::temp_directory_path() / ("metl-e2e-pgauth-" + std::to_string(::getpid()))).string()) {
    ProcessResult r = RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "start", dir_}, {}, "", 120);
    if (r.exit_code == 0) url_ = ReadFile(dir_ + "/uri");
    while (!url_.empty() && url_.back() == '\n') url_.pop_back();
  }
  ~OwnServer() { RunProcess({SourceDir() + "/tests/postgres-fixture.sh", "stop", dir_}, {}, "", 60); }
  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_, url_;
};

TEST(PostgresAuth, PasswordFromUriPgpasswordOrPgpassAndNeverShown) {
  OwnServer server;
  if (server.url().empty()) METL_NO_POSTGRES("cannot start a PostgreSQL server (binaries missing?)");
  // The superuser `metl` (trusted) creates a role that must give a password over TCP.
  std::string admin = server.url() + "?schema=public";
  QueryWarehouse(admin, std::string("CREATE ROLE pwuser LOGIN PASSWORD '") + kPassword + "'");
  QueryWarehouse(admin, "GRANT CREATE ON DATABASE metl_test TO pwuser");
  std::string hba_path = server.dir() + "/data/pg_hba.conf";
  std::string hba = ReadFile(hba_path);
  std::ofstream(hba_path, std::ios::trunc) << "host all pwuser 127.0.0.1/32 scram-sha-256\n" << hba;  // owner kept
  QueryWarehouse(admin, "SELECT pg_reload_conf()");

  std::string at = server.url().substr(server.url().find('@'));  // "@127.0.0.1:PORT/metl_test"
  std::string url = "postgres://pwuser" + at + "?schema=auth";
  TempDir tmp;
  std::string landing = (tmp.path() / "landing").string();
  std::filesystem::create_directories(landing);
  std::string no_pgpass = (tmp.path() / "none").string();
  auto load = [&](const std::string& warehouse, const Env& env) {
    ProcessResult r = RunEtl({"load", "--landing", landing, "--warehouse", warehouse}, env);
    EXPECT_EQ((r.out + r.err).find(kPassword), std::string::npos) << r.out << r.err;
    return r;
  };

  ProcessResult r = load(url, {{"PGPASSWORD", "\x01"}, {"PGPASSFILE", no_pgpass}});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("PGPASSWORD or ~/.pgpass"), std::string::npos) << r.err;
  r = load(url, {{"PGPASSWORD", "wrong"}, {"PGPASSFILE", no_pgpass}});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("password authentication failed"), std::string::npos) << r.err;

  r = load(url, {{"PGPASSWORD", kPassword}, {"PGPASSFILE", no_pgpass}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string pgpass = (tmp.path() / "pgpass").string();
  std::ofstream(pgpass) << "127.0.0.1:*:metl_test:pwuser:" << kPassword << "\n";
  std::filesystem::permissions(pgpass, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  r = load(url, {{"PGPASSWORD", "\x01"}, {"PGPASSFILE", pgpass}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = load("postgres://pwuser:" + std::string(kPassword) + at + "?schema=auth",
           {{"PGPASSWORD", "\x01"}, {"PGPASSFILE", no_pgpass}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(QueryInt(url.substr(0, url.find('?')) + "?schema=auth&password=" + kPassword,
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'auth'"),
            static_cast<int64_t>(AllTables().size()));  // every declared table
}

}  // namespace
}  // namespace metl::e2e
