#include "landing/manifest.h"

#include <simdjson.h>

#include "core/log.h"

namespace metl::landing {

const char* PartitionStatusName(PartitionStatus status) {
  switch (status) {
    case PartitionStatus::kComplete: return "complete";
    case PartitionStatus::kPartial: return "partial";
    case PartitionStatus::kMismatch: return "mismatch";
  }
  return "complete";
}

const char* CompressionName(Compression c) { return c == Compression::kGzip ? "gzip" : "zstd"; }
const char* CompressionExtension(Compression c) { return c == Compression::kGzip ? ".jsonl.gz" : ".jsonl.zst"; }

Result<Compression> ParseCompression(std::string_view name) {
  if (name == "zstd") return Compression::kZstd;
  if (name == "gzip") return Compression::kGzip;
  return Error(ErrorKind::kConfig, "unknown compression '" + std::string(name) + "': expected zstd or gzip");
}

std::string FormatIsoUtc(int64_t epoch_seconds) {
  std::string s = FormatDateTime(epoch_seconds);
  s[10] = 'T';
  return s + "Z";
}

namespace {

std::string Q(std::string_view s) { return "\"" + JsonEscape(s) + "\""; }

}  // namespace

std::string ManifestToJson(const Manifest& m) {
  std::string j = "{\n";
  auto field = [&](std::string_view key, const std::string& value, bool last = false) {
    j += "  \"" + std::string(key) + "\": " + value + (last ? "\n" : ",\n");
  };
  field("format_version", std::to_string(m.format_version));
  field("site_id", std::to_string(m.site_id));
  field("date", Q(m.date.ToString()));
  field("site_timezone", Q(m.site_timezone));
  field("status", Q(PartitionStatusName(m.status)));
  field("visits", std::to_string(m.visits));
  field("matomo_nb_visits", m.matomo_nb_visits ? std::to_string(*m.matomo_nb_visits) : "null");
  field("bytes", std::to_string(m.bytes));
  field("content_sha256", Q(m.content_sha256));
  field("truncated_visits", std::to_string(m.truncated_visits));
  field("invalid_utf8_replaced", std::to_string(m.invalid_utf8_replaced));
  field("compression", Q(CompressionName(m.compression)));
  std::string parts = "[";
  for (size_t i = 0; i < m.parts.size(); ++i) {
    const auto& p = m.parts[i];
    parts += std::string(i ? ",\n    " : "\n    ") + "{\"file\": " + Q(p.file) +
             ", \"visits\": " + std::to_string(p.visits) + ", \"bytes\": " + std::to_string(p.bytes) +
             ", \"compressed_bytes\": " + std::to_string(p.compressed_bytes) + "}";
  }
  parts += m.parts.empty() ? "]" : "\n  ]";
  field("parts", parts);
  field("matomo_version", Q(m.matomo_version));
  field("source_url", Q(m.source_url));
  std::string req = "{";
  for (size_t i = 0; i < m.request.size(); ++i) {
    req += (i ? ", " : "") + Q(m.request[i].first) + ": " + Q(m.request[i].second);
  }
  field("request", req + "}");
  field("requests", std::to_string(m.requests));
  field("extracted_at", Q(m.extracted_at));
  field("extractor_version", Q(m.extractor_version), true);
  return j + "}\n";
}

namespace {

Error Bad(const std::string& what) { return Error(ErrorKind::kData, "invalid _manifest.json: " + what); }

}  // namespace

Result<Manifest> ParseManifest(std::string_view json) {
  using namespace simdjson;
  ondemand::parser parser;
  padded_string padded(json);
  Manifest m;
  bool has_site = false, has_date = false, has_visits = false, has_hash = false, has_status = false;
  try {
    ondemand::document doc = parser.iterate(padded);
    ondemand::object obj = doc.get_object();
    for (auto f : obj) {
      std::string_view key = f.unescaped_key();
      ondemand::value v = f.value();
      if (key == "format_version") {
        m.format_version = static_cast<int>(int64_t(v));
      } else if (key == "site_id") {
        m.site_id = int64_t(v);
        has_site = true;
      } else if (key == "date") {
        auto d = CivilDate::Parse(std::string_view(v));
        if (!d.ok()) return Bad("bad date");
        m.date = *d;
        has_date = true;
      } else if (key == "site_timezone") {
        m.site_timezone = std::string(std::string_view(v));
      } else if (key == "status") {
        std::string_view s = v;
        if (s == "complete") m.status = PartitionStatus::kComplete;
        else if (s == "partial") m.status = PartitionStatus::kPartial;
        else if (s == "mismatch") m.status = PartitionStatus::kMismatch;
        else return Bad("unknown status '" + std::string(s) + "'");
        has_status = true;
      } else if (key == "visits") {
        m.visits = int64_t(v);
        has_visits = true;
      } else if (key == "matomo_nb_visits") {
        if (v.is_null()) m.matomo_nb_visits.reset();
        else m.matomo_nb_visits = int64_t(v);
      } else if (key == "bytes") {
        m.bytes = int64_t(v);
      } else if (key == "content_sha256") {
        m.content_sha256 = std::string(std::string_view(v));
        has_hash = true;
      } else if (key == "truncated_visits") {
        m.truncated_visits = int64_t(v);
      } else if (key == "invalid_utf8_replaced") {
        m.invalid_utf8_replaced = int64_t(v);
      } else if (key == "compression") {
        auto c = ParseCompression(std::string_view(v));
        if (!c.ok()) return Bad(c.error().message());
        m.compression = *c;
      } else if (key == "parts") {
        for (auto pv : v.get_array()) {
          ManifestPart p;
          for (auto pf : pv.get_object()) {
            std::string_view pk = pf.unescaped_key();
            if (pk == "file") p.file = std::string(std::string_view(pf.value()));
            else if (pk == "visits") p.visits = int64_t(pf.value());
            else if (pk == "bytes") p.bytes = int64_t(pf.value());
            else if (pk == "compressed_bytes") p.compressed_bytes = int64_t(pf.value());
          }
          if (p.file.empty() || p.file.find('/') != std::string::npos) return Bad("bad part file name");
          m.parts.push_back(std::move(p));
        }
      } else if (key == "matomo_version") {
        m.matomo_version = std::string(std::string_view(v));
      } else if (key == "source_url") {
        m.source_url = std::string(std::string_view(v));
      } else if (key == "request") {
        for (auto rf : v.get_object()) {
          std::string k(std::string_view(rf.unescaped_key()));
          m.request.emplace_back(std::move(k), std::string(std::string_view(rf.value())));
        }
      } else if (key == "requests") {
        m.requests = int64_t(v);
      } else if (key == "extracted_at") {
        m.extracted_at = std::string(std::string_view(v));
      } else if (key == "extractor_version") {
        m.extractor_version = std::string(std::string_view(v));
      }
    }
  } catch (const simdjson_error& e) {
    return Bad(e.what());
  }
  if (!has_site || !has_date || !has_visits || !has_hash || !has_status) {
    return Bad("missing one of site_id, date, status, visits, content_sha256");
  }
  if (m.format_version != 1) return Bad("unsupported format_version " + std::to_string(m.format_version));
  return m;
}

}  // namespace metl::landing
