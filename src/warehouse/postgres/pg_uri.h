// The PostgreSQL warehouse URI: `postgres://USER[:PASSWORD]@HOST:PORT/DB?schema=matomo&sslmode=...`.
// `schema` is ours (default `matomo`) and is taken out before libpq sees the URI, because libpq rejects
// parameters it does not know; every other parameter (sslmode, connect_timeout, ...) passes through.
// The password may come from the URI, PGPASSWORD or ~/.pgpass: libpq resolves it, we never read it.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace metl::warehouse::pg_engine {

inline constexpr std::string_view kDefaultSchema = "matomo";

struct PgTarget {
  std::string conninfo;  // the URI for libpq, without `schema` (may hold a password: never log it)
  std::string schema;    // the PostgreSQL schema our tables live in
  std::string redacted;  // the URI for logs and errors: password removed
};

// True for `postgres://` and `postgresql://` URIs (the warehouse factory's dispatch test).
bool IsPostgresUri(std::string_view uri);

// Splits out `schema`, checks the rest with libpq's own parser; a kConfig error names the problem
// (never the password).
Result<PgTarget> ParsePgUri(std::string_view uri);

// The URI with any password removed (userinfo `user:pw@` -> `user@`, `password=` parameter dropped).
std::string RedactPgUri(std::string_view uri);

}  // namespace metl::warehouse::pg_engine
