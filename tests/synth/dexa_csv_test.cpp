#include "osteo/synth/dexa_csv.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "osteo/core/date.h"

namespace osteo::synth {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

TEST(SynthDexaCsv, ExactHeaderAndWellFormedRows) {
  std::vector<SynthPatient> patients;
  for (int i = 0; i < 400; ++i) patients.push_back(plan_patient(2, i, {}, 256));
  const std::string text = dexa_csv_text(patients);
  std::istringstream in(text);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_EQ(line,
            "Patient ID,Gender,Ethnicity,Most Recent Measurement Date,Side,Neck BMD,Neck T-score,Neck Z-score,"
            "Total BMD,Total T-score,Troch BMD,Troch T-score,Wards BMD,Shaft BMD,Device");
  int rows = 0, empty_neck_t = 0, unparsable = 0, duplicates = 0;
  std::string previous;
  std::set<std::string> devices;
  while (std::getline(in, line)) {
    ++rows;
    const auto cells = split(line);
    ASSERT_EQ(cells.size(), 15u) << line;
    EXPECT_EQ(cells[0].rfind("SYN", 0), 0u);
    EXPECT_TRUE(cells[1] == "F" || cells[1] == "M");
    const auto date = parse_date(cells[3], DateOrder::kMonthFirst);
    ASSERT_TRUE(date) << cells[3];
    EXPECT_EQ(cells[3].size(), 10u);  // MM/DD/YYYY, zero-padded
    EXPECT_TRUE(cells[4] == "Left" || cells[4] == "Right");
    if (!cells[5].empty()) { EXPECT_EQ(cells[5].size() - cells[5].find('.'), 4u) << cells[5]; }  // 3 decimals
    if (!cells[6].empty()) { EXPECT_EQ(cells[6].size() - cells[6].find('.'), 2u) << cells[6]; }  // 1 decimal
    empty_neck_t += cells[6].empty();
    if (cells[8].find('l') != std::string::npos) ++unparsable;
    duplicates += line == previous;
    devices.insert(cells[14]);
    previous = line;
  }
  EXPECT_GT(rows, 500);
  EXPECT_GT(empty_neck_t, 0);
  EXPECT_GT(duplicates, 0);
  EXPECT_GE(unparsable, 0);  // rare (0.5%); FlawRatesAreMet checks the plan
  EXPECT_EQ(devices, (std::set<std::string>{"GE Lunar iDXA", "Hologic Horizon A"}));
}

TEST(SynthDexaCsv, NegativeZeroIsNotPrinted) {
  SynthPatient p;
  p.id = "SYN000001";
  p.ethnicity = "White";
  SynthDexaRow row;
  row.date = {2020, 3, 4};
  row.neck_t = -0.0;
  row.neck_z = -0.04;
  row.device = "GE Lunar iDXA";
  const auto cells = split(dexa_csv_line(p, row));
  EXPECT_EQ(cells[3], "03/04/2020");
  EXPECT_EQ(cells[6], "0.0");
  EXPECT_EQ(cells[7], "0.0");
}

}  // namespace
}  // namespace osteo::synth
