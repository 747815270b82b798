// AWS credentials, region and S3 endpoint, read in one place (DESIGN.md): the environment
// (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN), else the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials) and profile (AWS_PROFILE, else "default").
// Secrets never reach a message: errors name the variable or the file and profile only.
#pragma once

#include <map>
#include <string>

#include "cloud/aws_sigv4.h"
#include "core/error.h"

namespace metl::cloud {

using Environment = std::map<std::string, std::string>;

Result<AwsCredentials> LoadAwsCredentials(const Environment& env);

// `flag` (--region) beats AWS_REGION, which beats AWS_DEFAULT_REGION; none is a kConfig error.
Result<std::string> ResolveAwsRegion(const std::string& flag, const Environment& env);

// AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else "" (the AWS endpoint of the region).
std::string AwsS3EndpointOverride(const Environment& env);

}  // namespace metl::cloud
