// The PostgreSQL server the end-to-end tests use, found or started on first use:
//   1. METL_TEST_POSTGRES_URL (any server you point the tests at);
//   2. the ctest `postgres` fixture's URI file (METL_TEST_PG_URI_FILE; tests/postgres-fixture.sh);
//   3. otherwise (the test binary run by hand) a throwaway server of this process, started with the same
//      script in a temporary folder and stopped at exit.
// Resolved lazily, so that listing the tests (ctest's discovery) never starts a server.
#pragma once

#include <string>

namespace metl::e2e {

// postgres://USER@127.0.0.1:PORT/DB, or "" when no server can be had (no PostgreSQL binaries).
std::string TestPostgresServer();

}  // namespace metl::e2e
