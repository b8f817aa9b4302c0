#pragma once
/// @file
/// The optional clinical fields of a screening request (age, sex, weight, height), parsed and
/// range-checked once, so the HTTP layer, the CLI and the store see the same values.
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"

namespace osteo::screening {

struct ScreeningInputs {
  std::optional<double> age_years;   ///< 18–120
  std::string sex;                   ///< "F", "M" or "" (unknown)
  std::optional<double> weight_kg;   ///< 20–300
  std::optional<double> height_m;    ///< 0.5–2.5
  /// weight / height², when both are known (kg/m²).
  std::optional<double> bmi() const;
  /// Fills fields the user left empty from the film's DICOM header (PatientAge or birth/study
  /// date, PatientSex). The user's values always win.
  void fill_from(const RadiographMeta& meta);
  /// {"age", "sex", "weight_kg", "height_m", "bmi"}; unknown = null. Canonical (sorted keys,
  /// fixed rounding) so it can be part of the de-duplication key.
  nlohmann::json to_json() const;
};

/// Parses form fields "age", "sex", "weight_kg", "height_m" (other keys are ignored; empty
/// values mean unknown). Sex accepts F/M/female/male in any case. Height in centimetres
/// (a value > 3) is rejected rather than guessed. Errors: kInvalidField naming the field, the
/// value and the accepted range.
Result<ScreeningInputs> parse_screening_inputs(const std::map<std::string, std::string>& fields);

}  // namespace osteo::screening
