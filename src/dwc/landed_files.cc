#include "dwc/landed_files.h"

#include <algorithm>
#include <cstdlib>

#include "core/flat_json.h"
#include "core/log.h"

namespace metl::dwc {

std::string LandedFileJson(const LandedFile& f) {
  return "{\"key\":\"" + JsonEscape(f.key) + "\",\"etag\":\"" + JsonEscape(f.etag) +
         "\",\"size\":" + std::to_string(f.size) + ",\"table\":\"" + JsonEscape(f.table) + "\",\"compression\":\"" +
         JsonEscape(f.compression) + "\",\"last_modified\":\"" + JsonEscape(f.last_modified) +
         "\",\"downloaded_at\":\"" + JsonEscape(f.downloaded_at) + "\",\"source\":\"" + JsonEscape(f.source) + "\"}\n";
}

Result<LandedFile> ParseLandedFile(std::string_view json) {
  METL_ASSIGN_OR_RETURN(FlatJson j, ParseFlatJsonObject(json, "a DWC landed-file entry"));
  LandedFile f;
  f.key = FlatField(j, "key");
  f.etag = FlatField(j, "etag");
  f.size = std::atoll(FlatField(j, "size").c_str());
  f.table = FlatField(j, "table");
  f.compression = FlatField(j, "compression");
  f.last_modified = FlatField(j, "last_modified");
  f.downloaded_at = FlatField(j, "downloaded_at");
  f.source = FlatField(j, "source");
  if (f.key.empty() || f.table.empty()) {
    return Error(ErrorKind::kData, "a DWC landed-file entry lacks its key or table");
  }
  return f;
}

Result<std::vector<LandedFile>> ReadLandedFiles(objstore::ObjectStore& landing) {
  METL_ASSIGN_OR_RETURN(std::vector<objstore::ObjectInfo> entries, landing.List(kLandedDir));
  std::vector<LandedFile> out;
  for (const auto& e : entries) {
    if (!e.key.ends_with(".json")) continue;
    METL_ASSIGN_OR_RETURN(std::string text, landing.GetString(e.key));
    auto f = ParseLandedFile(text);
    if (!f.ok()) {
      return Error(ErrorKind::kData, "the DWC landed-file entry " + landing.Describe() + "/" + e.key +
                                         " is not valid: " + f.error().message())
          .WithHint("delete it and run `matomo-etl dwc extract` again: the file will land anew");
    }
    out.push_back(std::move(f).value());
  }
  std::sort(out.begin(), out.end(), [](const LandedFile& a, const LandedFile& b) { return a.key < b.key; });
  return out;
}

}  // namespace metl::dwc
