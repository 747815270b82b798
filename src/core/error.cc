#include "core/error.h"

namespace metl {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kTransient: return "transient";
    case ErrorKind::kTerminal: return "terminal";
    case ErrorKind::kConfig: return "config";
    case ErrorKind::kData: return "data";
    case ErrorKind::kInternal: return "internal";
  }
  return "unknown";
}

std::string Error::ToString() const {
  std::string out;
  if (context_.site_id) out += "site " + std::to_string(*context_.site_id);
  if (!context_.date.empty()) out += (out.empty() ? "" : ", ") + context_.date;
  if (!out.empty()) out += ": ";
  out += message_;
  std::string detail;
  if (context_.http_status) detail += "HTTP " + std::to_string(*context_.http_status);
  if (!context_.matomo_message.empty() && message_.find(context_.matomo_message) == std::string::npos) {
    detail += (detail.empty() ? "" : "; ") + std::string("Matomo says: ") + context_.matomo_message;
  }
  if (!detail.empty()) out += " (" + detail + ")";
  if (!context_.hint.empty()) out += ". " + context_.hint;
  return out;
}

}  // namespace metl
