#include "dwc/export_folder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "dwc/raw_decode.h"
#include "core/digest.h"
#include "landing/compressed_file.h"
#include "objstore/local_store.h"

namespace metl::dwc {
namespace {

namespace fs = std::filesystem;

struct Root {
  fs::path path = fs::temp_directory_path() / ("metl-dwc-export-folder-" + std::to_string(::getpid()));
  Root() { fs::create_directories(path); }
  ~Root() { fs::remove_all(path); }
};

std::string GzipOf(const fs::path& dir, const std::string& plain) {
  const std::string file = (dir / "tmp.gz").string();
  auto w = landing::CompressedFileWriter::Create(file, landing::Compression::kGzip);
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE((*w)->Write(plain).ok());
  EXPECT_TRUE((*w)->Finish().ok());
  objstore::LocalObjectStore s(dir.string());
  auto bytes = s.GetString("tmp.gz");
  fs::remove(file);
  return bytes.ok() ? *bytes : "";
}

std::vector<std::string> Lines(const ExportFile& f) {
  std::vector<std::string> out;
  Status s = ForEachExportLine(f, [&](std::string_view line, size_t) {
    out.emplace_back(line);
    return OkStatus();
  });
  EXPECT_TRUE(s.ok()) << f.key << ": " << s.error().ToString();
  return out;
}

// The same export files seen through a folder and through an object store (here a local one, the
// code path of gs://): same keys, sizes, tables, lines, ETags and records; hidden names, the
// `_landed` records and killed writers' temporaries skipped.
TEST(DwcExportFolder, AStoreListsAndReadsLikeTheFolder) {
  Root root;
  auto store = std::make_shared<objstore::LocalObjectStore>(root.path.string());
  const std::string gz = GzipOf(root.path, "{\"idaction\":1}\n{\"idaction\":2}\n");
  ASSERT_FALSE(gz.empty());
  ASSERT_TRUE(store->PutString("dwc/log_visit/date=2026-12-01/part-0.jsonl", "{\"idvisit\":1}\n\n{\"idvisit\":2}").ok());
  ASSERT_TRUE(store->PutString("dwc/log_action/part-0.jsonl.zst", gz).ok());  // the name lies: gzip inside
  ASSERT_TRUE(store->PutString("dwc/.hidden/log_visit.jsonl", "x").ok());
  ASSERT_TRUE(store->PutString("dwc/_landed/log_action/part-0.jsonl.zst.json",
                               "{\"key\":\"log_action/part-0.jsonl.zst\",\"etag\":\"abc\",\"size\":3,\"table\":"
                               "\"log_action\"}")
                  .ok());
  ASSERT_TRUE(store->PutString("dwc/_landed/broken.json", "not json").ok());

  const ExportFolder local = ExportFolder::Local(root.path / "dwc");
  const ExportFolder remote = ExportFolder::OnStore(store, "dwc/");
  EXPECT_EQ(remote.Describe(), root.path.string() + "/dwc");
  ASSERT_TRUE(remote.Exists().ok());
  EXPECT_TRUE(*remote.Exists());
  EXPECT_FALSE(*ExportFolder::OnStore(store, "nothing/").Exists());

  auto a = local.List();
  auto b = remote.List();
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  ASSERT_EQ(b->size(), 2u);
  ASSERT_EQ(a->size(), b->size());
  std::map<std::string, const ExportFile*> by_key;
  for (const auto& f : *a) by_key[f.key] = &f;
  for (const ExportFile& f : *b) {
    ASSERT_TRUE(by_key.count(f.key)) << f.key;
    const ExportFile& l = *by_key[f.key];
    EXPECT_TRUE(f.store != nullptr);
    EXPECT_EQ(f.size, l.size);
    EXPECT_EQ(f.table, l.table);
    EXPECT_EQ(f.table_name, l.table_name);
    EXPECT_EQ(Lines(f), Lines(l)) << f.key;
    auto etag = ExportFileEtag(f);
    ASSERT_TRUE(etag.ok());
    EXPECT_EQ(*etag, *FileEtag(l.path));
  }
  EXPECT_EQ(Lines(*b->begin()).size(), 2u);

  // Records: the readable one, by its key; the broken one left out (its file would be hashed).
  auto records = remote.LandedRecords();
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(records["log_action/part-0.jsonl.zst"].etag, "abc");
  EXPECT_EQ(local.LandedRecords().size(), 1u);
}

TEST(DwcExportFolder, AFileGoneFromTheStoreIsADataErrorNamingIt) {
  Root root;
  auto store = std::make_shared<objstore::LocalObjectStore>(root.path.string());
  ASSERT_TRUE(store->PutString("dwc/log_visit.jsonl", "{\"idvisit\":1}\n").ok());
  auto files = ExportFolder::OnStore(store, "dwc/").List();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  ASSERT_TRUE(store->Delete("dwc/log_visit.jsonl").ok());
  Status s = ForEachExportLine(files->front(), [](std::string_view, size_t) { return OkStatus(); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kData);
  EXPECT_NE(s.error().message().find("log_visit.jsonl"), std::string::npos) << s.error().message();
}

}  // namespace
}  // namespace metl::dwc
