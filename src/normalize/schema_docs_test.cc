#include "normalize/schema_docs.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "normalize/schema.h"
#include "normalize/test_support.h"

namespace metl {
namespace {

TEST(SchemaDocsTest, DocsSchemaMdIsUpToDate) {
  const std::string path = std::string(METL_SOURCE_DIR) + "/docs/schema.md";
  const std::string committed = test_support::ReadFileOrEmpty(path);
  EXPECT_TRUE(committed == SchemaMarkdown())
      << path << " is stale: the declared schema (src/normalize/schema.cc) changed. Regenerate it with\n"
      << "  matomo-etl schema --markdown > docs/schema.md\n"
      << "(or METL_UPDATE_GOLDEN=1 metl_unit_tests --gtest_filter=SchemaDocsTest.*) and commit it.";
  if (std::getenv("METL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << SchemaMarkdown();
  }
}

TEST(SchemaDocsTest, DocumentsEveryColumn) {
  const std::string md = SchemaMarkdown();
  for (const auto& t : AllTables()) {
    EXPECT_NE(md.find("## " + std::string(t.name) + "\n"), std::string::npos) << t.name;
    for (const auto& c : t.columns) EXPECT_NE(md.find("| `" + std::string(c.name) + "` |"), std::string::npos);
  }
}

}  // namespace
}  // namespace metl
