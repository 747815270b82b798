// A throwaway RSA service account for tests and the Google fake: generated in memory on each run
// (no key is committed), written as a Google-shaped JSON key file whose token_uri points at the fake.
// It grants nothing anywhere: no Google project knows its public key.
#pragma once

#include <string>

#include "core/error.h"

namespace metl::gfake {

struct TestServiceAccount {
  std::string client_email = "metl-test@metl-test-project.iam.gserviceaccount.com";
  std::string private_key_id = "0123456789abcdef0123456789abcdef01234567";
  std::string private_key_pem;
  std::string public_key_pem;
  // {"type":"service_account", ..., "token_uri": token_uri}
  std::string KeyJson(const std::string& token_uri) const;
};

Result<TestServiceAccount> MakeTestServiceAccount();

}  // namespace metl::gfake
