#pragma once
/// @file
/// Architecture comparison under one protocol (osteoscreen compare): every entry is trained on
/// the same split, seed, epochs and preprocessing, evaluated on the same test split, and
/// compared (DeLong of the best against each other) together with the covariate-only baseline
/// (logistic regression on age, sex and BMI), which is always a row: an image model is only
/// worth shipping if it adds information beyond what the clinic already knows.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/eval/comparison.h"
#include "osteo/eval/logistic.h"
#include "osteo/ml/train/trainer.h"

namespace osteo::ml {

/// One entry of `--archs`: "resnet18" (image only) or "resnet18+cov" (image + clinical covariates).
struct ArchEntry {
  std::string name;              ///< as written, e.g. "resnet18+cov"; the row name in the comparison
  std::string arch;              ///< registry name, or "torchscript" (the --backbone-torchscript file)
  bool with_covariates = false;  ///< trained with CompareOptions::covariates fused into the head
  /// The entry's checkpoint directory name inside the output directory: name with '+' → '_'.
  std::string dir_name() const;
};

/// Parses a comma-separated list such as "tiny,resnet18,resnet18+cov" (spaces around entries are
/// ignored). kInvalidArgument naming the offending entry for: an unknown architecture (the
/// message lists the known ones), "torchscript" when allow_torchscript is false, an unknown
/// suffix after '+', an empty entry or list, or a duplicate.
Result<std::vector<ArchEntry>> parse_arch_list(const std::string& text, bool allow_torchscript);

/// The covariate-only baseline of a comparison: two L2-logistic regressions on (age, female,
/// BMI), one for osteoporosis vs not and one for low BMD vs normal, fitted on the training and
/// validation patients (the data the image models learn and select on). A covariate that no
/// fitting sample records is left out (and named in `dropped`); missing values of the others
/// are imputed as eval::fit_logistic does.
struct CovariateBaseline {
  eval::LogisticModel osteoporosis;
  eval::LogisticModel low_bmd;
  std::vector<std::string> features;  ///< used, of "age_years", "female", "bmi_kg_m2"
  std::vector<std::string> dropped;   ///< never observed in the fitting samples
  std::vector<std::size_t> columns;   ///< indices of `features` in eval::covariate_features()
  /// Threshold on p_osteoporosis for the target sensitivity, chosen on the fitting samples
  /// (the baseline has no separate validation split).
  double threshold = 0.5;
  double target_sensitivity = 0.9;
  long n_fit = 0;
  nlohmann::json to_json() const;
};

/// Fits the baseline on `fit` (labels from each sample's category). Errors (kInvalidArgument,
/// prefixed "covariate baseline"): no covariate recorded at all, and those of
/// eval::fit_logistic, e.g. no samples or one class only.
Result<CovariateBaseline> fit_baseline(const std::vector<TrainSample>& fit, double target_sensitivity = 0.9);

/// The baseline's predictions on `samples` as evaluation samples (reference fields as
/// evaluation_samples() fills them). p_osteoporosis is the osteoporosis model's probability;
/// the low-BMD score p_osteopenia + p_osteoporosis is max(p_low_bmd, p_osteoporosis) (the two
/// separate fits need not be ordered); no T-score prediction (NaN).
std::vector<eval::EvalSample> baseline_samples(const CovariateBaseline& baseline,
                                               const std::vector<TrainSample>& samples);

/// The name of the baseline's row.
inline constexpr const char* kBaselineName = "age+sex+BMI";

struct CompareOptions {
  std::vector<ArchEntry> entries;  ///< at least one
  /// The shared protocol (epochs, image size, batch size, seed, lr, augmentation, …). arch,
  /// covariates and out_dir are set per entry; backbone_torchscript is used by "torchscript" entries.
  TrainOptions train;
  std::vector<std::string> covariates = {"age", "sex", "bmi"};  ///< for "+cov" entries
  std::string out_dir;      ///< one checkpoint directory per entry, comparison.json, the report
  std::string report_path;  ///< default out_dir/comparison.html
  int resamples = 2000;     ///< bootstrap resamples for the CIs
};

struct CompareResult {
  eval::ComparisonResult comparison;
  /// comparison_to_json() plus "protocol" (source, split counts, options), each model's
  /// "checkpoint" and "training" (seconds, images/s, best epoch), and "baseline" (its fit).
  nlohmann::json json;
  std::string json_path;    ///< out_dir/comparison.json
  std::string report_path;  ///< the HTML report
};

/// Loads `source` once, preprocesses the train/val images once, trains every entry into
/// out_dir/<entry.dir_name()> (each also gets an evaluation_report.html of its test split),
/// evaluates each checkpoint on the test split, fits the covariate baseline on train+val,
/// runs eval::compare_models and writes comparison.json and the HTML report.
/// Errors: kInvalidArgument (no entries, bad train options, empty test split, baseline fit),
/// and any error of loading, training, evaluating or writing, prefixed with the entry's name.
Result<CompareResult> compare_architectures(const DataSource& source, const CompareOptions& options);

}  // namespace osteo::ml
