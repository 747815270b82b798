// A libpq connection with Result-returning calls. Errors carry PostgreSQL's message and SQLSTATE
// class mapped to our kinds: lost connections, deadlocks and serialization failures are transient,
// missing privileges and bad credentials are configuration errors. Nothing here logs the conninfo.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "warehouse/postgres/pg_uri.h"

namespace metl::warehouse::pg_engine {

struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};

// The rows of a query, read as text.
class PgRows {
 public:
  static constexpr Oid kBoolOid = 16;  // pg_type.oid of boolean (fixed in the catalog)
  explicit PgRows(PGresult* result) : result_(result) {}
  int rows() const { return PQntuples(result_.get()); }
  int columns() const { return PQnfields(result_.get()); }
  bool IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  std::string_view Get(int row, int col) const {
    return std::string_view(PQgetvalue(result_.get(), row, col), PQgetlength(result_.get(), row, col));
  }
  std::string_view ColumnName(int col) const { return PQfname(result_.get(), col); }
  bool IsBool(int col) const { return PQftype(result_.get(), col) == kBoolOid; }
  // int2, int4, int8, float4, float8, numeric (pg_type oids, fixed in the catalog).
  bool IsNumber(int col) const {
    Oid t = PQftype(result_.get(), col);
    return t == 21 || t == 23 || t == 20 || t == 700 || t == 701 || t == 1700;
  }

 private:
  std::unique_ptr<PGresult, PgResultDeleter> result_;
};

class PgConnection {
 public:
  // Connects (password from the URI, PGPASSWORD or ~/.pgpass, as libpq decides), session in UTC and UTF-8.
  static Result<std::unique_ptr<PgConnection>> Connect(const PgTarget& target);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // A statement (or several separated by ';') whose rows, if any, are not needed.
  Status Exec(const std::string& sql);
  // One statement with text parameters ($1, $2, ...; nullopt is NULL).
  Result<PgRows> Query(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});

  // COPY ... FROM STDIN: Begin, then Put (any chunking), then End (which reports COPY's errors).
  Status BeginCopy(const std::string& copy_sql);
  Status PutCopyData(std::string_view data);
  Status EndCopy();

  // Best effort after an error: roll back whatever transaction is open (ignores failures).
  void RollbackQuietly();
  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }
  const std::string& redacted_uri() const { return redacted_; }

 private:
  PgConnection(PGconn* conn, std::string redacted) : conn_(conn), redacted_(std::move(redacted)) {}
  // What failed, with libpq's message; once connected, a broken connection is a LostConnectionError.
  Error ConnectionError(std::string_view what) const;
  // The server went away (stopped, crashed, unreachable): says so, and that a rerun repairs.
  Error LostConnectionError(std::string_view what) const;
  Error ResultError(const PGresult* result, std::string_view what) const;

  PGconn* conn_;
  std::string redacted_;
  bool connected_ = false;  // the connection was established once
};

// SQLSTATE -> our error kind (exposed for tests).
ErrorKind KindOfSqlState(std::string_view sqlstate);

}  // namespace metl::warehouse::pg_engine
