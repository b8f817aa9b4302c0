#include "osteo/eval/logistic.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "osteo/eval/irls.h"

namespace osteo::eval {

namespace {

const char* kind_name(FeatureKind k) { return k == FeatureKind::kCategorical ? "categorical" : "continuous"; }



}  // namespace

double LogisticModel::predict(const std::vector<double>& x) const {
  if (x.size() != features_.size())
    throw OsteoError(ErrorCode::kInvalidArgument, "LogisticModel::predict: expected " +
                                                      std::to_string(features_.size()) + " features, got " +
                                                      std::to_string(x.size()));
  double eta = intercept_;
  for (std::size_t j = 0; j < x.size(); ++j) {
    const Feature& f = features_[j];
    const double v = std::isnan(x[j]) ? f.impute_value : x[j];
    eta += f.coefficient * (v - f.mean) / f.sd;
  }
  return sigmoid(eta);
}

std::vector<double> LogisticModel::predict_rows(const std::vector<std::vector<double>>& rows) const {
  std::vector<double> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(predict(r));
  return out;
}

std::vector<double> LogisticModel::raw_coefficients() const {
  std::vector<double> out;
  for (const auto& f : features_) out.push_back(f.coefficient / f.sd);
  return out;
}

double LogisticModel::raw_intercept() const {
  double b = intercept_;
  for (const auto& f : features_) b -= f.coefficient * f.mean / f.sd;
  return b;
}

nlohmann::json LogisticModel::to_json() const {
  nlohmann::json feats = nlohmann::json::array();
  for (const auto& f : features_)
    feats.push_back({{"name", f.name},
                     {"kind", kind_name(f.kind)},
                     {"impute_value", f.impute_value},
                     {"mean", f.mean},
                     {"sd", f.sd},
                     {"coefficient", f.coefficient}});
  return {{"type", "logistic_regression"}, {"version", 1},          {"intercept", intercept_},
          {"features", feats},             {"converged", converged_}, {"iterations", iterations_}};
}

Result<LogisticModel> LogisticModel::from_json(const nlohmann::json& j) {
  try {
    return parse_model(j);
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("logistic model JSON: ") + e.what());
  }
}

Result<LogisticModel> LogisticModel::parse_model(const nlohmann::json& j) {
  const std::string where = "logistic model JSON: ";
  if (!j.is_object() || j.value("type", "") != "logistic_regression")
    return fail(ErrorCode::kInvalidArgument, where + "not an object with type \"logistic_regression\"");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() != 1)
    return fail(ErrorCode::kInvalidArgument, where + "unsupported or missing \"version\" (expected 1)");
  if (!j.contains("intercept") || !j["intercept"].is_number())
    return fail(ErrorCode::kInvalidArgument, where + "missing numeric \"intercept\"");
  if (!j.contains("features") || !j["features"].is_array())
    return fail(ErrorCode::kInvalidArgument, where + "missing array \"features\"");
  std::vector<Feature> features;
  for (std::size_t i = 0; i < j["features"].size(); ++i) {
    const auto& fj = j["features"][i];
    const std::string at = where + "features[" + std::to_string(i) + "]";
    if (!fj.is_object() || !fj.contains("name") || !fj["name"].is_string())
      return fail(ErrorCode::kInvalidArgument, at + ": missing string \"name\"");
    Feature f;
    f.name = fj["name"].get<std::string>();
    const std::string kind = fj.value("kind", "");
    if (kind == "continuous")
      f.kind = FeatureKind::kContinuous;
    else if (kind == "categorical")
      f.kind = FeatureKind::kCategorical;
    else
      return fail(ErrorCode::kInvalidArgument, at + ": \"kind\" must be continuous or categorical");
    for (auto [key, dst] : {std::pair<const char*, double*>{"impute_value", &f.impute_value},
                            {"mean", &f.mean}, {"sd", &f.sd}, {"coefficient", &f.coefficient}}) {
      if (!fj.contains(key) || !fj[key].is_number())
        return fail(ErrorCode::kInvalidArgument, at + ": missing numeric \"" + key + "\"");
      *dst = fj[key].get<double>();
    }
    if (!(f.sd > 0.0)) return fail(ErrorCode::kInvalidArgument, at + ": \"sd\" must be > 0");
    features.push_back(std::move(f));
  }
  // Optional fields: absent means default, present with the wrong type is an error value.
  if (j.contains("converged") && !j["converged"].is_boolean())
    return fail(ErrorCode::kInvalidArgument, where + "\"converged\" must be a boolean");
  if (j.contains("iterations") && !j["iterations"].is_number_integer())
    return fail(ErrorCode::kInvalidArgument, where + "\"iterations\" must be an integer");
  return LogisticModel(std::move(features), j["intercept"].get<double>(), j.value("converged", false),
                       j.value("iterations", 0));
}

Result<LogisticModel> fit_logistic(const std::vector<std::vector<double>>& x, const std::vector<int>& y,
                                   const std::vector<std::string>& names, const std::vector<FeatureKind>& kinds,
                                   const LogisticOptions& options) {
  const std::size_t n = x.size();
  const std::size_t p = names.size();
  if (n == 0) return fail(ErrorCode::kInvalidArgument, "fit_logistic: no training rows");
  if (kinds.size() != p) return fail(ErrorCode::kInvalidArgument, "fit_logistic: names and kinds differ in length");
  if (y.size() != n) return fail(ErrorCode::kInvalidArgument, "fit_logistic: rows and labels differ in length");
  if (!(options.l2 >= 0.0)) return fail(ErrorCode::kInvalidArgument, "fit_logistic: l2 must be >= 0");
  long positives = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i].size() != p)
      return fail(ErrorCode::kInvalidArgument, "fit_logistic: row " + std::to_string(i) + " has " +
                                                   std::to_string(x[i].size()) + " values, expected " + std::to_string(p));
    for (std::size_t f = 0; f < p; ++f)
      if (std::isinf(x[i][f]))
        return fail(ErrorCode::kInvalidArgument, "fit_logistic: row " + std::to_string(i) + " feature " + names[f] +
                                                     " is infinite");
    if (y[i] != 0 && y[i] != 1)
      return fail(ErrorCode::kInvalidArgument, "fit_logistic: label " + std::to_string(i) + " is not 0/1");
    positives += y[i];
  }
  if (positives == 0 || positives == static_cast<long>(n))
    return fail(ErrorCode::kInvalidArgument, "fit_logistic: the training labels contain one class only");

  std::vector<LogisticModel::Feature> features(p);
  for (std::size_t f = 0; f < p; ++f) {
    LogisticModel::Feature& feat = features[f];
    feat.name = names[f];
    feat.kind = kinds[f];
    std::vector<double> observed;
    for (const auto& row : x)
      if (!std::isnan(row[f])) observed.push_back(row[f]);
    if (observed.empty())
      return fail(ErrorCode::kInvalidArgument, "fit_logistic: feature " + names[f] + " has no observed value");
    if (feat.kind == FeatureKind::kContinuous) {
      double s = 0.0;
      for (double v : observed) s += v;
      feat.impute_value = s / static_cast<double>(observed.size());
    } else {
      std::map<double, long> counts;  // ordered, so ties go to the smallest value
      for (double v : observed) ++counts[v];
      long best = -1;
      for (const auto& [v, c] : counts)
        if (c > best) {
          best = c;
          feat.impute_value = v;
        }
    }
    double mean = 0.0;
    for (const auto& row : x) mean += std::isnan(row[f]) ? feat.impute_value : row[f];
    mean /= static_cast<double>(n);
    double var = 0.0;
    for (const auto& row : x) {
      const double d = (std::isnan(row[f]) ? feat.impute_value : row[f]) - mean;
      var += d * d;
    }
    const double sd = std::sqrt(var / static_cast<double>(n));
    feat.mean = mean;
    // A constant column carries no information; sd 1 keeps it finite (its slope fits to ~0).
    feat.sd = sd > 1e-12 ? sd : 1.0;
  }

  std::vector<std::vector<double>> z(n, std::vector<double>(p));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < p; ++f) {
      const double v = std::isnan(x[i][f]) ? features[f].impute_value : x[i][f];
      z[i][f] = (v - features[f].mean) / features[f].sd;
    }
  IrlsOptions io;
  io.l2 = options.l2;
  io.max_iterations = options.max_iterations;
  io.tolerance = options.tolerance;
  const IrlsFit fit = fit_irls(z, y, io);
  if (!fit.converged)
    return fail(ErrorCode::kInvalidArgument,
                "fit_logistic: Newton-Raphson did not converge in " + std::to_string(fit.iterations) +
                    " iterations (perfectly separable data? raise l2)");
  for (std::size_t f = 0; f < p; ++f) features[f].coefficient = fit.beta[f + 1];
  return LogisticModel(std::move(features), fit.beta[0], fit.converged, fit.iterations);
}

std::vector<double> covariate_features(const Covariates& c) {
  const std::string s = c.sex.size() == 1 ? std::string(1, static_cast<char>(std::toupper(c.sex[0]))) : c.sex;
  double female = std::nan("");
  if (s == "F") female = 1.0;
  if (s == "M") female = 0.0;
  return {c.age_years, female, c.bmi_kg_m2};
}

Result<LogisticModel> fit_covariate_baseline(const std::vector<Covariates>& rows, const std::vector<int>& y,
                                             const LogisticOptions& options) {
  std::vector<std::vector<double>> x;
  x.reserve(rows.size());
  for (const auto& r : rows) x.push_back(covariate_features(r));
  return fit_logistic(x, y, {"age_years", "female", "bmi_kg_m2"},
                      {FeatureKind::kContinuous, FeatureKind::kCategorical, FeatureKind::kContinuous}, options);
}

std::vector<double> predict_covariate_baseline(const LogisticModel& model, const std::vector<Covariates>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(model.predict(covariate_features(r)));
  return out;
}

}  // namespace osteo::eval
