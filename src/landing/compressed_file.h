// Streaming zstd / gzip files: the part files of the landing zone. Both directions work in fixed
// buffers so memory stays bounded whatever the partition's size.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "landing/manifest.h"

namespace metl::landing {

class CompressedFileWriter {
 public:
  static Result<std::unique_ptr<CompressedFileWriter>> Create(const std::string& path, Compression c);
  virtual ~CompressedFileWriter() = default;
  virtual Status Write(std::string_view data) = 0;
  // Flushes the compressor, fsyncs and closes the file; returns the compressed size.
  virtual Result<int64_t> Finish() = 0;
};

class CompressedFileReader {
 public:
  // The compression is chosen by the file's extension (.zst or .gz).
  static Result<std::unique_ptr<CompressedFileReader>> Open(const std::string& path);
  // The compression is told by the file's first bytes (gzip 1f 8b, zstd 28 b5 2f fd), else plain:
  // for files named by someone else (Matomo's Data Warehouse Connector exports).
  static Result<std::unique_ptr<CompressedFileReader>> OpenSniffed(const std::string& path);
  virtual ~CompressedFileReader() = default;
  // Fills up to `cap` bytes; 0 at the end. A truncated or corrupt file is a kData error.
  virtual Result<size_t> Read(char* buf, size_t cap) = 0;
};

}  // namespace metl::landing
