#include "osteo/cohort/csv.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace osteo {
namespace {

TEST(Csv, QuotedFieldsEscapedQuotesEmbeddedCommasAndNewlines) {
  const std::string text =
      "id,name,note\n"
      "1,\"Smith, Ann\",\"said \"\"hi\"\"\"\n"
      "2,\"two\nlines\",x\n"
      "3,plain,\n";
  auto t = parse_csv(text, "t.csv");
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(t->header, (std::vector<std::string>{"id", "name", "note"}));
  ASSERT_EQ(t->records.size(), 3u);
  EXPECT_EQ(t->records[0].fields, (std::vector<std::string>{"1", "Smith, Ann", "said \"hi\""}));
  EXPECT_EQ(t->records[1].fields, (std::vector<std::string>{"2", "two\nlines", "x"}));
  EXPECT_EQ(t->records[2].fields, (std::vector<std::string>{"3", "plain", ""}));
  for (const auto& r : t->records) EXPECT_TRUE(r.error.empty()) << r.error;
}

TEST(Csv, PhysicalLineNumbersCountEmbeddedNewlinesAndBlankLines) {
  const std::string text = "a,b\n1,\"x\ny\nz\"\n\n2,w\n";
  auto t = parse_csv(text, "t.csv");
  ASSERT_TRUE(t);
  ASSERT_EQ(t->records.size(), 2u);
  EXPECT_EQ(t->records[0].line, 2u);
  EXPECT_EQ(t->records[1].line, 6u);  // lines 2-4 are one record, line 5 is blank
}

TEST(Csv, BomAndCrlf) {
  const std::string text = "\xEF\xBB\xBFPatient ID,Side\r\nP1,L\r\n\"P2\",\"R\r\nx\"\r\nP3,R";
  auto t = parse_csv(text, "t.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->header[0], "Patient ID");  // BOM stripped
  ASSERT_EQ(t->records.size(), 3u);
  EXPECT_EQ(t->records[0].fields, (std::vector<std::string>{"P1", "L"}));
  EXPECT_EQ(t->records[1].fields[1], "R\nx");
  EXPECT_EQ(t->records[2].line, 5u);
  EXPECT_EQ(t->records[2].fields, (std::vector<std::string>{"P3", "R"}));  // no final newline
}

TEST(Csv, HeaderLookupIsCaseInsensitiveAndTrimmed) {
  auto t = parse_csv(" Patient ID ,T-Score\nP1,-2\n", "t.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->column("patient id"), std::optional<std::size_t>(0));
  EXPECT_EQ(t->column("  T-SCORE"), std::optional<std::size_t>(1));
  EXPECT_FALSE(t->column("z-score"));
  EXPECT_EQ(t->column_any({"z", "t-score"}), std::optional<std::size_t>(1));
  EXPECT_EQ(CsvTable::field(t->records[0], std::nullopt), "");
  EXPECT_EQ(CsvTable::field(t->records[0], std::size_t{7}), "");
}

TEST(Csv, MalformedRecordsAreFlaggedNotDropped) {
  auto t = parse_csv("a,b\n1,2,3\n\"x\"y,2\n4\n5,6\n", "t.csv");
  ASSERT_TRUE(t);
  ASSERT_EQ(t->records.size(), 4u);
  EXPECT_NE(t->records[0].error.find("3 fields"), std::string::npos) << t->records[0].error;
  EXPECT_NE(t->records[1].error.find("closing quote"), std::string::npos) << t->records[1].error;
  EXPECT_NE(t->records[2].error.find("1 fields"), std::string::npos);
  EXPECT_TRUE(t->records[3].error.empty());
}

TEST(Csv, UnclosedQuoteNamesTheLineWhereItOpened) {
  auto t = parse_csv("a,b\n1,2\n3,\"open\n4,5\n", "bad.csv");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, ErrorCode::kCsvBadRow);
  EXPECT_NE(t.error().message.find("bad.csv:3"), std::string::npos) << t.error().message;
}

TEST(Csv, EmptyMissingAndDirectoryFiles) {
  test::TempDir dir;
  test::write_file(dir.file("empty.csv"), "");
  auto empty = read_csv_file(dir.file("empty.csv"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kEmptyFile);
  auto blank = parse_csv("\n\r\n", "blank.csv");
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().code, ErrorCode::kEmptyFile);
  auto missing = read_csv_file(dir.file("missing.csv"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
  EXPECT_NE(missing.error().message.find("missing.csv"), std::string::npos);
  auto directory = read_csv_file(dir.path().string());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, ErrorCode::kFileNotFound);
  test::write_file(dir.file("big.csv"), "a,b\n1,2\n");
  auto big = read_csv_file(dir.file("big.csv"), 4);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::kFileTooLarge);
}

TEST(Csv, HeaderOnlyHasNoRecords) {
  auto t = parse_csv("a,b\r\n", "h.csv");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->records.empty());
}

}  // namespace
}  // namespace osteo
