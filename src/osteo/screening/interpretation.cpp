#include "osteo/screening/interpretation.h"

#include <algorithm>
#include <cmath>

namespace osteo::screening {
namespace {

double logit(double p) {
  const double q = std::clamp(p, 1e-9, 1.0 - 1e-9);
  return std::log(q / (1.0 - q));
}

}  // namespace

Interpretation interpret(const ModelAnswer& answer, double threshold, std::optional<double> t_residual_sd,
                         const std::optional<OstaResult>& osta, const InterpretationPolicy& policy) {
  Interpretation r;
  const auto& p = answer.probabilities;
  r.category = static_cast<WhoCategory>(std::max_element(p.begin(), p.end()) - p.begin());
  r.p_osteoporosis = p[2];
  const double sd = t_residual_sd && *t_residual_sd > 0 ? *t_residual_sd : policy.fallback_t_residual_sd;
  r.t_low = answer.t_score - policy.interval_z * sd;
  r.t_high = answer.t_score + policy.interval_z * sd;
  r.indeterminate = std::abs(logit(r.p_osteoporosis) - logit(threshold)) < policy.indeterminate_logit_margin;
  r.screen_positive = !r.indeterminate && r.p_osteoporosis >= threshold;
  if (r.indeterminate) {
    r.recommendation_code = "indeterminate_refer_dexa";
    r.recommendation_text =
        "Indeterminate: the estimate is close to the decision threshold. Refer for DEXA to measure bone density.";
  } else if (r.screen_positive) {
    r.recommendation_code = "refer_dexa";
    r.recommendation_text =
        "Screen positive for low bone density: refer for DEXA to confirm, and assess fracture risk (e.g. FRAX).";
  } else if (osta && osta->band == "high") {
    r.recommendation_code = "consider_dexa_osta";
    r.recommendation_text =
        "Radiograph screen negative, but the OSTA index indicates high risk: consider DEXA on clinical grounds.";
  } else {
    r.recommendation_code = "screen_negative";
    r.recommendation_text =
        "Screen negative: this radiograph gives no reason to refer for DEXA. It does not exclude osteoporosis; "
        "follow the usual clinical risk assessment.";
  }
  return r;
}

}  // namespace osteo::screening
