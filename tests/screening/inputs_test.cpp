#include "osteo/screening/inputs.h"

#include <gtest/gtest.h>

namespace osteo::screening {
namespace {

TEST(ScreeningInputs, ParsesAllFields) {
  auto in = parse_screening_inputs({{"age", "70"}, {"sex", "female"}, {"weight_kg", "55.5"}, {"height_m", "1.60"}});
  ASSERT_TRUE(in) << in.error().to_string();
  EXPECT_DOUBLE_EQ(*in->age_years, 70);
  EXPECT_EQ(in->sex, "F");
  EXPECT_DOUBLE_EQ(*in->weight_kg, 55.5);
  EXPECT_NEAR(*in->bmi(), 55.5 / (1.6 * 1.6), 1e-12);
}

TEST(ScreeningInputs, EmptyMeansUnknown) {
  auto in = parse_screening_inputs({{"age", ""}, {"sex", " "}, {"weight_kg", ""}});
  ASSERT_TRUE(in);
  EXPECT_FALSE(in->age_years);
  EXPECT_TRUE(in->sex.empty());
  EXPECT_FALSE(in->bmi());
  const auto j = in->to_json();
  EXPECT_TRUE(j["age"].is_null());
  EXPECT_TRUE(j["bmi"].is_null());
}

TEST(ScreeningInputs, RejectsNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"age", "seventy"}, {"age", "7"}, {"age", "1e9"}, {"age", "nan"}, {"weight_kg", "-3"},
      {"height_m", "162"}, {"height_m", "0.1"}, {"sex", "x"}};
  for (const auto& [field, value] : bad) {
    auto in = parse_screening_inputs({{field, value}});
    ASSERT_FALSE(in) << field << "=" << value;
    EXPECT_EQ(in.error().code, ErrorCode::kInvalidField);
    EXPECT_NE(in.error().message.find(field), std::string::npos) << in.error().message;
  }
  EXPECT_NE(parse_screening_inputs({{"height_m", "162"}}).error().message.find("centimetres"), std::string::npos);
}

TEST(ScreeningInputs, HeaderFillsOnlyWhatTheUserLeftEmpty) {
  RadiographMeta meta;
  meta.patient_age_years = 66;
  meta.patient_sex = "M";
  auto in = *parse_screening_inputs({{"sex", "F"}});
  in.fill_from(meta);
  EXPECT_DOUBLE_EQ(*in.age_years, 66);
  EXPECT_EQ(in.sex, "F");
}

TEST(ScreeningInputs, CanonicalJsonRounds) {
  auto a = *parse_screening_inputs({{"age", "70"}, {"weight_kg", "55"}});
  auto b = *parse_screening_inputs({{"age", "70.00001"}, {"weight_kg", "55.00002"}});
  EXPECT_EQ(a.to_json().dump(), b.to_json().dump());
}

}  // namespace
}  // namespace osteo::screening
