#pragma once
/// @file
/// Self-contained HTML evaluation reports: one file, inline CSS and inline SVG, no scripts, no
/// network resources, so it opens offline and can be archived with the model. Every string
/// passed in is HTML-escaped.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/eval/comparison.h"
#include "osteo/eval/evaluation.h"

namespace osteo::report {

/// A per-epoch training curve, e.g. {"train loss", {1,2,3}, {0.9,0.7,0.6}}.
struct Curve {
  std::string name;
  std::vector<double> epochs;
  std::vector<double> values;
};

/// What the report says about where the numbers come from.
struct ReportContext {
  std::string title = "OsteoScreen evaluation";
  /// e.g. "Knee X-ray Osteoporosis Database (Wani & Arora 2023)"
  std::string data_source;
  /// e.g. "quantitative ultrasound T-scores, not DEXA"
  std::string reference_standard;
  std::string split;         ///< e.g. "test split (patient-level), seed 7"; optional
  std::string generated_at;  ///< e.g. an ISO time stamp; optional (kept out by default for reproducible files)
  /// Model card (any JSON object; nested objects become nested tables). Empty/null = omitted.
  nlohmann::json model_card;
  std::vector<Curve> loss_curves;   ///< drawn in one chart (train/validation loss per epoch)
  std::vector<Curve> metric_curves; ///< drawn in one chart (e.g. validation AUROC per epoch)
};

/// The notice every report carries, verbatim.
inline constexpr const char* kNotice = "For research / screening support, not a diagnosis.";

/// Report of one model: notice, data source and reference standard, model card, metric table
/// with CIs, ROC curves (osteoporosis and low BMD, with the chance diagonal), reliability
/// diagram, training curves, confusion matrix, subgroup table.
std::string render_evaluation_report(const eval::EvaluationResult& result, const ReportContext& context);

/// Report of a comparison: table of every model with CIs, ΔAUROC and the DeLong p-value of the
/// best model against each other one, overlaid osteoporosis ROC curves, and the covariate-only
/// baseline row (a missing baseline is shown as a prominent warning rather than hidden).
std::string render_comparison_report(const eval::ComparisonResult& comparison, const ReportContext& context);

/// Writes the HTML to `path` (kIoError naming the path on failure).
Status write_report(const std::string& path, const std::string& html);

}  // namespace osteo::report
