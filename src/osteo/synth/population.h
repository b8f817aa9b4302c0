#pragma once
/// @file
/// The synthetic hospital's people and records, before any pixel is drawn: patients with a
/// latent hip BMD, their radiograph studies and their DEXA measurements (with the flaws real
/// exports have). A patient's plan is a pure function of (seed, patient index).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "osteo/core/date.h"
#include "osteo/core/radiograph.h"
#include "osteo/core/types.h"
#include "osteo/dicom/writer.h"

namespace osteo::synth {

/// Femoral-neck reference for T-scores: NHANES III young white women, 0.858 ± 0.120 g/cm².
/// The same female reference is used for men, as ISCD recommends (2013 position), so T is
/// comparable across sexes; Z-scores use sex- and age-matched means (see population.cpp).
inline constexpr double kNeckRefMean = 0.858;
inline constexpr double kNeckRefSd = 0.120;
/// Other hip sites (Hologic NHANES III white women, approximate).
inline constexpr double kTotalRefMean = 0.942, kTotalRefSd = 0.122;
inline constexpr double kTrochRefMean = 0.758, kTrochRefSd = 0.110;
inline constexpr double kWardsRefMean = 0.743, kWardsRefSd = 0.142;

/// T-score of a femoral-neck BMD (g/cm²).
inline double neck_t_score(double bmd) { return (bmd - kNeckRefMean) / kNeckRefSd; }

/// Rates of the flaws injected into the records. Each is a probability per unit named.
struct FlawRates {
  double dexa_only_patient = 0.05;   ///< per patient: DEXA rows but no radiograph
  double out_of_window_study = 0.06; ///< per study: its only DEXA is 200–400 days away
  double no_dexa_study = 0.03;       ///< per study: no DEXA at all
  double single_side_dexa = 0.15;    ///< per DEXA session: only one hip measured
  double missing_neck_t = 0.03;      ///< per row: empty "Neck T-score"
  double missing_neck_bmd = 0.01;    ///< per row: empty "Neck BMD" (T-score kept)
  double missing_total = 0.03;       ///< per row: empty "Total BMD" and "Total T-score"
  double missing_wards = 0.05;       ///< per row: empty "Wards BMD"
  double missing_shaft = 0.05;       ///< per row: empty "Shaft BMD"
  double duplicate_row = 0.02;       ///< per row: written twice, identically
  double unparsable_number = 0.005;  ///< per row: "Total BMD" holds a typo such as "0.8l2"
};

struct SynthImage {
  int index = 0;               ///< within the study, from 1 (the file name)
  std::string rel_path;        ///< "dicom/<patient>/<study>/<n>.dcm"
  Side side = Side::kRight;
  std::string modality;        ///< CR or DX
  std::string photometric;     ///< MONOCHROME1 or MONOCHROME2
  std::string body_part;       ///< HIP or PELVIS
  std::string manufacturer;
  TransferSyntax transfer_syntax = TransferSyntax::kExplicitLittle;
  SpacingSource spacing_source = SpacingSource::kImagerPixelSpacing;
  double spacing_mm = 0.4;
  int rows = 512, columns = 416;
  std::string series_uid, sop_uid;
  std::uint64_t pixel_seed = 0;  ///< nuisance + texture stream
  double true_neck_bmd = 0;      ///< latent BMD of this side on the study date, g/cm²
};

struct SynthStudy {
  int index = 0;          ///< from 1
  Date date;
  std::string time;       ///< HHMMSS
  std::string study_uid;
  std::string accession;
  /// Which DEXA flaw this study carries: "", "out_of_window" or "no_dexa".
  std::string flaw;
  std::vector<SynthImage> images;
};

/// One CSV row: one side of one DEXA session. Empty optionals are written as empty cells.
struct SynthDexaRow {
  Date date;
  Side side = Side::kLeft;
  std::string device;
  std::optional<double> neck_bmd, neck_t, neck_z, total_bmd, total_t, troch_bmd, troch_t, wards_bmd, shaft_bmd;
  double measured_neck_bmd = 0;      ///< the value before any cell was blanked
  std::string unparsable_total;      ///< non-empty: written instead of Total BMD
  bool duplicated = false;           ///< the row is written twice
  std::vector<std::string> flaws;    ///< names of the flaws applied to this row
  int linked_study = 0;              ///< the study it was scheduled for (0 = none)
};

struct SynthPatient {
  int index = 0;               ///< from 0
  std::string id;              ///< "SYN000001"
  char sex = 'F';
  Date birth_date;
  std::string ethnicity;
  double bmi = 27;
  double base_neck_t = 0;      ///< latent neck T-score on 2018-01-01 (mean of both sides)
  double side_offset_t[2] = {0, 0};  ///< left, right
  double annual_change_t = 0;  ///< T-score units per year
  bool dexa_only = false;
  std::vector<SynthStudy> studies;
  std::vector<SynthDexaRow> dexa;

  /// Latent neck BMD of a side on a date, g/cm².
  double neck_bmd(Side side, const Date& on) const;
  /// Age in whole years on a date.
  int age_on(const Date& on) const;
};

/// Plans patient `index` of the hospital generated with `seed`. Pure function.
SynthPatient plan_patient(std::uint64_t seed, int index, const FlawRates& rates, int image_rows);

/// Deterministic DICOM UID "2.25.<decimal>" from a 128-bit hash of the parts (≤ 44 chars).
std::string synth_uid(std::uint64_t seed, const std::string& kind, int patient, int study = 0, int image = 0);

}  // namespace osteo::synth
