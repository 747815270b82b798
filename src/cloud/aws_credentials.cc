#include "cloud/aws_credentials.h"

#include <fstream>

namespace metl::cloud {
namespace {

std::string Get(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

Result<AwsCredentials> LoadAwsCredentials(const Environment& env) {
  std::string id = Get(env, "AWS_ACCESS_KEY_ID"), secret = Get(env, "AWS_SECRET_ACCESS_KEY");
  if (!id.empty() || !secret.empty()) {
    if (id.empty() || secret.empty()) {
      return Error(ErrorKind::kConfig, std::string("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY") +
                                           (id.empty() ? " (or the reverse)" : ""))
          .WithHint("export both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither to use ~/.aws/credentials");
    }
    return AwsCredentials{id, secret, Get(env, "AWS_SESSION_TOKEN"), "the AWS_ACCESS_KEY_ID environment variable"};
  }
  std::string file = Get(env, "AWS_SHARED_CREDENTIALS_FILE");
  if (file.empty()) {
    std::string home = Get(env, "HOME");
    if (!home.empty()) file = home + "/.aws/credentials";
  }
  std::string profile = Get(env, "AWS_PROFILE");
  if (profile.empty()) profile = "default";
  std::ifstream in(file);
  if (file.empty() || !in) {
    return Error(ErrorKind::kConfig, "no AWS credentials: AWS_ACCESS_KEY_ID is not set and " +
                                         (file.empty() ? std::string("there is no HOME") : file + " cannot be read"))
        .WithHint(
            "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), "
            "or write them to ~/.aws/credentials under [" +
            profile + "]");
  }
  AwsCredentials c;
  c.source = "profile [" + profile + "] of " + file;
  std::string line, section;
  bool found = false;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = Trim(line.substr(1, line.size() - 2));
      if (section.starts_with("profile ")) section = Trim(section.substr(8));  // ~/.aws/config's spelling
      found = found || section == profile;
      continue;
    }
    if (section != profile) continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = Trim(line.substr(0, eq)), value = Trim(line.substr(eq + 1));
    if (key == "aws_access_key_id") c.access_key_id = value;
    if (key == "aws_secret_access_key") c.secret_access_key = value;
    if (key == "aws_session_token") c.session_token = value;
  }
  if (!found || c.access_key_id.empty() || c.secret_access_key.empty()) {
    return Error(ErrorKind::kConfig, "no AWS credentials in " + c.source +
                                         (found ? " (aws_access_key_id or aws_secret_access_key missing)" : ""))
        .WithHint(
            "add aws_access_key_id and aws_secret_access_key under [" + profile + "] in " + file +
            ", set AWS_PROFILE to a profile that has them, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  }
  return c;
}

Result<std::string> ResolveAwsRegion(const std::string& flag, const Environment& env) {
  if (!flag.empty()) return flag;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    std::string v = Get(env, name);
    if (!v.empty()) return v;
  }
  return Error(ErrorKind::kConfig, "no AWS region for the S3 bucket")
      .WithHint("pass --region (e.g. --region eu-west-1, the bucket's region) or export AWS_REGION");
}

std::string AwsS3EndpointOverride(const Environment& env) {
  std::string e = Get(env, "AWS_ENDPOINT_URL_S3");
  if (e.empty()) e = Get(env, "AWS_ENDPOINT_URL");
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

}  // namespace metl::cloud
