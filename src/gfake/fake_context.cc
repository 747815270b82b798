#include "gfake/fake_context.h"

#include <httplib.h>
#include <openssl/rand.h>

#include <chrono>

#include "core/log.h"

namespace metl::gfake {
namespace {

double NowEpoch() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string FormatLogLine(const LoggedRequest& r) {
  std::string line = "{\"method\":\"" + JsonEscape(r.method) + "\",\"path\":\"" + JsonEscape(r.path) +
                     "\",\"query\":\"" + JsonEscape(r.query) + "\",\"status\":" + std::to_string(r.status) +
                     ",\"fault\":\"" + JsonEscape(r.fault) + "\",\"headers\":{";
  bool first = true;
  for (const auto& [k, v] : r.headers) {
    line += (first ? "\"" : ",\"") + JsonEscape(k) + "\":\"" + JsonEscape(v) + "\"";
    first = false;
  }
  return line + "}}\n";
}

}  // namespace

std::string TokenIssuer::Issue(const std::set<std::string>& scopes, double lifetime_s) {
  std::string token = "ya29.fake-" + RandomHex(24);
  std::lock_guard<std::mutex> lock(mu_);
  tokens_[token] = Issued{scopes, NowEpoch() + lifetime_s, 0};
  return token;
}

TokenIssuer::Check TokenIssuer::Use(const std::string& token, const std::vector<std::string>& any_of_scopes,
                                    int64_t revoke_after) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return Check::kUnknown;
  if (NowEpoch() >= it->second.expires_at) return Check::kExpired;
  if (revoke_after > 0 && it->second.uses >= revoke_after) return Check::kRevoked;
  ++it->second.uses;
  for (const auto& s : any_of_scopes) {
    if (it->second.scopes.count(s) > 0) return Check::kOk;
  }
  return Check::kScope;
}

int TokenIssuer::issued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(tokens_.size());
}

std::vector<std::string> TokenIssuer::IssuedTokens() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [token, issued] : tokens_) out.push_back(token);
  return out;
}

FakeContext::FakeContext(FakeOptions options) : options_(std::move(options)) {
  if (!options_.request_log_path.empty()) log_file_ = std::fopen(options_.request_log_path.c_str(), "a");
}

FakeContext::~FakeContext() {
  if (log_file_ != nullptr) std::fclose(log_file_);
}

std::string FakeContext::base_url() const {
  std::lock_guard<std::mutex> lock(mu_);
  return base_url_;
}

void FakeContext::set_base_url(std::string url) {
  std::lock_guard<std::mutex> lock(mu_);
  base_url_ = std::move(url);
}

void FakeContext::LogRequest(const httplib::Request& req, int status, const std::string& fault) {
  LoggedRequest r;
  r.method = req.method;
  r.path = req.path;
  size_t q = req.target.find('?');
  r.query = q == std::string::npos ? "" : req.target.substr(q + 1);
  for (const auto& [k, v] : req.headers) {
    std::string lower = k;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // The token travels here: the log must be greppable for leaks everywhere else.
    r.headers.emplace_back(lower, lower == "authorization" ? "<redacted>" : v);
  }
  r.status = status;
  r.fault = fault;
  std::lock_guard<std::mutex> lock(mu_);
  if (log_file_ != nullptr) {
    std::string line = FormatLogLine(r);
    std::fwrite(line.data(), 1, line.size(), log_file_);
    std::fflush(log_file_);
  }
  log_.push_back(std::move(r));
}

std::vector<LoggedRequest> FakeContext::RequestLogSnapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

void FakeContext::SendError(httplib::Response& res, int code, const std::string& reason, const std::string& message) {
  res.status = code;
  res.set_content("{\"error\":{\"code\":" + std::to_string(code) + ",\"message\":\"" + JsonEscape(message) +
                      "\",\"errors\":[{\"message\":\"" + JsonEscape(message) +
                      "\",\"domain\":\"global\",\"reason\":\"" + JsonEscape(reason) + "\"}]}}",
                  "application/json; charset=UTF-8");
}

bool FakeContext::Admit(const httplib::Request& req, httplib::Response& res,
                        const std::vector<std::string>& any_of_scopes) {
  std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!auth.starts_with(kBearer)) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\"");
    SendError(res, 401, "required", "Login Required");
    res.set_header("X-Fake-Fault", "no_token");
    return false;
  }
  switch (tokens_.Use(auth.substr(kBearer.size()), any_of_scopes, options_.faults.revoke_token_after)) {
    case TokenIssuer::Check::kOk:
      break;
    case TokenIssuer::Check::kScope:
      SendError(res, 403, "insufficientPermissions", "Request had insufficient authentication scopes.");
      res.set_header("X-Fake-Fault", "scope");
      return false;
    case TokenIssuer::Check::kUnknown:
    case TokenIssuer::Check::kExpired:
    case TokenIssuer::Check::kRevoked:
      res.set_header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
      SendError(res, 401, "authError", "Invalid Credentials");
      res.set_header("X-Fake-Fault", "invalid_token");
      return false;
  }
  uint64_t call = ++calls_;
  const FakeFaults& f = options_.faults;
  for (auto [spec, code, salt, name] :
       {std::tuple{&f.fail_429, 429, 429u, "429"}, std::tuple{&f.fail_503, 503, 503u, "503"}}) {
    if (spec->active() && spec->Fires(f.seed, salt, call)) {
      if (f.retry_after_s > 0) res.set_header("Retry-After", std::to_string(f.retry_after_s));
      if (code == 429) {
        SendError(res, 429, "rateLimitExceeded", "The rate of change requests to the object is too high.");
      } else {
        SendError(res, 503, "backendError", "Backend Error");
      }
      res.set_header("X-Fake-Fault", name);
      return false;
    }
  }
  return true;
}

bool FakeContext::NextChunkIsCut() {
  uint64_t n = ++chunks_;
  return options_.faults.cut_upload.active() && options_.faults.cut_upload.Fires(options_.faults.seed, 7, n);
}

}  // namespace metl::gfake
