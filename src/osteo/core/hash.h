#pragma once
/// @file SHA-256 of files and buffers (libsodium), as lower-case hex.
#include <cstdint>
#include <string>
#include <vector>

#include "osteo/core/error.h"

namespace osteo {

/// SHA-256 of a byte buffer.
std::string sha256_hex(const void* data, std::size_t size);
inline std::string sha256_hex(const std::vector<std::uint8_t>& bytes) { return sha256_hex(bytes.data(), bytes.size()); }
/// SHA-256 of a file, streamed (constant memory). kFileNotFound if it cannot be opened.
Result<std::string> sha256_file(const std::string& path);

}  // namespace osteo
