// The BigQuery fake as a module of google-fake: the fake's own token endpoint, scopes and 429/503
// faults admit its requests, and load jobs read gs:// URIs from the GCS fake's objects.
#include <httplib.h>

#include "gfake/bigquery_fake.h"
#include "gfake/fake_context.h"
#include "gfake/routes.h"

namespace metl::gfake {

void RegisterBigQueryRoutes(httplib::Server& server, FakeContext& ctx) {
  BigQueryFakeOptions options;
  options.admit = [&ctx](const httplib::Request& req, httplib::Response& res) {
    return ctx.Admit(req, res,
                     {"https://www.googleapis.com/auth/bigquery", "https://www.googleapis.com/auth/cloud-platform"});
  };
  options.read_gcs_object = [&ctx](std::string_view bucket, std::string_view object) -> std::optional<std::string> {
    auto o = ctx.gcs().Get(std::string(bucket), std::string(object));
    if (!o) return std::nullopt;
    return o->data;
  };
  options.max_multipart_bytes = ctx.options().bq_max_multipart_bytes;
  options.cut_chunk = [&ctx] { return ctx.NextChunkIsCut(); };
  (void)RegisterBigQueryRoutes(server, std::move(options));
}

}  // namespace metl::gfake
