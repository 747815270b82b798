#include "cloud/jwt.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "core/base64.h"
#include "core/flat_json.h"

namespace metl::cloud {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Ctx = std::unique_ptr<EVP_MD_CTX, CtxFree>;

Bio MemBio(std::string_view pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

Result<Key> ReadPrivateKey(std::string_view pem) {
  Bio bio = MemBio(pem);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    return Error(ErrorKind::kConfig, "the key file's private_key is not a PEM RSA private key")
        .WithHint("download a new JSON key for the service account (IAM > Service accounts > Keys)");
  }
  return key;
}

}  // namespace

Result<std::string> SignRs256Jwt(std::string_view header_json, std::string_view claims_json,
                                 std::string_view private_key_pem) {
  METL_ASSIGN_OR_RETURN(Key key, ReadPrivateKey(private_key_pem));
  std::string signing_input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(claims_json);
  Ctx ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return Error(ErrorKind::kInternal, "OpenSSL could not sign the service-account assertion");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
    return Error(ErrorKind::kInternal, "OpenSSL could not sign the service-account assertion");
  }
  sig.resize(len);
  return signing_input + "." + Base64UrlEncode(sig);
}

Result<std::string> VerifyRs256Jwt(std::string_view jwt, std::string_view public_key_pem) {
  size_t dot1 = jwt.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos) {
    return Error(ErrorKind::kTerminal, "the assertion is not a JWT (three dot-separated segments)");
  }
  auto header = Base64Decode(jwt.substr(0, dot1));
  auto claims = Base64Decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  auto sig = Base64Decode(jwt.substr(dot2 + 1));
  if (!header || !claims || !sig) return Error(ErrorKind::kTerminal, "the assertion is not base64url");
  auto h = ParseFlatJsonObject(*header, "the JWT header");
  if (!h.ok()) return Error(ErrorKind::kTerminal, h.error().message());
  if (FlatField(*h, "alg") != "RS256") return Error(ErrorKind::kTerminal, "the JWT's alg is not RS256");
  Bio bio = MemBio(public_key_pem);
  Key key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return Error(ErrorKind::kConfig, "not a PEM public key");
  Ctx ctx(EVP_MD_CTX_new());
  std::string_view signing_input = jwt.substr(0, dot2);
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
    return Error(ErrorKind::kTerminal, "Invalid JWT Signature.");
  }
  return *claims;
}

Result<std::string> PublicKeyPemOf(std::string_view private_key_pem) {
  METL_ASSIGN_OR_RETURN(Key key, ReadPrivateKey(private_key_pem));
  Bio out(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) {
    return Error(ErrorKind::kInternal, "OpenSSL could not write the public key");
  }
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace metl::cloud
