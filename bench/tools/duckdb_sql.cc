// A tiny DuckDB SQL runner for the benchmarks (bench/run.sh), through the same libduckdb as
// matomo-etl: the floor (CREATE TABLE AS copies), baseline A's COPY of CSV files and baseline B's
// read_json + UNNEST. There is no duckdb CLI on the machine, and Python has no duckdb module.
//   metl_duckdb_sql DB_PATH SQL_FILE|-   runs every statement; rows of queries go to stdout
//                                        (tab-separated), "<seconds>\t<statement>" to stderr,
//                                        and "total_seconds <s>" last on stderr.
#include <duckdb.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (s.size() > 100) s = s.substr(0, 97) + "...";
  return s;
}

void PrintRows(duckdb_result& result) {
  const idx_t cols = duckdb_column_count(&result);
  const idx_t rows = duckdb_row_count(&result);
  for (idx_t r = 0; r < rows; ++r) {
    for (idx_t c = 0; c < cols; ++c) {
      char* v = duckdb_value_varchar(&result, c, r);
      std::cout << (c ? "\t" : "") << (v ? v : "NULL");
      duckdb_free(v);
    }
    std::cout << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: metl_duckdb_sql DB_PATH SQL_FILE|-\n";
    return 2;
  }
  std::stringstream sql;
  if (std::string(argv[2]) == "-") {
    sql << std::cin.rdbuf();
  } else {
    std::ifstream in(argv[2]);
    if (!in) {
      std::cerr << "cannot read " << argv[2] << "\n";
      return 2;
    }
    sql << in.rdbuf();
  }
  duckdb_database db;
  duckdb_connection conn;
  if (duckdb_open(argv[1], &db) == DuckDBError || duckdb_connect(db, &conn) == DuckDBError) {
    std::cerr << "cannot open " << argv[1] << "\n";
    return 1;
  }
  // Statements end with ';' at the end of a line (the bench SQL files are written that way).
  std::vector<std::string> statements;
  std::string current, line;
  while (std::getline(sql, line)) {
    if (line.rfind("--", 0) == 0) continue;
    current += line + "\n";
    const size_t last = line.find_last_not_of(" \t\r");
    if (last != std::string::npos && line[last] == ';') {
      statements.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  int rc = 0;
  const double start = Now();
  for (const std::string& stmt : statements) {
    duckdb_result result;
    const double t0 = Now();
    if (duckdb_query(conn, stmt.c_str(), &result) == DuckDBError) {
      std::cerr << "SQL error: " << duckdb_result_error(&result) << "\nin: " << stmt << "\n";
      rc = 1;
    } else if (duckdb_result_return_type(result) == DUCKDB_RESULT_TYPE_QUERY_RESULT) {
      PrintRows(result);
    }
    duckdb_destroy_result(&result);
    std::fprintf(stderr, "%.3f\t%s\n", Now() - t0, OneLine(stmt).c_str());
    if (rc != 0) break;
  }
  std::fprintf(stderr, "total_seconds %.3f\n", Now() - start);
  duckdb_disconnect(&conn);
  duckdb_close(&db);
  return rc;
}
