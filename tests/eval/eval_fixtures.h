#pragma once
// Synthetic evaluation sets for the evaluation and report tests.
#include <cmath>
#include <string>
#include <vector>

#include "osteo/eval/evaluation.h"
#include "osteo/eval/normal.h"
#include "osteo/synth/rng.h"

namespace osteo::eval::test {

/// `patients` patients with two knees each. The model reads the true T-score with Gaussian
/// noise of `noise` SD and turns it into WHO-band probabilities; smaller noise = better model.
inline std::vector<EvalSample> synthetic_samples(int patients, double noise, std::uint64_t seed) {
  synth::Rng truth_rng(1234);  // the same truth for every model
  synth::Rng model_rng(seed);
  std::vector<EvalSample> out;
  for (int p = 0; p < patients; ++p) {
    const double patient_t = truth_rng.normal(-1.6, 1.1);
    const std::string sex = p % 3 == 0 ? "M" : "F";
    const double age = truth_rng.uniform(50.0, 92.0);
    for (int knee = 0; knee < 2; ++knee) {
      EvalSample s;
      s.patient_id = "P" + std::to_string(p);
      s.true_t_score = patient_t + truth_rng.normal(0.0, 0.3);
      s.true_category = who_category(s.true_t_score);
      s.predicted_t_score = s.true_t_score + model_rng.normal(0.0, noise);
      const double spread = 0.7;
      s.p_osteoporosis = normal_cdf((-2.5 - s.predicted_t_score) / spread);
      s.p_normal = 1.0 - normal_cdf((-1.0 - s.predicted_t_score) / spread);
      s.p_osteopenia = std::max(0.0, 1.0 - s.p_osteoporosis - s.p_normal);
      s.sex = sex;
      s.age = age;
      out.push_back(s);
    }
  }
  return out;
}

inline EvaluationOptions fast_options() {
  EvaluationOptions o;
  o.bootstrap.resamples = 200;
  return o;
}

}  // namespace osteo::eval::test
