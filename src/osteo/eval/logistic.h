#pragma once
/// @file
/// L2-penalised logistic regression on standardised features, with imputation of missing
/// values, serialisable to JSON. Its main use is the covariate-only baseline (age, sex, BMI →
/// osteoporosis) that every model comparison must include: an image model is only worth its
/// cost if it beats what the clinic already knows.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"

namespace osteo::eval {

/// How a missing (NaN) feature value is filled in, from the TRAINING data only.
enum class FeatureKind {
  kContinuous,  ///< training-set mean of the observed values
  kCategorical  ///< training-set mode of the observed values (ties → the smallest value)
};

struct LogisticOptions {
  double l2 = 1e-4;  ///< ridge on the standardised slopes; the loss is the MEAN negative log-likelihood + (l2/2)·‖β‖²
  int max_iterations = 100;
  double tolerance = 1e-10;
};

/// A fitted model. Prediction: fill NaNs with impute_value, standardise with (mean, sd),
/// p = σ(intercept + Σ coefficient_j · z_j).
class LogisticModel {
 public:
  struct Feature {
    std::string name;
    FeatureKind kind = FeatureKind::kContinuous;
    double impute_value = 0.0;  ///< replaces NaN before standardising
    double mean = 0.0;          ///< of the imputed training column
    double sd = 1.0;            ///< of the imputed training column; 1 when the column is constant
    double coefficient = 0.0;   ///< per standard deviation of the feature
  };

  LogisticModel() = default;
  LogisticModel(std::vector<Feature> features, double intercept, bool converged, int iterations)
      : features_(std::move(features)), intercept_(intercept), converged_(converged), iterations_(iterations) {}

  /// P(y = 1 | x). x has one value per feature, NaN = missing. Throws OsteoError(kInvalidArgument)
  /// on a wrong length.
  double predict(const std::vector<double>& x) const;
  std::vector<double> predict_rows(const std::vector<std::vector<double>>& rows) const;

  const std::vector<Feature>& features() const { return features_; }
  /// Intercept on the standardised scale (log-odds at the training means).
  double intercept() const { return intercept_; }
  /// Slopes per ORIGINAL unit of each feature (coefficient / sd), for reporting.
  std::vector<double> raw_coefficients() const;
  /// Intercept on the original scale (log-odds when every feature is 0).
  double raw_intercept() const;
  bool converged() const { return converged_; }
  int iterations() const { return iterations_; }

  /// {"type":"logistic_regression","version":1,"intercept":…,"features":[{name,kind,impute_value,
  /// mean,sd,coefficient}],"converged":…,"iterations":…}. Doubles round-trip exactly.
  nlohmann::json to_json() const;
  /// Inverse of to_json(); kInvalidArgument naming the missing or malformed key.
  static Result<LogisticModel> from_json(const nlohmann::json& j);

 private:
  static Result<LogisticModel> parse_model(const nlohmann::json& j);

  std::vector<Feature> features_;
  double intercept_ = 0.0;
  bool converged_ = false;
  int iterations_ = 0;
};

/// Fits y (0/1) on the rows of x (NaN = missing). names and kinds give one entry per column.
/// Errors (kInvalidArgument): no rows, ragged rows, length mismatches, labels not 0/1, ±inf
/// values, a column with no observed value, only one class, or a fit that did not converge.
Result<LogisticModel> fit_logistic(const std::vector<std::vector<double>>& x, const std::vector<int>& y,
                                   const std::vector<std::string>& names, const std::vector<FeatureKind>& kinds,
                                   const LogisticOptions& options = {});

/// Covariates of one patient for the baseline. NaN / "" = unknown.
struct Covariates {
  double age_years = 0.0;
  std::string sex;  ///< "F", "M" (case-insensitive); anything else is unknown
  double bmi_kg_m2 = 0.0;
};
/// The baseline's feature row: {age_years, female (1/0, NaN unknown), bmi_kg_m2}.
std::vector<double> covariate_features(const Covariates& c);
/// The covariate-only baseline: logistic regression of the label on age (continuous, mean
/// imputed), female (categorical, mode imputed) and BMI (continuous, mean imputed).
Result<LogisticModel> fit_covariate_baseline(const std::vector<Covariates>& rows, const std::vector<int>& y,
                                             const LogisticOptions& options = {});
/// P(positive) of the baseline for each row.
std::vector<double> predict_covariate_baseline(const LogisticModel& model, const std::vector<Covariates>& rows);

}  // namespace osteo::eval
