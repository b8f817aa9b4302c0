#include "osteo/core/hash.h"

#include <sodium.h>

#include <cstdio>
#include <fstream>

namespace osteo {
namespace {
std::string to_hex(const unsigned char* digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(crypto_hash_sha256_BYTES * 2, '0');
  for (std::size_t i = 0; i < crypto_hash_sha256_BYTES; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}
// sodium_init is idempotent and thread-safe; it picks the fastest implementation for this CPU.
void ensure_sodium() {
  static const int kInit = sodium_init();
  (void)kInit;
}
}  // namespace

std::string sha256_hex(const void* data, std::size_t size) {
  ensure_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, static_cast<const unsigned char*>(data), size);
  return to_hex(digest);
}

Result<std::string> sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kFileNotFound, path + ": cannot open for hashing");
  ensure_sodium();
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = in.gcount();
    if (got > 0) crypto_hash_sha256_update(&state, reinterpret_cast<unsigned char*>(buffer.data()), static_cast<unsigned long long>(got));
  }
  if (in.bad()) return fail(ErrorCode::kFileNotFound, path + ": read error while hashing");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return to_hex(digest);
}

}  // namespace osteo
