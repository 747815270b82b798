#include "warehouse/postgres/pg_connection.h"

#include "core/log.h"

namespace metl::warehouse::pg_engine {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// libpq's multi-line messages ("...failed\n\tThis probably means...") on one line.
std::string OneLine(std::string s) {
  s = Trim(std::move(s));
  std::string out;
  for (char ch : s) {
    if (ch == '\t') continue;
    out += ch == '\n' ? ' ' : ch;
  }
  return out;
}

constexpr const char* kLostHint =
    "the server stopped, restarted or became unreachable; it rolls back every transaction in flight, so no "
    "partition is left half loaded. Once the server is back, rerun the same command: loaded partitions are "
    "skipped, the others are loaded again";

void IgnoreNotice(void*, const char* message) {
  // "relation ... already exists, skipping" and friends: only useful while debugging.
  LogDebug("postgres notice", {{"message", Trim(message)}});
}

}  // namespace

ErrorKind KindOfSqlState(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return ErrorKind::kTransient;  // no SQLSTATE: the connection broke
  std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "08" || cls == "53" || cls == "57") return ErrorKind::kTransient;  // connection, resources, shutdown
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") return ErrorKind::kTransient;
  if (cls == "28" || cls == "3D" || cls == "3F" || sqlstate == "42501") return ErrorKind::kConfig;
  if (cls == "22" || cls == "23") return ErrorKind::kData;  // a value PostgreSQL refuses
  return ErrorKind::kInternal;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const PgTarget& target) {
  // Keys before "dbname" are defaults the URI may override: don't wait forever for an unreachable host,
  // and notice a server that vanished without closing the connection (a host crash, a network cut) within
  // about two minutes (TCP keepalives after 60 s of silence, 6 probes 10 s apart) instead of the kernel's
  // two hours, while waiting for a statement's result.
  const char* keys[] = {"connect_timeout",  "keepalives", "keepalives_idle",           "keepalives_interval",
                        "keepalives_count", "dbname",     "fallback_application_name", nullptr};
  const char* values[] = {"15", "1", "60", "10", "6", target.conninfo.c_str(), "matomo-etl", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Error(ErrorKind::kInternal, "libpq could not allocate a connection");
  std::unique_ptr<PgConnection> c(new PgConnection(conn, target.redacted));
  if (PQstatus(conn) != CONNECTION_OK) {
    Error err = c->ConnectionError("cannot connect to PostgreSQL");
    std::string_view m = PQerrorMessage(conn);
    if (m.find("password") != std::string_view::npos || m.find("does not exist") != std::string_view::npos ||
        m.find("authentication") != std::string_view::npos || m.find("SSL") != std::string_view::npos) {
      return Error(ErrorKind::kConfig, err.message())
          .WithHint(
              "check the user, database and sslmode in --warehouse; the password comes from the URI, "
              "PGPASSWORD or ~/.pgpass");
    }
    return std::move(err).WithHint(
        "is the PostgreSQL server running and reachable? Once it is, rerun the same command");
  }
  c->connected_ = true;
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  if (PQsetClientEncoding(conn, "UTF8") != 0) return c->ConnectionError("cannot set client_encoding UTF8");
  // Text results the same on every server configuration: UTC instants, ISO dates.
  METL_TRY(c->Exec("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'"));
  return c;
}

PgConnection::~PgConnection() {
  PQfinish(conn_);
}

Error PgConnection::ConnectionError(std::string_view what) const {
  if (PQstatus(conn_) == CONNECTION_BAD && connected_) return LostConnectionError(what);
  return Error(ErrorKind::kTransient, std::string(what) + " (" + redacted_ + "): " + OneLine(PQerrorMessage(conn_)));
}

Error PgConnection::LostConnectionError(std::string_view what) const {
  return Error(ErrorKind::kTransient, std::string(what) + ": lost the connection to PostgreSQL (" + redacted_ +
                                          "): " + OneLine(PQerrorMessage(conn_)))
      .WithHint(kLostHint);
}

Error PgConnection::ResultError(const PGresult* result, std::string_view what) const {
  if (result == nullptr || PQstatus(conn_) == CONNECTION_BAD) return ConnectionError(what);
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string message = Trim(PQresultErrorMessage(result));
  if (message.empty()) message = Trim(PQerrorMessage(conn_));
  if (state != nullptr) message += " [SQLSTATE " + std::string(state) + "]";
  return Error(KindOfSqlState(state != nullptr ? state : ""), std::string(what) + ": " + message);
}

Status PgConnection::Exec(const std::string& sql) {
  std::unique_ptr<PGresult, PgResultDeleter> r(PQexec(conn_, sql.c_str()));
  ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return ResultError(r.get(), "PostgreSQL statement failed");
  return OkStatus();
}

Result<PgRows> PgConnection::Query(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PGresult* r =
      PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    Error err = ResultError(r, "PostgreSQL query failed");
    PQclear(r);
    return err;
  }
  return PgRows(r);
}

Status PgConnection::BeginCopy(const std::string& copy_sql) {
  std::unique_ptr<PGresult, PgResultDeleter> r(PQexec(conn_, copy_sql.c_str()));
  if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) return ResultError(r.get(), "PostgreSQL COPY failed to start");
  return OkStatus();
}

Status PgConnection::PutCopyData(std::string_view data) {
  if (data.empty()) return OkStatus();
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1) {
    return ConnectionError("PostgreSQL COPY failed while sending rows");
  }
  return OkStatus();
}

Status PgConnection::EndCopy() {
  if (PQputCopyEnd(conn_, nullptr) != 1) return ConnectionError("PostgreSQL COPY failed to finish");
  Status status = OkStatus();
  // COPY's verdict (a bad value, a constraint) arrives as the next result; drain all of them.
  while (PGresult* r = PQgetResult(conn_)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && status.ok()) status = ResultError(r, "PostgreSQL COPY failed");
    PQclear(r);
  }
  return status;
}

void PgConnection::RollbackQuietly() {
  if (PQstatus(conn_) != CONNECTION_OK) return;
  if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
  PGresult* r = PQexec(conn_, "ROLLBACK");
  PQclear(r);
}

}  // namespace metl::warehouse::pg_engine
