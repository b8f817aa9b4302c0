#pragma once
/// @file
/// RadiographMeta ⇄ JSON. The keys are a contract (`osteoscreen inspect --json`, the store's
/// metadata column, later the REST API): rename nothing.
#include <nlohmann/json.hpp>

#include "osteo/core/radiograph.h"

namespace osteo {

/// Keys: path, format, rows, columns, bits_stored, photometric, transfer_syntax,
/// transfer_syntax_name, spacing_mm ([row, col] or null), spacing_source, magnification,
/// laterality ("L"/"R"/null), modality, body_part, view_position, manufacturer, patient_id,
/// patient_sex, patient_birth_date, patient_age_years, study_date (YYYY-MM-DD or null),
/// study_time, study_uid, series_uid, sop_instance_uid, sha256. Empty strings become null.
nlohmann::json meta_to_json(const RadiographMeta& meta);
/// Inverse of meta_to_json; missing keys leave defaults.
RadiographMeta meta_from_json(const nlohmann::json& j);

}  // namespace osteo
