#pragma once
/// @file
/// Turning the model's numbers into what the clinician reads: the WHO category, the T-score
/// interval, the "indeterminate, refer to DEXA" band and a plain-language recommendation.
///
/// Decision rule. The model card's operating threshold t on p_osteoporosis was chosen on
/// validation for sensitivity ≥ 0.90: p ≥ t screens positive. Near t a small change of the
/// film or of the model flips the answer, so a band around t is reported as indeterminate
/// (refer to DEXA) instead of giving false reassurance. The band is symmetric in log-odds,
/// |logit(p) − logit(t)| < margin, so it is sensible for thresholds near 0 as well as near 0.5
/// (t = 0.2, margin 0.5: p in 0.13–0.29; t = 0.05: 0.031–0.080).
#include <array>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "osteo/core/types.h"
#include "osteo/screening/osta.h"

namespace osteo::screening {

struct InterpretationPolicy {
  double indeterminate_logit_margin = 0.5;  ///< half-width of the indeterminate band, log-odds
  double interval_z = 1.96;                 ///< T-score interval: estimate ± z × residual SD
  /// Residual SD of the T-score head when the model card has none (SD units); deliberately wide.
  double fallback_t_residual_sd = 1.0;
};

/// The model's raw answer for one film.
struct ModelAnswer {
  std::array<double, 3> probabilities{};  ///< normal, osteopenia, osteoporosis (sum 1)
  double t_score = 0;                     ///< regressed T-score, SD units
};

struct Interpretation {
  WhoCategory category = WhoCategory::kNormal;  ///< most probable WHO class
  double p_osteoporosis = 0;
  bool screen_positive = false;  ///< p_osteoporosis ≥ threshold and not indeterminate
  bool indeterminate = false;
  double t_low = 0, t_high = 0;  ///< interval of the T-score estimate
  std::string recommendation_code;  ///< refer_dexa | indeterminate_refer_dexa | consider_dexa_osta | screen_negative
  std::string recommendation_text;
};

/// Applies the rule above. `t_residual_sd` is the validation RMSE of the T-score head from the
/// model card (nullopt: policy.fallback_t_residual_sd). A negative screen with an OSTA band of
/// "high" still recommends considering DEXA: the image does not overrule a strong clinical risk.
Interpretation interpret(const ModelAnswer& answer, double threshold, std::optional<double> t_residual_sd,
                         const std::optional<OstaResult>& osta, const InterpretationPolicy& policy = {});

}  // namespace osteo::screening
