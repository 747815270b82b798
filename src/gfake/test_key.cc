#include "gfake/test_key.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "cloud/jwt.h"
#include "core/log.h"

namespace metl::gfake {

std::string TestServiceAccount::KeyJson(const std::string& token_uri) const {
  return "{\n  \"type\": \"service_account\",\n  \"project_id\": \"metl-test-project\",\n  \"private_key_id\": \"" +
         private_key_id + "\",\n  \"private_key\": \"" + JsonEscape(private_key_pem) + "\",\n  \"client_email\": \"" +
         client_email +
         "\",\n  \"client_id\": \"100000000000000000001\",\n  \"auth_uri\": "
         "\"https://accounts.google.com/o/oauth2/auth\",\n  \"token_uri\": \"" +
         token_uri + "\"\n}\n";
}

Result<TestServiceAccount> MakeTestServiceAccount() {
  TestServiceAccount sa;
  EVP_PKEY* key = EVP_RSA_gen(2048);
  if (key == nullptr) return Error(ErrorKind::kInternal, "OpenSSL could not generate an RSA key");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);  // PKCS#8, as Google's keys
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  sa.private_key_pem.assign(data, static_cast<size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(key);
  METL_ASSIGN_OR_RETURN(sa.public_key_pem, cloud::PublicKeyPemOf(sa.private_key_pem));
  return sa;
}

}  // namespace metl::gfake
