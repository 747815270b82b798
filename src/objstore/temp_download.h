// An object downloaded, streamed, to a private temp file: for readers that need a file (the
// gzip/zstd decompressors of landing/compressed_file.h). Memory stays bounded whatever the
// object's size. The caller opens the file and unlinks it at once (the open handle keeps the bytes
// readable), so nothing is left behind even by a crash.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "objstore/object_store.h"

namespace metl::objstore {

// $TMPDIR/metl-dl-XXXXXX<suffix> holding `key`'s bytes (the suffix keeps an extension that selects
// a decompressor). Get's error as it is (its kind, "not found: ..."); a local write failure is
// kInternal. On error no file is left.
Result<std::string> DownloadToTempFile(ObjectStore& store, std::string_view key, std::string_view suffix = "");

}  // namespace metl::objstore
