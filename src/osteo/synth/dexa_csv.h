#pragma once
/// @file
/// The synthetic DEXA export: the hospital "wide" CSV (one row per patient, side and date).
#include <string>
#include <vector>

#include "osteo/synth/population.h"

namespace osteo::synth {

/// The exact header line (no line break) that the ingest default mapping expects.
extern const char* const kDexaCsvHeader;

/// One CSV line (no line break) for a row of `patient`: dates MM/DD/YYYY, BMD with 3
/// decimals (g/cm²), T/Z with 1 decimal, empty cells for missing values.
std::string dexa_csv_line(const SynthPatient& patient, const SynthDexaRow& row);

/// The whole file: header, then every row of every patient in order, duplicates written
/// twice in a row. Lines end with "\n".
std::string dexa_csv_text(const std::vector<SynthPatient>& patients);

}  // namespace osteo::synth
