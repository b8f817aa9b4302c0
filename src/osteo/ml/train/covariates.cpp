#include "osteo/ml/train/covariates.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace osteo::ml {
namespace {

std::optional<double> json_number(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::optional<double> sex_code(const std::string& text) {
  if (text == "F" || text == "f" || text == "female") return 1.0;
  if (text == "M" || text == "m" || text == "male") return 0.0;
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& known_covariates() {
  static const std::vector<std::string> names = {"age", "sex", "bmi"};
  return names;
}

Result<std::vector<std::string>> parse_covariate_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty()) continue;
    const auto& known = known_covariates();
    if (std::find(known.begin(), known.end(), item) == known.end()) {
      return fail(ErrorCode::kInvalidArgument, "unknown covariate '" + item + "' (known: age, sex, bmi)");
    }
    if (std::find(out.begin(), out.end(), item) != out.end()) {
      return fail(ErrorCode::kInvalidArgument, "covariate '" + item + "' is listed twice");
    }
    out.push_back(item);
  }
  return out;
}

std::optional<double> covariate_value(const CovariateValues& values, const std::string& name) {
  if (name == "age") return values.age;
  if (name == "sex") return values.sex_female;
  if (name == "bmi") return values.bmi;
  return std::nullopt;
}

CovariateValues covariates_of(const ImageRecord& image) {
  CovariateValues v;
  v.age = json_number(image.covariates, "age");
  v.bmi = json_number(image.covariates, "bmi");
  if (image.covariates.is_object() && image.covariates.contains("sex") && image.covariates["sex"].is_string()) {
    v.sex_female = sex_code(image.covariates["sex"].get<std::string>());
  }
  if (!v.age) v.age = image.meta.patient_age_years;
  if (!v.sex_female) v.sex_female = sex_code(image.meta.patient_sex);
  return v;
}

Result<CovariateNormaliser> CovariateNormaliser::fit(const std::vector<std::string>& names,
                                                     const std::vector<CovariateValues>& train) {
  CovariateNormaliser n;
  for (const auto& name : names) {
    const auto& known = known_covariates();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return fail(ErrorCode::kInvalidArgument, "unknown covariate '" + name + "' (known: age, sex, bmi)");
    }
    double sum = 0, sum_sq = 0;
    int count = 0;
    for (const auto& values : train) {
      if (const auto v = covariate_value(values, name)) {
        sum += *v;
        sum_sq += *v * *v;
        ++count;
      }
    }
    if (count == 0) {
      return fail(ErrorCode::kInvalidArgument,
                  "covariate '" + name + "' is unknown for every training image: it cannot be used");
    }
    const double mean = sum / count;
    const double var = std::max(0.0, sum_sq / count - mean * mean);
    const double sd = std::sqrt(var);
    n.names.push_back(name);
    n.mean.push_back(mean);
    n.sd.push_back(sd > 1e-12 ? sd : 1.0);
    n.known.push_back(count);
  }
  return n;
}

std::vector<float> CovariateNormaliser::apply(const CovariateValues& values) const {
  std::vector<float> out(names.size(), 0.0f);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double v = covariate_value(values, names[i]).value_or(mean[i]);
    out[i] = static_cast<float>((v - mean[i]) / sd[i]);
  }
  return out;
}

nlohmann::json CovariateNormaliser::to_json() const {
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = 0; i < names.size(); ++i) {
    items.push_back({{"name", names[i]}, {"mean", mean[i]}, {"sd", sd[i]}, {"known_in_training", known[i]}});
  }
  return {{"covariates", items},
          {"coding", "sex: F=1, M=0, other/unknown = missing; age in years; bmi in kg/m2"},
          {"missing_rule", "a missing value is imputed with the training mean (standardised value 0)"},
          {"standardisation", "(value - training mean) / training SD (population SD; 1 if constant)"}};
}

Result<CovariateNormaliser> CovariateNormaliser::from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("covariates") || !j["covariates"].is_array()) {
    return fail(ErrorCode::kInvalidArgument, "covariates: expected an object with a 'covariates' array");
  }
  CovariateNormaliser n;
  for (const auto& item : j["covariates"]) {
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string() || !item.contains("mean") ||
        !item["mean"].is_number() || !item.contains("sd") || !item["sd"].is_number() || item["sd"].get<double>() <= 0) {
      return fail(ErrorCode::kInvalidArgument, "covariates: each entry needs name, mean and a positive sd");
    }
    const auto name = item["name"].get<std::string>();
    const auto& known = known_covariates();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return fail(ErrorCode::kInvalidArgument, "covariates: unknown covariate '" + name + "'");
    }
    n.names.push_back(name);
    n.mean.push_back(item["mean"].get<double>());
    n.sd.push_back(item["sd"].get<double>());
    n.known.push_back(item.value("known_in_training", 0));
  }
  return n;
}

}  // namespace osteo::ml
