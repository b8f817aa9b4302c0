#include "osteo/eval/bootstrap.h"

#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "osteo/core/error.h"
#include "osteo/eval/normal.h"
#include "osteo/eval/ranked_scores.h"
#include "osteo/eval/roc.h"
#include "osteo/synth/rng.h"

namespace osteo::eval {
namespace {

std::vector<std::string> one_patient_each(std::size_t n) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back("p" + std::to_string(i));
  return ids;
}

TEST(UniformBelow, CoversRangeEvenly) {
  std::mt19937_64 engine(7);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i) ++counts[uniform_below(engine, 6)];
  // Each cell ~ Binomial(60000, 1/6): mean 10000, sd 91; ±500 is > 5 sd.
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
  EXPECT_EQ(uniform_below(engine, 1), 0u);
}

TEST(RankedScores, EqualsAurocOfTheGatheredResample) {
  // Coarse scores force many ties; repeated indices model a patient drawn several times.
  synth::Rng rng(9);
  std::vector<double> s;
  std::vector<int> y;
  for (int i = 0; i < 60; ++i) {
    y.push_back(rng.chance(0.4));
    s.push_back(std::round(rng.normal(y.back() ? 0.8 : 0.0, 1.0) * 2.0) / 2.0);
  }
  const RankedScores ranked(s, y);
  for (int trial = 0; trial < 20; ++trial) {
    Resample idx;
    std::vector<double> gs;
    std::vector<int> gy;
    for (int k = 0; k < 60; ++k) {
      idx.push_back(static_cast<std::size_t>(rng.uniform_int(0, 59)));
      gs.push_back(s[idx.back()]);
      gy.push_back(y[idx.back()]);
    }
    EXPECT_NEAR(ranked.auroc(idx), auroc(gs, gy), 1e-12);
  }
  EXPECT_TRUE(std::isnan(ranked.auroc({0, 0})));  // one sample twice: one class
}

TEST(Bootstrap, DeterministicAndThreadIndependent) {
  synth::Rng rng(3);
  std::vector<double> s;
  std::vector<int> y;
  for (int i = 0; i < 80; ++i) {
    y.push_back(i % 3 == 0);
    s.push_back(rng.normal(y.back() ? 1.0 : 0.0, 1.0));
  }
  const auto ids = one_patient_each(s.size());
  BootstrapOptions o;
  o.resamples = 300;
  const auto a = bootstrap_auroc(s, y, ids, o);
  const auto b = bootstrap_auroc(s, y, ids, o);
  o.threads = 2;
  const auto c = bootstrap_auroc(s, y, ids, o);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_EQ(a.low, c.low);
  EXPECT_EQ(a.high, c.high);
  EXPECT_DOUBLE_EQ(a.estimate, auroc(s, y));
  EXPECT_LE(a.low, a.estimate);
  EXPECT_GE(a.high, a.estimate);
  EXPECT_EQ(a.resamples_used + a.resamples_skipped, 300);
  o.seed = 99;
  EXPECT_NE(bootstrap_auroc(s, y, ids, o).low, a.low);
}

TEST(Bootstrap, ResamplesWholePatients) {
  // Samples 0/1 belong to patient "a", 2/3/4 to "b", 5 to "c": within any resample each
  // patient's samples appear equally often.
  const std::vector<std::string> ids{"a", "a", "b", "b", "b", "c"};
  BootstrapOptions o;
  o.resamples = 200;
  bool ok = true;
  auto metric = [&](const Resample& idx) {
    std::map<std::size_t, int> c;
    for (auto i : idx) ++c[i];
    ok = ok && c[0] == c[1] && c[2] == c[3] && c[3] == c[4];
    // Three patients drawn → 3 draws; total samples = Σ sizes of drawn patients.
    return static_cast<double>(idx.size());
  };
  const auto ci = bootstrap_ci(ids, metric, o);
  EXPECT_TRUE(ok);
  EXPECT_DOUBLE_EQ(ci.estimate, 6.0);
  EXPECT_GE(ci.low, 3.0);   // at least three single-sample draws
  EXPECT_LE(ci.high, 9.0);  // at most three draws of "b"
}

TEST(Bootstrap, SkipsOneClassResamplesAndCountsThem) {
  // Three patients, only "p0" positive. A resample of 3 draws lacks p0 with probability
  // (2/3)³ = 8/27 and holds only p0 with probability (1/3)³ = 1/27: 9/27 = 1/3 are one-class.
  // Expected 2000/3 = 667 skipped, sd √(2000·⅓·⅔) = 21.
  BootstrapOptions o;
  const auto ci = bootstrap_auroc({0.9, 0.2, 0.4}, {1, 0, 0}, {"p0", "p1", "p2"}, o);
  EXPECT_EQ(ci.resamples_used + ci.resamples_skipped, 2000);
  EXPECT_NEAR(ci.resamples_skipped, 667, 90);
  EXPECT_DOUBLE_EQ(ci.estimate, 1.0);
}

TEST(Bootstrap, AllSkippedGivesNaNInterval) {
  const auto ci = bootstrap_auroc({0.1, 0.2}, {1, 1}, {"a", "b"}, {});
  EXPECT_TRUE(std::isnan(ci.estimate));
  EXPECT_TRUE(std::isnan(ci.low));
  EXPECT_EQ(ci.resamples_skipped, 2000);
}

TEST(Bootstrap, RejectsBadOptions) {
  BootstrapOptions o;
  o.resamples = 0;
  EXPECT_THROW(bootstrap_auroc({0.1, 0.2}, {0, 1}, {"a", "b"}, o), OsteoError);
  o.resamples = 10;
  o.confidence = 1.0;
  EXPECT_THROW(bootstrap_auroc({0.1, 0.2}, {0, 1}, {"a", "b"}, o), OsteoError);
}

TEST(Bootstrap, QuantileInterpolates) {
  // Type 7: h = q·(n−1); 0.25·3 = 0.75 → 1 + 0.75·(2 − 1) = 1.75.
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4}, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4}, 1.0), 4.0);
}

TEST(Bootstrap, CoverageNearNominalOnBinormalModel) {
  // Negatives N(0,1), positives N(μ,1): AUC = Φ(μ/√2). μ = √2·Φ⁻¹(0.8) gives a true AUC of 0.8.
  const double mu = std::sqrt(2.0) * normal_quantile(0.8);
  const double truth = 0.8;
  ASSERT_NEAR(normal_cdf(mu / std::sqrt(2.0)), truth, 1e-12);
  BootstrapOptions o;
  o.resamples = 250;
  int covered = 0;
  const int datasets = 200;
  for (int d = 0; d < datasets; ++d) {
    synth::Rng rng(1000 + d);
    std::vector<double> s;
    std::vector<int> y;
    for (int i = 0; i < 100; ++i) {
      y.push_back(i < 40);
      s.push_back(rng.normal(y.back() ? mu : 0.0, 1.0));
    }
    o.seed = 77 + d;
    const auto ci = bootstrap_auroc(s, y, one_patient_each(s.size()), o);
    if (ci.low <= truth && truth <= ci.high) ++covered;
  }
  const double coverage = static_cast<double>(covered) / datasets;
  EXPECT_GE(coverage, 0.85);
  EXPECT_LE(coverage, 0.99);
  RecordProperty("coverage", std::to_string(coverage));
}

}  // namespace
}  // namespace osteo::eval
