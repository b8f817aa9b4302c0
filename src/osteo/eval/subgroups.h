#pragma once
/// @file
/// Metrics within subgroups (sex, age band): does the model work for everyone?
#include <string>
#include <vector>

namespace osteo::eval {

/// Label of the level used for a missing sex or age.
inline constexpr const char* kUnknownLevel = "unknown";

/// Default age-band edges in years: <60, 60–69, 70–79, ≥80.
inline const std::vector<double> kDefaultAgeEdges{60.0, 70.0, 80.0};

/// Band labels for ascending edges e1 < … < ek: "<e1", "e1-(e2−1)" … ">=ek" when the edges are
/// whole years (bands are [lo, hi)), else "[lo,hi)". Throws OsteoError(kInvalidArgument) unless
/// the edges are finite and strictly ascending (an empty list gives one band "all").
std::vector<std::string> age_band_labels(const std::vector<double>& edges);
/// The band label of an age in years; kUnknownLevel for NaN.
std::string age_band(double age_years, const std::vector<double>& edges);
/// "F", "M", or kUnknownLevel (case-insensitive "F"/"M"/"female"/"male").
std::string sex_level(const std::string& sex);

/// n, positives and AUROC of one subgroup level.
struct GroupAuroc {
  std::string level;
  long n = 0;
  long n_positive = 0;
  double auroc = 0.0;  ///< NaN when the level has one class only
};

/// AUROC per level. Levels are reported in `order` first (those without samples are omitted),
/// then any other level in lexicographic order. Same input errors as auroc().
std::vector<GroupAuroc> auroc_by_group(const std::vector<std::string>& levels, const std::vector<double>& scores,
                                       const std::vector<int>& labels, const std::vector<std::string>& order = {});

}  // namespace osteo::eval
