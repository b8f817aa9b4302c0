#pragma once
/// @file
/// The screening service behind the HTTP routes: it validates a request, de-duplicates it,
/// runs decode → preprocess → inference → Grad-CAM on the bounded worker pool, interprets the
/// answer, and stores the complete result in one insert. Nothing here knows about HTTP; every
/// failure is an Error from the catalogue (whose status the API answers).
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "osteo/cohort/store.h"
#include "osteo/core/error.h"
#include "osteo/image/read.h"
#include "osteo/screening/interpretation.h"
#include "osteo/serve/screening_engine.h"
#include "osteo/serve/upload_decoder.h"
#include "osteo/serve/worker_pool.h"

namespace osteo::serve {

struct ServiceOptions {
  std::string model_dir;
  std::string db;                    ///< the SQLite store holding the screenings
  int workers = 1;                   ///< inference workers (one model replica each; the CLI picks one per core)
  std::size_t queue_capacity = 8;    ///< waiting jobs beyond which requests get 503
  int timeout_ms = 120000;           ///< longest wait for a queued job before 503 timeout
  unsigned torch_threads = 1;        ///< LibTorch intra-op threads shared by the workers
  int retry_after_seconds = 2;       ///< Retry-After of every 503
  ReadLimits read_limits{60'000'000, 64u << 20};
  screening::InterpretationPolicy policy;
};

/// An uploaded file as the service sees it.
struct Upload {
  std::string filename;
  std::string bytes;
};

struct ScreeningAnswer {
  nlohmann::json body;  ///< the API object
  bool created = false;  ///< false: the same request was answered before (same object)
};

class ScreeningService {
 public:
  /// Opens the store (kStoreError etc. when it cannot be opened) and starts the workers; the
  /// model loads in the background (ready() turns true, or load_error() is set).
  static Result<std::unique_ptr<ScreeningService>> start(const ServiceOptions& options);
  ~ScreeningService();

  bool ready() const { return ready_.load(); }
  /// The load failure, once loading has failed.
  std::optional<Error> load_error() const;
  /// Blocks until the model is loaded or failed (for the CLI's start-up message and tests).
  void wait_until_loaded() const;
  int retry_after_seconds() const { return options_.retry_after_seconds; }

  /// POST /api/v1/screenings. Errors: kNotReady, kInvalidField (form), kEmptyFile, the
  /// decoder's (415/422/413), kServiceBusy (queue full), kTimeout.
  Result<ScreeningAnswer> screen(Upload upload, const std::map<std::string, std::string>& form);
  /// POST /api/v1/previews: the rendered film as a PNG data URL plus header fields for the
  /// form. Errors as screen() (except the model ones).
  Result<nlohmann::json> preview(Upload upload);

  Result<nlohmann::json> screening(const std::string& id);
  /// "image" or "heatmap" PNG bytes. kNotFound.
  Result<std::string> picture(const std::string& id, const std::string& which);
  nlohmann::json history(int limit, int offset);
  /// The DICOM result of a screening made from a DICOM film: kind "sr" (TID 1500 Structured
  /// Report) or "sc" (Secondary Capture with the heat map burned in), as Part-10 bytes.
  /// kNotFound for an unknown id or a PNG/JPEG screening.
  Result<std::string> dicom_result(const std::string& id, const std::string& kind);
  /// GET /api/v1/models (kNotReady while loading).
  Result<nlohmann::json> models() const;
  /// The model's evaluation report HTML. kNotFound when the name is not the model or it has none.
  Result<std::string> model_report(const std::string& name) const;

 private:
  explicit ScreeningService(const ServiceOptions& options);
  template <class T>
  Result<T> run_on_pool(std::function<Result<T>(int worker)> job);
  nlohmann::json with_urls(nlohmann::json body) const;
  /// The stored screening (PNGs included when `with_images`); kNotFound for an unknown or
  /// malformed id.
  Result<ScreeningRecord> find(const std::string& id, bool with_images);

  ServiceOptions options_;
  std::unique_ptr<UploadDecoder> decoder_;
  std::unique_ptr<CohortStore> store_;
  std::mutex store_mutex_;  // the store is one SQLite connection
  std::unique_ptr<ScreeningEngine> engine_;
  std::atomic<bool> ready_{false};
  mutable std::mutex load_mutex_;
  std::optional<Error> load_error_;
  std::thread loader_;
  std::unique_ptr<WorkerPool> pool_;  // last: destroyed first, so no job outlives the rest
};

}  // namespace osteo::serve
