#pragma once
/// @file
/// The model side of a screening: one checkpoint loaded once per inference worker (predict and
/// Grad-CAM are not re-entrant on one model), preprocessing with the checkpoint's own config,
/// one forward pass that yields the WHO probabilities, the T-score and the Grad-CAM map, and
/// the two pictures the page shows: the film and the heat layer, at the same size.
/// LibTorch stays out of this header.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/error.h"
#include "osteo/core/radiograph.h"
#include "osteo/screening/inputs.h"
#include "osteo/screening/interpretation.h"

namespace osteo::serve {

/// What the service tells about its model (GET /api/v1/models, every screening).
struct ModelInfo {
  std::string name;      ///< the checkpoint directory's name
  std::string version;   ///< OsteoScreen version that trained it
  std::string sha256;    ///< weights SHA-256 (verified on load)
  std::string arch;
  int input_size = 0;
  std::vector<std::string> covariates;
  double threshold = 0.5;
  std::optional<double> t_residual_sd;  ///< validation T-score RMSE, when the card has it
  nlohmann::json validation;            ///< the card's validation metrics
  nlohmann::json card;                  ///< the whole model card
  std::string report_path;              ///< <dir>/evaluation_report.html when present, else ""
};

struct EngineOutput {
  screening::ModelAnswer answer;
  bool heat_degenerate = false;  ///< Grad-CAM found no positive evidence (map all zero)
  std::string image_png;         ///< the rendered film (RGB), longer side ≤ max_side
  std::string heatmap_png;       ///< RGBA heat layer, same size as image_png
  double preprocess_ms = 0, inference_ms = 0, gradcam_ms = 0;
};

struct EngineOptions {
  int replicas = 1;          ///< one model copy per inference worker
  unsigned torch_threads = 1;  ///< LibTorch intra-op threads (process-wide setting)
  int max_side = 1024;       ///< size limit of the returned pictures (pixels)
};

class ScreeningEngine {
 public:
  /// Loads and verifies the checkpoint `dir` `options.replicas` times.
  /// Errors: those of load_checkpoint (missing dir, hash mismatch, malformed card).
  static Result<std::unique_ptr<ScreeningEngine>> load(const std::string& dir, const EngineOptions& options);
  ~ScreeningEngine();

  const ModelInfo& info() const { return info_; }
  int replicas() const;

  /// Screens one film on replica `replica` (each replica used by one thread at a time).
  /// Errors: kUnsupportedImage / kInvalidArgument when preprocessing rejects the film (e.g. a
  /// film too small for the ROI), kInternal for a LibTorch failure.
  Result<EngineOutput> screen(int replica, const Radiograph& film, const screening::ScreeningInputs& inputs) const;

 private:
  struct Impl;
  ScreeningEngine() = default;
  ModelInfo info_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace osteo::serve
