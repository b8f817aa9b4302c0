#include "osteo/screening/osta.h"

#include <gtest/gtest.h>

namespace osteo::screening {
namespace {

TEST(Osta, IndexIsFifthOfWeightMinusAge) {
  const auto r = osta(70.0, 55.0);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->index, -3.0);
  EXPECT_EQ(r->band, "moderate");
}

TEST(Osta, BandEdgesBelongToModerate) {
  EXPECT_EQ(osta(70.0, 50.0)->band, "moderate");   // exactly −4
  EXPECT_EQ(osta(70.0, 65.0)->band, "moderate");   // exactly −1
  EXPECT_EQ(osta(70.0, 49.9)->band, "high");       // −4.02
  EXPECT_EQ(osta(70.0, 65.1)->band, "low");        // −0.98
  EXPECT_EQ(osta(80.0, 45.0)->band, "high");       // −7
  EXPECT_EQ(osta(50.0, 80.0)->band, "low");        // +6
}

TEST(Osta, UnknownWithoutAgeOrWeight) {
  EXPECT_FALSE(osta(std::nullopt, 60.0));
  EXPECT_FALSE(osta(60.0, std::nullopt));
}

TEST(Osta, JsonCarriesInputs) {
  const auto j = osta(70.0, 55.0)->to_json();
  EXPECT_EQ(j["band"], "moderate");
  EXPECT_DOUBLE_EQ(j["index"].get<double>(), -3.0);
  EXPECT_DOUBLE_EQ(j["age"].get<double>(), 70.0);
  EXPECT_DOUBLE_EQ(j["weight_kg"].get<double>(), 55.0);
}

}  // namespace
}  // namespace osteo::screening
