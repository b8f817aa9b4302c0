#include "osteo/ml/eval/evaluate_model.h"

#include <cmath>
#include <fstream>

namespace osteo::ml {

eval::EvalSample reference_sample(const TrainSample& s) {
  eval::EvalSample e;
  e.patient_id = s.patient_id;
  e.true_t_score = s.t_score;
  e.true_category = s.category;
  if (s.covariates.sex_female) e.sex = *s.covariates.sex_female >= 0.5 ? "F" : "M";
  e.age = s.covariates.age.value_or(std::nan(""));
  return e;
}

Result<std::vector<eval::EvalSample>> evaluation_samples(Checkpoint& checkpoint, const std::vector<TrainSample>& samples,
                                                         const PredictOptions& options) {
  auto predictions = predict_samples(checkpoint, samples, options);
  if (!predictions) return tl::unexpected(predictions.error());
  std::vector<eval::EvalSample> out;
  out.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& p = (*predictions)[i];
    eval::EvalSample e = reference_sample(samples[i]);
    e.p_normal = p.p_normal;
    e.p_osteopenia = p.p_osteopenia;
    e.p_osteoporosis = p.p_osteoporosis;
    e.predicted_t_score = p.t_score;
    out.push_back(std::move(e));
  }
  return out;
}

void training_curves(const std::string& checkpoint_dir, std::vector<report::Curve>& loss_curves,
                     std::vector<report::Curve>& metric_curves) {
  std::ifstream in(checkpoint_dir + "/training_log.json");
  if (!in) return;
  const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  const auto& epochs = j.is_array() ? j : j.value("epochs", nlohmann::json::array());
  if (!epochs.is_array()) return;
  report::Curve train{"train loss", {}, {}}, val{"validation loss", {}, {}};
  report::Curve auroc_op{"val AUROC osteoporosis", {}, {}}, auroc_low{"val AUROC low BMD", {}, {}};
  auto add = [](report::Curve& c, double epoch, const nlohmann::json& v) {
    if (v.is_number()) {
      c.epochs.push_back(epoch);
      c.values.push_back(v.get<double>());
    }
  };
  for (const auto& e : epochs) {
    if (!e.is_object() || !e.contains("epoch") || !e["epoch"].is_number()) continue;
    const double epoch = e["epoch"].get<double>();
    add(train, epoch, e.value("train_loss", nlohmann::json()));
    add(val, epoch, e.value("val_loss", nlohmann::json()));
    add(auroc_op, epoch, e.value("val_auroc_osteoporosis", nlohmann::json()));
    add(auroc_low, epoch, e.value("val_auroc_low_bmd", nlohmann::json()));
  }
  loss_curves = {train, val};
  metric_curves = {auroc_op, auroc_low};
}

}  // namespace osteo::ml
