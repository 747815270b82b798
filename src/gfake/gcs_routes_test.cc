// The Google fake held to Google's documented behaviour, over real HTTP: tokens only from its own
// endpoint (signature, audience, scopes), GCS uploads (media, multipart, resumable with 256 KiB
// chunks, 308 + Range, status queries), preconditions, digests, listings, the request log.
#include <gtest/gtest.h>

#include "cloud/google_token_flows.h"
#include "core/base64.h"
#include "core/flat_json.h"
#include "gfake/fake_for_test.h"
#include "http/curl_http_client.h"

namespace metl::gfake {
namespace {

using http::HttpRequest;

struct Fixture {
  explicit Fixture(FakeOptions o = {}) : fake(std::move(o)) {
    fake.context().gcs().AddBucket("bkt", "EU");
    tokens = fake.Tokens();
  }
  http::HttpResult Send(HttpRequest r, bool auth = true) {
    if (auth) r.headers.emplace_back("Authorization", "Bearer " + *tokens->Token());
    auto res = client.Send(r);
    EXPECT_TRUE(res.ok()) << res.error().ToString();
    return res.ok() ? *res : http::HttpResult{};
  }
  std::string Url(const std::string& path) const { return fake.base_url() + path; }
  FakeGoogleForTest fake;
  std::shared_ptr<cloud::AccessTokenSource> tokens;
  http::CurlHttpClient client{http::CurlOptions{}};
};

TEST(GoogleFake, AcceptsOnlyTokensItIssued) {
  Fixture f;
  auto r = f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt")}, false);
  EXPECT_EQ(r.response.status, 401);
  EXPECT_NE(r.response.body.find("Login Required"), std::string::npos);
  r = f.Send(
      {.method = "GET", .url = f.Url("/storage/v1/b/bkt"), .headers = {{"Authorization", "Bearer ya29.made-up"}}},
      false);
  EXPECT_EQ(r.response.status, 401);
  r = f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt")});
  EXPECT_EQ(r.response.status, 200);
  auto bucket = ParseFlatJsonObject(r.response.body, "bucket");
  EXPECT_EQ(FlatField(*bucket, "location"), "EU");

  // A BigQuery-only token may not touch Cloud Storage.
  auto bq = f.fake.Tokens({cloud::kScopeBigQuery});
  r = f.Send(
      {.method = "GET", .url = f.Url("/storage/v1/b/bkt"), .headers = {{"Authorization", "Bearer " + *bq->Token()}}},
      false);
  EXPECT_EQ(r.response.status, 403);
}

TEST(GoogleFake, TokenEndpointChecksSignatureAudienceAndLifetime) {
  Fixture f;
  auto post = [&](const std::string& assertion) {
    return f.Send({.method = "POST",
                   .url = f.fake.token_uri(),
                   .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                   .body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion},
                  false);
  };
  cloud::ServiceAccountKey key{"k.json", SharedTestAccount().client_email, SharedTestAccount().private_key_pem, "",
                               f.fake.token_uri()};
  int64_t now = time(nullptr);
  auto good = cloud::MakeServiceAccountAssertion(key, {cloud::kScopeDevstorageReadWrite}, now);
  EXPECT_EQ(post(*good).response.status, 200);

  auto other = MakeTestServiceAccount();
  cloud::ServiceAccountKey forged = key;
  forged.private_key = other->private_key_pem;
  auto r = post(*cloud::MakeServiceAccountAssertion(forged, {cloud::kScopeDevstorageReadWrite}, now));
  EXPECT_EQ(r.response.status, 400);
  EXPECT_NE(r.response.body.find("Invalid JWT Signature."), std::string::npos);

  cloud::ServiceAccountKey wrong_aud = key;
  wrong_aud.token_uri = "https://oauth2.example.com/token";
  r = post(*cloud::MakeServiceAccountAssertion(wrong_aud, {cloud::kScopeDevstorageReadWrite}, now));
  EXPECT_EQ(r.response.status, 400);
  EXPECT_NE(r.response.body.find("audience"), std::string::npos);

  r = post(*cloud::MakeServiceAccountAssertion(key, {cloud::kScopeDevstorageReadWrite}, now - 7200));  // expired
  EXPECT_EQ(r.response.status, 400);
  r = post(*cloud::MakeServiceAccountAssertion(key, {"https://www.googleapis.com/auth/made-up"}, now));
  EXPECT_EQ(r.response.status, 400);
  EXPECT_NE(r.response.body.find("invalid_scope"), std::string::npos);
}

TEST(GoogleFake, ResumableUploadIsStrictAboutChunksAndResumes) {
  Fixture f;
  auto init = f.Send({.method = "POST",
                      .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=resumable&name=dir%2Fbig.bin"),
                      .headers = {{"Content-Type", "application/json"}, {"X-Upload-Content-Type", "text/plain"}},
                      .body = "{}"});
  ASSERT_EQ(init.response.status, 200);
  const std::string* session = http::FindHeader(init.headers, "location");
  ASSERT_NE(session, nullptr);
  std::string data(600 * 1024, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  auto put = [&](const std::string& range, const std::string& body) {
    return f.Send({.method = "PUT", .url = *session, .headers = {{"Content-Range", range}}, .body = body});
  };
  // A non-final chunk that is not a multiple of 256 KiB is refused.
  EXPECT_EQ(put("bytes 0-99999/*", data.substr(0, 100000)).response.status, 400);
  auto r = put("bytes */*", "");  // status query: nothing yet, no Range header
  EXPECT_EQ(r.response.status, 308);
  EXPECT_EQ(http::FindHeader(r.headers, "range"), nullptr);
  r = put("bytes 0-262143/*", data.substr(0, 262144));
  EXPECT_EQ(r.response.status, 308);
  ASSERT_NE(http::FindHeader(r.headers, "range"), nullptr);
  EXPECT_EQ(*http::FindHeader(r.headers, "range"), "bytes=0-262143");
  // Overlapping resend (the client did not see the 308): only the new bytes are kept.
  r = put("bytes 0-524287/*", data.substr(0, 524288));
  EXPECT_EQ(*http::FindHeader(r.headers, "range"), "bytes=0-524287");
  r = put("bytes 524288-" + std::to_string(data.size() - 1) + "/" + std::to_string(data.size()), data.substr(524288));
  ASSERT_EQ(r.response.status, 200) << r.response.body;
  auto object = ParseFlatJsonObject(r.response.body, "object");
  EXPECT_EQ(FlatField(*object, "name"), "dir/big.bin");
  EXPECT_EQ(FlatField(*object, "size"), std::to_string(data.size()));
  EXPECT_EQ(FlatField(*object, "contentType"), "text/plain");
  // A status query after completion answers the object again.
  EXPECT_EQ(put("bytes */" + std::to_string(data.size()), "").response.status, 200);

  auto media = f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt/o/dir%2Fbig.bin?alt=media")});
  EXPECT_EQ(media.response.body, data);
  ASSERT_NE(http::FindHeader(media.headers, "x-goog-hash"), nullptr);
  EXPECT_NE(http::FindHeader(media.headers, "x-goog-hash")->find("md5=" + FlatField(*object, "md5Hash")),
            std::string::npos);
}

TEST(GoogleFake, MediaMultipartPreconditionsDigestsListAndDelete) {
  Fixture f;
  auto media =
      f.Send({.method = "POST",
              .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=media&name=a%2Fhello.txt&ifGenerationMatch=0"),
              .headers = {{"Content-Type", "text/plain"}},
              .body = "hello"});
  ASSERT_EQ(media.response.status, 200);
  auto o = ParseFlatJsonObject(media.response.body, "object");
  EXPECT_EQ(FlatField(*o, "md5Hash"), "XUFAKrxLKna5cZ2REBfFkg==");  // MD5("hello"), as GCS reports it
  EXPECT_EQ(FlatField(*o, "crc32c"), "mnG7TA==");                   // CRC32C("hello"), big-endian
  // ifGenerationMatch=0 on an existing object: 412.
  auto again =
      f.Send({.method = "POST",
              .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=media&name=a%2Fhello.txt&ifGenerationMatch=0"),
              .body = "other"});
  EXPECT_EQ(again.response.status, 412);

  std::string body = "--XX\r\nContent-Type: application/json\r\n\r\n{\"name\":\"a/b.json\",\"md5Hash\":\"" +
                     std::string("wrong==") + "\"}\r\n--XX\r\nContent-Type: application/json\r\n\r\n{}\r\n--XX--\r\n";
  auto mp = f.Send({.method = "POST",
                    .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=multipart"),
                    .headers = {{"Content-Type", "multipart/related; boundary=XX"}},
                    .body = body});
  EXPECT_EQ(mp.response.status, 400);  // a wrong md5Hash is refused
  std::string good =
      "--XX\r\nContent-Type: application/json\r\n\r\n{\"name\":\"a/b.json\"}\r\n--XX\r\nContent-Type: "
      "application/json\r\n\r\n{}\r\n--XX--\r\n";
  mp = f.Send({.method = "POST",
               .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=multipart"),
               .headers = {{"Content-Type", "multipart/related; boundary=XX"}},
               .body = good});
  ASSERT_EQ(mp.response.status, 200) << mp.response.body;
  // As gcloud (apitools, Python's email generator) writes it: LF line ends, a '-quoted boundary.
  std::string lf =
      "--===============123==\nContent-Type: application/json\nMIME-Version: 1.0\n\n{\"name\":"
      "\"a/lf.txt\"}\n--===============123==\nContent-Type: text/plain\nMIME-Version: 1.0\n"
      "Content-Transfer-Encoding: binary\n\nline1\nline2\n\n--===============123==--";
  mp = f.Send({.method = "POST",
               .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=multipart"),
               .headers = {{"Content-Type", "multipart/related; boundary='===============123=='"}},
               .body = lf});
  ASSERT_EQ(mp.response.status, 200) << mp.response.body;
  EXPECT_EQ(f.fake.context().gcs().Get("bkt", "a/lf.txt")->data, "line1\nline2\n");
  EXPECT_EQ(f.fake.context().gcs().Get("bkt", "a/lf.txt")->content_type, "text/plain");
  f.fake.context().gcs().Delete("bkt", "a/lf.txt", std::nullopt, std::nullopt);
  f.Send({.method = "POST", .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=media&name=a%2Fsub%2Fc"), .body = "c"});
  f.Send({.method = "POST", .url = f.Url("/upload/storage/v1/b/bkt/o?uploadType=media&name=z"), .body = "z"});

  // Paging: 2 per page over a/b.json, a/hello.txt, a/sub/c.
  auto p1 = f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt/o?prefix=a%2F&maxResults=2")});
  EXPECT_NE(p1.response.body.find("\"a/b.json\""), std::string::npos);
  EXPECT_NE(p1.response.body.find("\"a/hello.txt\""), std::string::npos);
  auto page = ParseFlatJsonObject(p1.response.body, "list");
  std::string token = FlatField(*page, "nextPageToken");
  ASSERT_FALSE(token.empty());
  auto p2 = f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt/o?prefix=a%2F&maxResults=2&pageToken=" + token)});
  EXPECT_NE(p2.response.body.find("\"a/sub/c\""), std::string::npos);
  EXPECT_EQ(p2.response.body.find("nextPageToken"), std::string::npos);
  // Delimiter folds a/sub/ into a prefix.
  auto d = f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt/o?prefix=a%2F&delimiter=%2F")});
  EXPECT_NE(d.response.body.find("\"prefixes\":[\"a/sub/\"]"), std::string::npos) << d.response.body;

  std::string gen = FlatField(*o, "generation");
  EXPECT_EQ(f.Send({.method = "DELETE", .url = f.Url("/storage/v1/b/bkt/o/a%2Fhello.txt?ifGenerationMatch=1")})
                .response.status,
            412);
  EXPECT_EQ(f.Send({.method = "DELETE", .url = f.Url("/storage/v1/b/bkt/o/a%2Fhello.txt?ifGenerationMatch=" + gen)})
                .response.status,
            204);
  EXPECT_EQ(f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt/o/a%2Fhello.txt")}).response.status, 404);
}

TEST(GoogleFake, RequestLogNeverHoldsTheToken) {
  Fixture f;
  f.Send({.method = "GET", .url = f.Url("/storage/v1/b/bkt")});
  auto log = f.fake.context().RequestLogSnapshot();
  ASSERT_GE(log.size(), 2u);  // the token exchange and the call
  std::string token = *f.tokens->Token();
  bool saw_auth = false;
  for (const auto& entry : log) {
    EXPECT_EQ(entry.query.find(token), std::string::npos);
    for (const auto& [k, v] : entry.headers) {
      EXPECT_EQ(v.find(token), std::string::npos) << k;
      if (k == "authorization") {
        saw_auth = true;
        EXPECT_EQ(v, "<redacted>");
      }
    }
  }
  EXPECT_TRUE(saw_auth);
}

}  // namespace
}  // namespace metl::gfake
