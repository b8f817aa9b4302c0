#pragma once
/// @file
/// The synthetic hospital: a folder of DICOM hip/pelvis radiographs, the DEXA export that goes
/// with them, and the ground truth. Output is a pure function of (patients, seed, image size):
/// the same options give the same bytes in every file, whatever the thread count.
///
/// Layout of `out_dir`:
///   dicom/<patient id>/<study n>/<image n>.dcm
///   dexa_export.csv   (hospital wide format, see dexa_csv.h)
///   truth.json        (per patient, study, image and DEXA row: latent BMD, category, flaws,
///                      the DEXA row a correct matcher should pick)
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/dicom/writer.h"
#include "osteo/synth/phantom.h"
#include "osteo/synth/population.h"

namespace osteo::synth {

struct SynthOptions {
  int patients = 100;
  std::uint64_t seed = 1;
  int image_rows = 512;  ///< rows of each radiograph (columns = 0.8 × rows); 64..2048
  unsigned threads = 0;  ///< 0 = all cores
  bool progress = false; ///< draw a progress bar on stderr
  FlawRates rates;
};

/// Matching window the truth assumes: a DEXA within this many days of the study date.
inline constexpr int kMatchWindowDays = 183;

/// The phantom parameters of a planned image (its BMD, side, view, and the nuisance drawn from
/// its pixel seed): what make_image_spec renders. Tests use it to locate the neck ROI.
PhantomParams phantom_params(const SynthPatient& patient, const SynthImage& image);

/// Renders the image and fills every DICOM tag for one planned image (stored values already
/// inverted for MONOCHROME1). Deterministic.
DicomImageSpec make_image_spec(const SynthPatient& patient, const SynthStudy& study, const SynthImage& image);

/// The ground truth document of a set of planned patients (see the file comment).
nlohmann::json truth_json(const std::vector<SynthPatient>& patients, const SynthOptions& options);

/// Writes the hospital into `out_dir` and returns the summary (counts by modality, transfer
/// syntax, photometric, category; DEXA rows; flaws; bytes; seconds).
/// `out_dir` must be absent, empty, or a previous synth output (recognised by its truth.json),
/// whose dicom/, dexa_export.csv and truth.json are then replaced; anything else is
/// kInvalidArgument. kInvalidArgument for out-of-range options, kIoError when a write fails.
Result<nlohmann::json> generate_hospital(const std::string& out_dir, const SynthOptions& options);

}  // namespace osteo::synth
