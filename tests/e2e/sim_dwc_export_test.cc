// matomo-sim --dwc-export: its rows have the real Matomo 5.1.2 sample's columns, column order and
// value types (tests/data/dwc-raw-shapes), every binary encoding decodes back to the visitorId and
// visitIp the simulator's Live API serves for the same visit, and each layout/compression writes
// the files it documents.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/base64.h"
#include "harness.h"
#include "landing/compressed_file.h"

namespace metl::e2e {
namespace {

namespace fs = std::filesystem;

std::string Decompressed(const fs::path& p) {
  if (p.extension() == ".jsonl") return ReadFile(p);
  auto reader = landing::CompressedFileReader::Open(p.string());
  EXPECT_TRUE(reader.ok()) << p;
  std::string out;
  char buf[65536];
  for (;;) {
    auto n = (*reader)->Read(buf, sizeof buf);
    EXPECT_TRUE(n.ok()) << p;
    if (!n.ok() || *n == 0) break;
    out.append(buf, *n);
  }
  return out;
}

std::string TableOfFile(const fs::path& rel) {
  std::string first = rel.begin()->string();
  if (first.find('.') == std::string::npos) return first;  // partitioned: the folder
  return first.substr(0, first.rfind('_'));                // flat: TABLE_YYYYMMDD.jsonl
}

// 's' string, 'i' integer, 'd' double, 'n' null, '?' other.
char Kind(simdjson::dom::element e) {
  if (e.is_null()) return 'n';
  if (e.is_string()) return 's';
  if (e.is_int64() || e.is_uint64()) return 'i';
  if (e.is_double()) return 'd';
  return '?';
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string DecodeBinary(std::string s, const std::string& encoding) {
  if (encoding == "hex") return s;
  if (encoding == "mysql") {
    EXPECT_TRUE(s.starts_with("base64:type")) << s;
    s = s.substr(s.find(':', 7) + 1);
  }
  auto b = Base64Decode(s);
  EXPECT_TRUE(b.has_value()) << s;
  return b ? Hex(*b) : "";
}

struct Shape {
  std::vector<std::string> keys;
  std::vector<char> kinds;
};

std::map<std::string, Shape> RealShapes() {
  std::map<std::string, Shape> out;
  simdjson::dom::parser parser;
  for (const auto& e : fs::directory_iterator(TestData("dwc-raw-shapes"))) {
    if (e.path().extension() != ".jsonl") continue;
    simdjson::padded_string text(ReadFile(e.path()));
    simdjson::dom::object row;
    if (parser.parse(text).get(row) != simdjson::SUCCESS) continue;
    Shape s;
    for (auto field : row) {
      s.keys.emplace_back(field.key);
      s.kinds.push_back(Kind(field.value));
    }
    out[e.path().stem().string()] = s;
  }
  return out;
}

class SimDwcExport : public ::testing::TestWithParam<std::tuple<const char*, const char*, const char*>> {};

TEST_P(SimDwcExport, RowsHaveTheRealSampleShapesAndMatchTheLiveApi) {
  auto [layout, compression, binary] = GetParam();
  TempDir dir;
  fs::path out = dir.path() / "export";
  SimServer sim({"--sites", "2", "--visits-per-day", "12", "--from", "2026-11-24", "--to", "2026-11-25", "--now",
                 "2026-11-27 08:00:00", "--dwc-export", out.string(), "--dwc-layout", layout, "--dwc-compression",
                 compression, "--dwc-binary", binary});
  // What Live serves: visitorId and visitIp per idVisit, over both days and sites.
  std::map<int64_t, std::pair<std::string, std::string>> live;
  simdjson::dom::parser parser;
  for (int site : {1, 2}) {
    for (const char* day : {"2026-11-24", "2026-11-25"}) {
      HttpResponse r = HttpPost(sim.url() + "index.php",
                                "module=API&method=Live.getLastVisitsDetails&format=JSON&filter_limit=-1&period=day"
                                "&idSite=" +
                                    std::to_string(site) + "&date=" + day + "&token_auth=" + SimServer::kToken);
      ASSERT_EQ(r.status, 200) << r.body;
      simdjson::padded_string text(r.body);
      simdjson::dom::array visits_json;
      ASSERT_EQ(parser.parse(text).get(visits_json), simdjson::SUCCESS) << r.body;
      for (simdjson::dom::element v : visits_json) {
        live[int64_t(v["idVisit"])] = {std::string(std::string_view(v["visitorId"])),
                                       std::string(std::string_view(v["visitIp"]))};
      }
    }
  }
  ASSERT_FALSE(live.empty());

  auto shapes = RealShapes();
  ASSERT_EQ(shapes.size(), 8u);
  std::set<std::string> tables;
  std::string ext = std::string(compression) == "gzip"   ? ".jsonl.gz"
                    : std::string(compression) == "zstd" ? ".jsonl.zst"
                                                         : ".jsonl";
  size_t visits = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    fs::path rel = fs::relative(e.path(), out);
    std::string name = rel.string();
    EXPECT_TRUE(name.ends_with(ext)) << name;
    if (std::string(layout) == "partitioned") {
      EXPECT_NE(name.find("/date=2026-11-2"), std::string::npos) << name;
    } else {
      EXPECT_EQ(name.find('/'), std::string::npos) << name;
    }
    std::string table = TableOfFile(rel);
    tables.insert(table);
    ASSERT_TRUE(shapes.count(table)) << name;
    const Shape& shape = shapes[table];
    std::string text = Decompressed(e.path());
    size_t start = 0;
    int line = 0;
    while (start < text.size()) {
      size_t nl = text.find('\n', start);
      ASSERT_NE(nl, std::string::npos) << name << ": the last line has no newline";
      ++line;
      simdjson::padded_string row_text(text.substr(start, nl - start));
      start = nl + 1;
      simdjson::dom::object row;
      ASSERT_EQ(parser.parse(row_text).get(row), simdjson::SUCCESS) << name << ":" << line;
      size_t i = 0;
      for (auto field : row) {
        ASSERT_LT(i, shape.keys.size()) << name << ":" << line;
        EXPECT_EQ(std::string(field.key), shape.keys[i]) << name << ":" << line;
        char kind = Kind(field.value);
        // A value the real row has typed must have that type here (or be null).
        if (shape.kinds[i] != 'n' && kind != 'n') {
          EXPECT_EQ(kind, shape.kinds[i]) << name << ":" << line << " column " << shape.keys[i];
        }
        ++i;
      }
      EXPECT_EQ(i, shape.keys.size()) << name << ":" << line;
      if (table == "log_visit") {
        ++visits;
        int64_t id = int64_t(row["idvisit"]);
        ASSERT_TRUE(live.count(id)) << "visit " << id << " is not served by Live";
        EXPECT_EQ(DecodeBinary(std::string(std::string_view(row["idvisitor"])), binary), live[id].first);
        std::string ip = DecodeBinary(std::string(std::string_view(row["location_ip"])), binary);
        if (live[id].second.find(':') == std::string::npos) {  // IPv4: 4 bytes
          ASSERT_EQ(ip.size(), 8u) << live[id].second;
          std::string dotted;
          for (int b = 0; b < 4; ++b) {
            dotted += (b ? "." : "") + std::to_string(std::stoi(ip.substr(2 * b, 2), nullptr, 16));
          }
          EXPECT_EQ(dotted, live[id].second);
        }
      }
    }
  }
  EXPECT_EQ(visits, live.size());  // every served visit, once
  EXPECT_EQ(tables, (std::set<std::string>{"custom_dimensions", "goal", "log_action", "log_conversion",
                                           "log_conversion_item", "log_link_visit_action", "log_visit", "site"}));
}

INSTANTIATE_TEST_SUITE_P(Encodings, SimDwcExport,
                         ::testing::Values(std::tuple{"partitioned", "none", "hex"},
                                           std::tuple{"partitioned", "gzip", "mysql"},
                                           std::tuple{"flat", "zstd", "base64"}));

TEST(SimDwcExportFlags, UnknownValuesAreRefused) {
  TempDir dir;
  ProcessResult r =
      RunProcess({SimBin(), "--port", "0", "--dwc-export", dir.str(), "--dwc-binary", "utf16"}, {}, "", 30);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--dwc-binary must be hex, base64 or mysql"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace metl::e2e
