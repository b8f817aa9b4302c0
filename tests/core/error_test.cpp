#include "osteo/core/error.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace osteo {
namespace {

TEST(ErrorCatalogue, CodesAreUniqueAndStatusesAreHttp) {
  std::size_t n = 0;
  const ErrorInfo* rows = error_catalogue(&n);
  ASSERT_GT(n, 10u);
  std::set<std::string> names;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(names.insert(rows[i].name).second) << "duplicate code " << rows[i].name;
    EXPECT_GE(rows[i].http_status, 400);
    EXPECT_LT(rows[i].http_status, 600);
    EXPECT_EQ(static_cast<std::size_t>(rows[i].code), i) << "catalogue out of enum order";
  }
}

TEST(ErrorCatalogue, UserInputErrorsAreNever500) {
  // A bad upload must never look like a server fault.
  for (auto code : {ErrorCode::kEmptyFile, ErrorCode::kDicomParse, ErrorCode::kDecodeFailed,
                    ErrorCode::kPixelLimit, ErrorCode::kUnsupportedFormat, ErrorCode::kCsvBadRow,
                    ErrorCode::kCsvMissingColumn, ErrorCode::kFileTooLarge}) {
    EXPECT_LT(error_info(code).http_status, 500) << error_info(code).name;
  }
}

Result<int> parse_positive(int v) {
  if (v <= 0) return fail(ErrorCode::kInvalidArgument, "value " + std::to_string(v) + " is not positive");
  return v;
}

TEST(ErrorResult, CarriesCodeAndMessage) {
  auto ok = parse_positive(3);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().to_string(), "invalid_argument: value -1 is not positive");
  EXPECT_EQ(bad.error().http_status(), 400);
  EXPECT_THROW(value_or_throw(parse_positive(0)), OsteoError);
}

}  // namespace
}  // namespace osteo
