#include "landing/compressed_file.h"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace metl::landing {
namespace {

constexpr size_t kIoBuffer = 1 << 17;

Error IoError(const std::string& what, const std::string& path) {
  return Error(ErrorKind::kInternal, what + " " + path + ": " + std::strerror(errno));
}

// Owns a FILE* and writes whole buffers.
class File {
 public:
  File() = default;
  ~File() {
    if (f_) std::fclose(f_);
  }
  Status OpenWrite(const std::string& path) {
    path_ = path;
    f_ = std::fopen(path.c_str(), "wbx");
    if (!f_) return IoError("cannot create", path);
    return OkStatus();
  }
  Status OpenRead(const std::string& path) {
    path_ = path;
    f_ = std::fopen(path.c_str(), "rb");
    if (!f_) return IoError("cannot open", path);
    return OkStatus();
  }
  Status WriteAll(const void* data, size_t n) {
    if (n && std::fwrite(data, 1, n, f_) != n) return IoError("cannot write", path_);
    written_ += static_cast<int64_t>(n);
    return OkStatus();
  }
  Result<size_t> ReadSome(void* data, size_t cap) {
    size_t n = std::fread(data, 1, cap, f_);
    if (n == 0 && std::ferror(f_)) return IoError("cannot read", path_);
    return n;
  }
  Status SyncAndClose() {
    if (std::fflush(f_) != 0 || ::fsync(fileno(f_)) != 0) return IoError("cannot flush", path_);
    int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) return IoError("cannot close", path_);
    return OkStatus();
  }
  int64_t written() const { return written_; }
  const std::string& path() const { return path_; }

 private:
  FILE* f_ = nullptr;
  std::string path_;
  int64_t written_ = 0;
};

class ZstdWriter final : public CompressedFileWriter {
 public:
  ~ZstdWriter() override { ZSTD_freeCCtx(cctx_); }
  Status Init(const std::string& path) {
    METL_TRY(file_.OpenWrite(path));
    cctx_ = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
    out_.resize(ZSTD_CStreamOutSize());
    return OkStatus();
  }
  Status Write(std::string_view data) override { return Pump(data, ZSTD_e_continue); }
  Result<int64_t> Finish() override {
    METL_TRY(Pump({}, ZSTD_e_end));
    METL_TRY(file_.SyncAndClose());
    return file_.written();
  }

 private:
  Status Pump(std::string_view data, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    for (;;) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      size_t rc = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(rc)) return Error(ErrorKind::kInternal, std::string("zstd: ") + ZSTD_getErrorName(rc));
      METL_TRY(file_.WriteAll(out_.data(), out.pos));
      bool done = mode == ZSTD_e_end ? rc == 0 : in.pos == in.size;
      if (done) return OkStatus();
    }
  }
  File file_;
  ZSTD_CCtx* cctx_ = nullptr;
  std::vector<char> out_;
};

class GzipWriter final : public CompressedFileWriter {
 public:
  ~GzipWriter() override {
    if (init_) deflateEnd(&z_);
  }
  Status Init(const std::string& path) {
    METL_TRY(file_.OpenWrite(path));
    std::memset(&z_, 0, sizeof z_);
    if (deflateInit2(&z_, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Error(ErrorKind::kInternal, "zlib: deflateInit2 failed");
    }
    init_ = true;
    out_.resize(kIoBuffer);
    return OkStatus();
  }
  Status Write(std::string_view data) override { return Pump(data, Z_NO_FLUSH); }
  Result<int64_t> Finish() override {
    METL_TRY(Pump({}, Z_FINISH));
    METL_TRY(file_.SyncAndClose());
    return file_.written();
  }

 private:
  Status Pump(std::string_view data, int flush) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    for (;;) {
      z_.next_out = reinterpret_cast<Bytef*>(out_.data());
      z_.avail_out = static_cast<uInt>(out_.size());
      int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) return Error(ErrorKind::kInternal, "zlib: deflate failed");
      METL_TRY(file_.WriteAll(out_.data(), out_.size() - z_.avail_out));
      if (flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) return OkStatus();
    }
  }
  File file_;
  z_stream z_;
  bool init_ = false;
  std::vector<char> out_;
};

class ZstdReader final : public CompressedFileReader {
 public:
  ~ZstdReader() override { ZSTD_freeDCtx(dctx_); }
  Status Init(const std::string& path) {
    METL_TRY(file_.OpenRead(path));
    dctx_ = ZSTD_createDCtx();
    in_.resize(ZSTD_DStreamInSize());
    return OkStatus();
  }
  Result<size_t> Read(char* buf, size_t cap) override {
    ZSTD_outBuffer out{buf, cap, 0};
    while (out.pos == 0) {
      if (in_pos_ == in_size_) {
        METL_ASSIGN_OR_RETURN(size_t n, file_.ReadSome(in_.data(), in_.size()));
        if (n == 0) {
          if (!frame_done_) return Error(ErrorKind::kData, "truncated zstd file " + file_.path());
          return size_t{0};
        }
        in_size_ = n;
        in_pos_ = 0;
      }
      ZSTD_inBuffer in{in_.data(), in_size_, in_pos_};
      size_t rc = ZSTD_decompressStream(dctx_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(rc)) {
        return Error(ErrorKind::kData, "corrupt zstd file " + file_.path() + ": " + ZSTD_getErrorName(rc));
      }
      frame_done_ = rc == 0;
    }
    return out.pos;
  }

 private:
  File file_;
  ZSTD_DCtx* dctx_ = nullptr;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_size_ = 0;
  bool frame_done_ = true;  // an empty file is an empty stream
};

class GzipReader final : public CompressedFileReader {
 public:
  ~GzipReader() override {
    if (init_) inflateEnd(&z_);
  }
  Status Init(const std::string& path) {
    METL_TRY(file_.OpenRead(path));
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit2(&z_, 15 + 32) != Z_OK) return Error(ErrorKind::kInternal, "zlib: inflateInit2 failed");
    init_ = true;
    in_.resize(kIoBuffer);
    return OkStatus();
  }
  Result<size_t> Read(char* buf, size_t cap) override {
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = static_cast<uInt>(cap);
    while (z_.avail_out == cap) {
      if (z_.avail_in == 0) {
        METL_ASSIGN_OR_RETURN(size_t n, file_.ReadSome(in_.data(), in_.size()));
        if (n == 0) {
          if (!member_done_) return Error(ErrorKind::kData, "truncated gzip file " + file_.path());
          return size_t{0};
        }
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(n);
      }
      if (member_done_) {  // a new gzip member follows (concatenated files)
        inflateReset(&z_);
        member_done_ = false;
      }
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Error(ErrorKind::kData, "corrupt gzip file " + file_.path() + (z_.msg ? std::string(": ") + z_.msg : ""));
      }
    }
    return cap - z_.avail_out;
  }

 private:
  File file_;
  z_stream z_;
  bool init_ = false;
  bool member_done_ = false;
  std::vector<char> in_;
};

class PlainReader final : public CompressedFileReader {
 public:
  Status Init(const std::string& path) { return file_.OpenRead(path); }
  Result<size_t> Read(char* buf, size_t cap) override { return file_.ReadSome(buf, cap); }

 private:
  File file_;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Result<std::unique_ptr<CompressedFileWriter>> CompressedFileWriter::Create(const std::string& path, Compression c) {
  if (c == Compression::kGzip) {
    auto w = std::make_unique<GzipWriter>();
    METL_TRY(w->Init(path));
    return std::unique_ptr<CompressedFileWriter>(std::move(w));
  }
  auto w = std::make_unique<ZstdWriter>();
  METL_TRY(w->Init(path));
  return std::unique_ptr<CompressedFileWriter>(std::move(w));
}

Result<std::unique_ptr<CompressedFileReader>> CompressedFileReader::Open(const std::string& path) {
  if (EndsWith(path, ".zst")) {
    auto r = std::make_unique<ZstdReader>();
    METL_TRY(r->Init(path));
    return std::unique_ptr<CompressedFileReader>(std::move(r));
  }
  if (EndsWith(path, ".gz")) {
    auto r = std::make_unique<GzipReader>();
    METL_TRY(r->Init(path));
    return std::unique_ptr<CompressedFileReader>(std::move(r));
  }
  return Error(ErrorKind::kData, "unknown part file type (expected .zst or .gz): " + path);
}

}  // namespace metl::landing

namespace metl::landing {

Result<std::unique_ptr<CompressedFileReader>> CompressedFileReader::OpenSniffed(const std::string& path) {
  unsigned char magic[4] = {0, 0, 0, 0};
  size_t n = 0;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    n = std::fread(magic, 1, sizeof magic, f);
    std::fclose(f);
  } else {
    return IoError("cannot open", path);
  }
  if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    auto r = std::make_unique<GzipReader>();
    METL_TRY(r->Init(path));
    return std::unique_ptr<CompressedFileReader>(std::move(r));
  }
  if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd) {
    auto r = std::make_unique<ZstdReader>();
    METL_TRY(r->Init(path));
    return std::unique_ptr<CompressedFileReader>(std::move(r));
  }
  auto r = std::make_unique<PlainReader>();
  METL_TRY(r->Init(path));
  return std::unique_ptr<CompressedFileReader>(std::move(r));
}

}  // namespace metl::landing
