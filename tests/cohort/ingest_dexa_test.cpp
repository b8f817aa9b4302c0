// DEXA export import: wide and long layouts, custom mappings, and every kind of bad row.
#include "osteo/cohort/ingest_dexa.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace osteo {
namespace {

const char* kWideHeader =
    "Patient ID,Gender,Ethnicity,Most Recent Measurement Date,Side,Neck BMD,Neck T-score,Neck Z-score,"
    "Total BMD,Total T-score,Troch BMD,Troch T-score,Wards BMD,Shaft BMD,Device\n";

class DexaIngestTest : public ::testing::Test {
 protected:
  std::unique_ptr<CohortStore> open() {
    auto s = open_store(dir_.file("cohort.db"));
    if (!s) throw std::runtime_error(s.error().to_string());
    return std::move(*s);
  }
  std::string csv(const std::string& name, const std::string& text) {
    test::write_file(dir_.file(name), text);
    return dir_.file(name);
  }
  const DexaRecord* find(const std::vector<DexaRecord>& all, const std::string& pid, DexaSite site, Side side) {
    for (const auto& d : all) {
      if (d.patient_id == pid && d.site == site && d.side == side) return &d;
    }
    return nullptr;
  }
  test::TempDir dir_;
  std::unique_ptr<CohortStore> store_ = open();
};

TEST_F(DexaIngestTest, WideExportOneRecordPerSiteGroup) {
  const std::string path = csv("dexa.csv", std::string(kWideHeader) +
                                               "P1,Female,Asian,03/14/2021,Left,0.712,-2.6,-1.1,0.801,-1.9,0.6,-1.5,0.5,1.1,Hologic\n"
                                               "P1,Female,Asian,03/14/2021,Right,0.75,-2.3,,,,,,,,Hologic\n"
                                               "P2,Male,,12/01/2020,R,,,,0.95,-0.4,,,,,GE Lunar\n");
  auto r = ingest_dexa(*store_, path);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->layout, DexaLayout::kWide);
  EXPECT_EQ(r->rows, 3u);
  EXPECT_EQ(r->rows_imported, 3u);
  EXPECT_EQ(r->rows_bad, 0u);
  EXPECT_EQ(r->measurements_inserted, 5u + 1u + 1u);
  EXPECT_EQ(r->patients, 2u);
  EXPECT_TRUE(r->issues.empty());

  const auto all = store_->dexa();
  ASSERT_EQ(all.size(), 7u);
  const DexaRecord* neck = find(all, "P1", DexaSite::kFemoralNeck, Side::kLeft);
  ASSERT_TRUE(neck);
  EXPECT_EQ(neck->date, (Date{2021, 3, 14}));
  EXPECT_DOUBLE_EQ(*neck->bmd_g_cm2, 0.712);
  EXPECT_DOUBLE_EQ(*neck->t_score, -2.6);
  EXPECT_DOUBLE_EQ(*neck->z_score, -1.1);
  EXPECT_EQ(neck->manufacturer, "Hologic");
  EXPECT_EQ(neck->source, "dexa.csv:2");
  const DexaRecord* shaft = find(all, "P1", DexaSite::kShaft, Side::kLeft);
  ASSERT_TRUE(shaft);
  EXPECT_DOUBLE_EQ(*shaft->bmd_g_cm2, 1.1);
  EXPECT_FALSE(shaft->t_score);  // no Shaft T-score column: missing, not zero
  EXPECT_TRUE(find(all, "P1", DexaSite::kWards, Side::kLeft));
  EXPECT_TRUE(find(all, "P1", DexaSite::kTrochanter, Side::kLeft));
  const DexaRecord* right_neck = find(all, "P1", DexaSite::kFemoralNeck, Side::kRight);
  ASSERT_TRUE(right_neck);
  EXPECT_FALSE(right_neck->z_score);  // empty cell = missing value
  EXPECT_FALSE(find(all, "P1", DexaSite::kTotalHip, Side::kRight));
  const DexaRecord* total = find(all, "P2", DexaSite::kTotalHip, Side::kRight);
  ASSERT_TRUE(total);
  EXPECT_EQ(total->date, (Date{2020, 12, 1}));
  EXPECT_EQ(total->manufacturer, "GE Lunar");

  const auto patients = store_->patients();
  ASSERT_EQ(patients.size(), 2u);
  EXPECT_EQ(patients[0].sex, "F");
  EXPECT_EQ(patients[0].ethnicity, "Asian");
  EXPECT_EQ(patients[1].sex, "M");
}

TEST_F(DexaIngestTest, LongExportIsDetectedByItsSiteColumn) {
  const std::string path = csv("long.csv",
                               "patient_id,date,site,side,bmd_g_cm2,t_score,z_score,manufacturer\n"
                               "P1,2021-03-14,femoral_neck,L,0.70,-2.6,-1.0,Hologic\n"
                               "P1,2021-03-14,Total Hip,L,0.80,-1.9,,Hologic\n"
                               "P3,2019-07-02,L1-L4,,1.01,-0.5,0.1,GE\n");
  auto r = ingest_dexa(*store_, path);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->layout, DexaLayout::kLong);
  EXPECT_EQ(r->rows_imported, 3u);
  EXPECT_EQ(r->measurements_inserted, 3u);
  const auto all = store_->dexa();
  const DexaRecord* spine = find(all, "P3", DexaSite::kL1L4, Side::kUnknown);
  ASSERT_TRUE(spine);
  EXPECT_EQ(spine->date, (Date{2019, 7, 2}));
  EXPECT_DOUBLE_EQ(*spine->t_score, -0.5);
  EXPECT_EQ(spine->manufacturer, "GE");
  const DexaRecord* total = find(all, "P1", DexaSite::kTotalHip, Side::kLeft);
  ASSERT_TRUE(total);
  EXPECT_FALSE(total->z_score);
}

TEST_F(DexaIngestTest, TomlMappingRenamesColumnsAndReadsDayFirstDates) {
  const std::string path = csv("custom.csv",
                               "PID;X,Scan,Lado,FN BMD,FN T,Sexo\n"
                               "A1,04/03/2021,Left,0.7,-2.8,f\n");
  test::write_file(dir_.file("map.toml"),
                   "layout = \"wide\"\n"
                   "date_order = \"day_first\"\n"
                   "[columns]\n"
                   "patient_id = \"PID;X\"\n"
                   "date = [\"Scan Date\", \"Scan\"]\n"
                   "side = \"Lado\"\n"
                   "sex = \"Sexo\"\n"
                   "[[sites]]\n"
                   "site = \"Neck\"\n"
                   "bmd = \"FN BMD\"\n"
                   "t_score = \"FN T\"\n");
  auto mapping = load_dexa_mapping(dir_.file("map.toml"));
  ASSERT_TRUE(mapping) << mapping.error().to_string();
  auto r = ingest_dexa(*store_, path, *mapping);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->measurements_inserted, 1u);
  const auto all = store_->dexa();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].patient_id, "A1");
  EXPECT_EQ(all[0].date, (Date{2021, 3, 4}));  // 04/03 read day-first
  EXPECT_EQ(all[0].site, DexaSite::kFemoralNeck);
  EXPECT_EQ(all[0].side, Side::kLeft);
  EXPECT_DOUBLE_EQ(*all[0].t_score, -2.8);
  EXPECT_EQ(store_->patients()[0].sex, "F");
}

TEST_F(DexaIngestTest, JsonMappingForALongExport) {
  const std::string path = csv("j.csv",
                               "Subject,When,Region,T\n"
                               "S1,2022-01-05,Neck,-1.2\n");
  test::write_file(dir_.file("map.json"),
                   R"({"layout": "long", "columns": {"patient_id": "Subject", "date": "When", "site": "Region", "t_score": "T"}})");
  auto mapping = load_dexa_mapping(dir_.file("map.json"));
  ASSERT_TRUE(mapping) << mapping.error().to_string();
  auto r = ingest_dexa(*store_, path, *mapping);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->layout, DexaLayout::kLong);
  const auto all = store_->dexa();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].site, DexaSite::kFemoralNeck);
  EXPECT_DOUBLE_EQ(*all[0].t_score, -1.2);
  EXPECT_FALSE(all[0].bmd_g_cm2);
}

struct BadMapping {
  const char* file;
  const char* text;
  const char* fragment;
};

TEST_F(DexaIngestTest, InvalidMappingsAreTypedErrorsNamingTheProblem) {
  const BadMapping cases[] = {
      {"typo.toml", "[columns]\npatient = \"PID\"\n", "columns.patient"},
      {"layout.json", R"({"layout": "diagonal"})", "layout"},
      {"syntax.toml", "[columns\n", "syntax.toml:1"},
      {"syntax.json", "{\"layout\": ", "not valid JSON"},
      {"site.toml", "[[sites]]\nsite = \"elbow\"\nbmd = \"E\"\n", "elbow"},
      {"nocols.toml", "[[sites]]\nsite = \"neck\"\n", "sites[0]"},
      {"type.json", R"({"columns": {"date": 3}})", "columns.date"},
  };
  for (const auto& c : cases) {
    test::write_file(dir_.file(c.file), c.text);
    auto m = load_dexa_mapping(dir_.file(c.file));
    ASSERT_FALSE(m) << c.file;
    EXPECT_EQ(m.error().code, ErrorCode::kMappingInvalid) << c.file;
    EXPECT_NE(m.error().message.find(c.fragment), std::string::npos) << c.file << ": " << m.error().message;
  }
  auto missing = load_dexa_mapping(dir_.file("nope.toml"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFileNotFound);
}

TEST_F(DexaIngestTest, MissingRequiredColumnFailsTheWholeFileAndLeavesTheStoreUnchanged) {
  ASSERT_TRUE(ingest_dexa(*store_, csv("ok.csv", std::string(kWideHeader) + "P1,F,,01/02/2020,L,0.7,-2,,,,,,,,X\n")));
  const CohortCounts before = store_->counts();

  struct Case {
    const char* header;
    const char* fragment;
  };
  const Case cases[] = {
      {"Gender,Most Recent Measurement Date,Side,Neck BMD\n", "patient id"},
      {"Patient ID,Side,Neck BMD\n", "measurement date"},
      {"Patient ID,Most Recent Measurement Date,Side,Device\n", "site columns"},
  };
  for (const auto& c : cases) {
    // Data rows that would be valid if the header were complete.
    auto r = ingest_dexa(*store_, csv("bad.csv", std::string(c.header) + "P9,01/01/2020,L,0.5\nP8,01/01/2020,R,0.6\n"));
    ASSERT_FALSE(r) << c.header;
    EXPECT_EQ(r.error().code, ErrorCode::kCsvMissingColumn);
    EXPECT_NE(r.error().message.find(c.fragment), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("bad.csv"), std::string::npos);
  }
  const CohortCounts after = store_->counts();
  EXPECT_EQ(after.dexa, before.dexa);
  EXPECT_EQ(after.patients, before.patients);

  auto unreadable = ingest_dexa(*store_, dir_.file("absent.csv"));
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::kFileNotFound);
}

struct ExpectedIssue {
  std::size_t line;
  RowIssue::Kind kind;
  const char* fragment;
};

TEST_F(DexaIngestTest, BadRowsAndDuplicatesAreReportedWithTheirLineNumbers) {
  const std::string path = csv("rows.csv", std::string(kWideHeader) +
      /* 2 */ "P1,F,,03/14/2021,Left,0.7,-2.6,,,,,,,,H\n"
      /* 3 */ "P2,F,,2021-13-45,Left,0.7,-2.6,,,,,,,,H\n"
      /* 4 */ "P3,F,,03/14/2021,Left,0.7,minus two,,,,,,,,H\n"
      /* 5 */ ",F,,03/14/2021,Left,0.7,-2.6,,,,,,,,H\n"
      /* 6 */ "P1,F,,03/14/2021,Left,0.7,-2.6,,,,,,,,H\n"
      /* 7 */ "P4,F,,,Left,0.7,-2.6,,,,,,,,H\n"
      /* 8 */ "P5,\"multi\nline\",,03/14/2021,Both,0.7,-2.6,,,,,,,,H\n"
      /* 10 */ "P6,F,,03/14/2021,Left,,,,,,,,,,H\n"
      /* 11 */ "P7,F,,03/14/2021\n"
      /* 12 */ "P8,F,,03/14/2021,Left,710,-2.6,,,,,,,,H\n"
      /* 13 */ "P9,M,,03/14/2021,R,0.9,-0.2,,,,,,,,H\n");
  auto r = ingest_dexa(*store_, path);
  ASSERT_TRUE(r) << r.error().to_string();
  const ExpectedIssue expected[] = {
      {3, RowIssue::Kind::kBadRow, "unparsable date '2021-13-45'"},
      {4, RowIssue::Kind::kBadRow, "unparsable number 'minus two' in column 'Neck T-score'"},
      {5, RowIssue::Kind::kBadRow, "no patient id"},
      {6, RowIssue::Kind::kDuplicate, "femoral_neck duplicates line 2"},
      {7, RowIssue::Kind::kBadRow, "no measurement date"},
      {8, RowIssue::Kind::kBadRow, "unrecognised side 'Both'"},
      {10, RowIssue::Kind::kBadRow, "no BMD, T-score or Z-score"},
      {11, RowIssue::Kind::kBadRow, "4 fields"},
      {12, RowIssue::Kind::kBadRow, "implausible value 710"},
  };
  ASSERT_EQ(r->issues.size(), std::size(expected));
  for (std::size_t i = 0; i < std::size(expected); ++i) {
    EXPECT_EQ(r->issues[i].line, expected[i].line) << i;
    EXPECT_EQ(r->issues[i].kind, expected[i].kind) << i;
    EXPECT_NE(r->issues[i].reason.find(expected[i].fragment), std::string::npos) << r->issues[i].reason;
  }
  EXPECT_EQ(r->rows, 11u);
  EXPECT_EQ(r->rows_imported, 2u);
  EXPECT_EQ(r->rows_duplicate, 1u);
  EXPECT_EQ(r->rows_bad, 8u);
  EXPECT_EQ(r->rows, r->rows_imported + r->rows_bad + r->rows_duplicate);
  EXPECT_EQ(store_->counts().dexa, 2);
}

TEST_F(DexaIngestTest, ReimportReportsEveryMeasurementAsAlreadyStored) {
  const std::string path = csv("dexa.csv", std::string(kWideHeader) + "P1,F,,03/14/2021,L,0.7,-2.6,,0.8,-2,,,,,H\n");
  ASSERT_TRUE(ingest_dexa(*store_, path));
  auto again = ingest_dexa(*store_, path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows_duplicate, 1u);
  EXPECT_EQ(again->rows_imported, 0u);
  EXPECT_EQ(again->measurements_duplicate, 2u);
  EXPECT_EQ(again->measurements_inserted, 0u);
  ASSERT_EQ(again->issues.size(), 1u);  // one issue per duplicate row, naming each site
  EXPECT_EQ(again->issues[0].line, 2u);
  EXPECT_NE(again->issues[0].reason.find("duplicate row"), std::string::npos);
  EXPECT_NE(again->issues[0].reason.find("femoral_neck is already in the store"), std::string::npos);
  EXPECT_NE(again->issues[0].reason.find("total_hip is already in the store"), std::string::npos);
  EXPECT_EQ(store_->counts().dexa, 2);
  const auto j = to_json(*again);
  EXPECT_EQ(j["rows_duplicate"], 1);
  EXPECT_EQ(j["issues"][0]["kind"], "duplicate");
}

}  // namespace
}  // namespace osteo
