#pragma once
/// @file
/// The Osteoporosis Self-assessment Tool for Asians (OSTA; Koh et al., Osteoporos Int 2001):
/// a two-variable risk index shown next to the model's answer, as on the original project's
/// result page. It needs no image, so it is a useful sanity anchor for the clinician.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace osteo::screening {

struct OstaResult {
  double index = 0;       ///< 0.2 × (weight kg − age years)
  std::string band;       ///< "high" (index < −4), "moderate" (−4 ≤ index ≤ −1), "low" (index > −1)
  double age_years = 0;
  double weight_kg = 0;
  /// {"index", "band", "age", "weight_kg"}
  nlohmann::json to_json() const;
};

/// OSTA from age and weight; nullopt when either is unknown. Computed as (weight − age) / 5,
/// which equals 0.2 × (weight − age) but is exact at the band edges (−20 / 5 = −4 exactly).
std::optional<OstaResult> osta(std::optional<double> age_years, std::optional<double> weight_kg);

}  // namespace osteo::screening
