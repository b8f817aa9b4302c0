#pragma once
/// @file The cohort summary printed at the end of the main job and by `osteoscreen summary`.
#include <nlohmann/json.hpp>
#include <string>

#include "osteo/cohort/store.h"

namespace osteo {

/// {"store", "patients", "images", "dexa_measurements", "labels": {"total", by category,
/// "by_source"}, "matches": {reason: count}, "splits": {scheme: split_counts(...)}}.
nlohmann::json cohort_summary(CohortStore& store);

/// A few aligned lines for people (the CLI prints this without --json).
std::string format_cohort_summary(const nlohmann::json& summary);

}  // namespace osteo
