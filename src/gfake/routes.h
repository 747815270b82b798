// The Google fake's API modules. Each registers its routes on the shared server; the BigQuery
// module (RegisterBigQueryRoutes) is added the same way.
#pragma once

namespace httplib {
class Server;
}

namespace metl::gfake {

class FakeContext;

void RegisterTokenRoutes(httplib::Server& server, FakeContext& ctx);
void RegisterGcsRoutes(httplib::Server& server, FakeContext& ctx);
// BigQuery REST v2 (bigquery_fake.h), its load jobs reading the GCS objects of `ctx`.
void RegisterBigQueryRoutes(httplib::Server& server, FakeContext& ctx);

}  // namespace metl::gfake
