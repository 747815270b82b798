#include "dwc/file_extract.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dwc/landed_files.h"
#include "objstore/local_store.h"

namespace metl::dwc {
namespace {

namespace fs = std::filesystem;

struct Dirs {
  fs::path root = fs::temp_directory_path() / ("metl-dwc-file-extract-" + std::to_string(::getpid()));
  Dirs() { fs::create_directories(root / "src"); }
  ~Dirs() { fs::remove_all(root); }
};

void Write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

TEST(DwcCompressionFromMagic, MagicBytesNotNames) {
  EXPECT_EQ(CompressionFromMagic(std::string("\x1f\x8b\x08\x00", 4)), "gzip");
  EXPECT_EQ(CompressionFromMagic(std::string("\x28\xb5\x2f\xfd\x00", 5)), "zstd");
  EXPECT_EQ(CompressionFromMagic("{\"idvisit\":1}"), "none");
  EXPECT_EQ(CompressionFromMagic(""), "none");
}

TEST(DwcFileExtract, LandsOnceRelandsAChangedFileAndKeepsUnknownTables) {
  Dirs d;
  Write(d.root / "src/log_visit/date=2026-12-01/part-0.jsonl.gz", "{\"idvisit\":1}\n");  // the name lies
  Write(d.root / "src/log_conversion_item_20261201.jsonl", std::string("\x28\xb5\x2f\xfd", 4) + "zz");
  Write(d.root / "src/brand_new_table/part-0.jsonl", "{}\n");
  objstore::LocalObjectStore source((d.root / "src").string());
  objstore::LocalObjectStore landing((d.root / "landing").string());
  FileExtractOptions o;
  o.now_epoch = [] { return int64_t{1796000000}; };
  auto first = ExtractDwcFiles(source, landing, o);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->landed, 3);
  EXPECT_EQ(first->landed_per_table.at("unknown"), 1);
  auto files = ReadLandedFiles(landing);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].key, "brand_new_table/part-0.jsonl");
  EXPECT_EQ((*files)[0].table, "unknown");
  EXPECT_EQ((*files)[1].table, "log_conversion_item");
  EXPECT_EQ((*files)[1].compression, "zstd");
  EXPECT_EQ((*files)[2].table, "log_visit");
  EXPECT_EQ((*files)[2].compression, "none");
  EXPECT_EQ((*files)[2].downloaded_at, "2026-11-30T00:53:20Z");

  auto second = ExtractDwcFiles(source, landing, o);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->landed, 0);
  EXPECT_EQ(second->skipped, 3);

  Write(d.root / "src/log_visit/date=2026-12-01/part-0.jsonl.gz", "{\"idvisit\":1,\"visit_total_time\":9}\n");
  auto third = ExtractDwcFiles(source, landing, o);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->landed, 1);
  EXPECT_EQ(third->changed, 1);
  EXPECT_EQ(*landing.GetString("dwc/log_visit/date=2026-12-01/part-0.jsonl.gz"),
            "{\"idvisit\":1,\"visit_total_time\":9}\n");
}

TEST(DwcFileExtract, AFileWithoutItsLedgerEntryIsLandedAgain) {
  // A run killed after the file but before its entry: the next run must not trust the bare file.
  Dirs d;
  Write(d.root / "src/log_action/part-0.jsonl", "{\"idaction\":1}\n");
  Write(d.root / "landing/dwc/log_action/part-0.jsonl", "{\"idac");  // half a file, no entry
  objstore::LocalObjectStore source((d.root / "src").string());
  objstore::LocalObjectStore landing((d.root / "landing").string());
  auto r = ExtractDwcFiles(source, landing, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->landed, 1);
  EXPECT_EQ(*landing.GetString("dwc/log_action/part-0.jsonl"), "{\"idaction\":1}\n");
}

TEST(DwcLandedFiles, AMalformedEntryIsADataErrorNamingIt) {
  Dirs d;
  Write(d.root / "landing/dwc/_landed/log_visit/x.jsonl.json", "not json");
  objstore::LocalObjectStore landing((d.root / "landing").string());
  auto r = ReadLandedFiles(landing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kData);
  EXPECT_NE(r.error().message().find("log_visit/x.jsonl.json"), std::string::npos);
}

}  // namespace
}  // namespace metl::dwc
