#pragma once
/// @file
/// Clinical covariates fused into the model head (age, sex, BMI): extraction from store records,
/// and the normalisation fitted on the training split and stored in the model card.
///
/// Rules (recorded in the card):
///  - sex is coded F = 1, M = 0; "O" or unknown is missing;
///  - a missing value is imputed with the TRAINING mean (so it standardises to exactly 0, i.e.
///    "no information"), for training, validation and serving alike;
///  - each covariate is standardised with the training mean and SD (population SD; an SD of 0,
///    a constant covariate, is replaced by 1).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/cohort/records.h"
#include "osteo/core/error.h"

namespace osteo::ml {

/// Raw covariate values of one image; nullopt = unknown.
struct CovariateValues {
  std::optional<double> age;         ///< years
  std::optional<double> sex_female;  ///< 1 female, 0 male
  std::optional<double> bmi;         ///< kg/m²
};

/// Names accepted by --covariates, in canonical order: "age", "sex", "bmi".
const std::vector<std::string>& known_covariates();

/// Parses "age,sex,bmi" (any order, no repeats; "" = none). kInvalidArgument naming the bad entry.
Result<std::vector<std::string>> parse_covariate_list(const std::string& text);

/// The value named `name` ("age", "sex", "bmi") of `values`.
std::optional<double> covariate_value(const CovariateValues& values, const std::string& name);

/// Covariates of a stored image: manifest images from their covariates JSON (age, sex, bmi);
/// DICOM images from the header (PatientAge or birth/study date, PatientSex; BMI unknown).
CovariateValues covariates_of(const ImageRecord& image);

/// Fitted normalisation; apply() turns raw values into the model's covariate vector.
struct CovariateNormaliser {
  std::vector<std::string> names;  ///< in model input order
  std::vector<double> mean;        ///< training mean (also the imputed value)
  std::vector<double> sd;          ///< training SD (1 when constant)
  std::vector<int> known;          ///< training samples where the value was known

  /// Fits on the training samples. kInvalidArgument for an unknown name or a covariate that is
  /// unknown in every training sample (nothing to learn from, nothing to impute with).
  static Result<CovariateNormaliser> fit(const std::vector<std::string>& names, const std::vector<CovariateValues>& train);
  /// Standardised vector (size names.size()), missing values imputed.
  std::vector<float> apply(const CovariateValues& values) const;
  std::size_t size() const { return names.size(); }

  nlohmann::json to_json() const;
  /// kInvalidArgument naming the bad key.
  static Result<CovariateNormaliser> from_json(const nlohmann::json& j);
};

}  // namespace osteo::ml
