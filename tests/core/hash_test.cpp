#include "osteo/core/hash.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace osteo {
namespace {

// FIPS 180-2 test vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, FileMatchesBufferAcrossChunkBoundaries) {
  test::TempDir dir;
  std::string content(3 * (1 << 20) + 17, '\0');  // spans several 1 MiB read chunks
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 31 + 7);
  test::write_file(dir.file("blob"), content);
  auto h = sha256_file(dir.file("blob"));
  ASSERT_TRUE(h);
  EXPECT_EQ(*h, sha256_hex(content.data(), content.size()));
}

TEST(Sha256, MissingFileIsTypedError) {
  auto h = sha256_file("/nonexistent/osteo/file.dcm");
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().code, ErrorCode::kFileNotFound);
  EXPECT_NE(h.error().message.find("/nonexistent/osteo/file.dcm"), std::string::npos);
}

}  // namespace
}  // namespace osteo
