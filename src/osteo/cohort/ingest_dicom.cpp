#include "osteo/cohort/ingest_dicom.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "osteo/cohort/ingest_common.h"
#include "osteo/core/parallel.h"
#include "osteo/core/progress.h"

namespace fs = std::filesystem;

namespace osteo {
namespace {

// Files per parallel read; bounds memory (results are held until written) while keeping
// every reader thread busy.
constexpr std::size_t kBatch = 512;

Result<std::vector<std::string>> list_files(const fs::path& root, std::vector<IngestFailure>& failures) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return fail(ErrorCode::kFileNotFound, root.string() + ": cannot list: " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) {
      failures.push_back({it->path().string(), error_info(ErrorCode::kFileNotFound).name, "cannot list: " + ec.message()});
      ec.clear();
      continue;
    }
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) files.push_back(it->path().string());
  }
  // Deterministic order: ids and reports do not depend on the file system's listing order.
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<DicomIngestReport> ingest_dicom(CohortStore& store, const std::string& dir, const DicomIngestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(ErrorCode::kFileNotFound, dir + ": not a folder");
  DicomIngestReport report;
  const fs::path root = fs::weakly_canonical(fs::absolute(dir), ec);
  if (ec) return fail(ErrorCode::kFileNotFound, dir + ": " + ec.message());
  report.root = root.string();

  std::vector<IngestFailure> listing_failures;
  auto files = list_files(root, listing_failures);
  if (!files) return tl::unexpected<Error>(files.error());
  report.files_seen = files->size() + listing_failures.size();
  report.failed = listing_failures.size();
  report.failures = std::move(listing_failures);

  Progress progress("ingest dicom", files->size(), options.progress);
  std::vector<Result<RadiographMeta>> metas;
  try {
    store.transaction([&] {
      for (std::size_t first = 0; first < files->size(); first += kBatch) {
        const std::size_t count = std::min(kBatch, files->size() - first);
        metas.assign(count, Result<RadiographMeta>(RadiographMeta{}));
        parallel_for(count, options.threads, [&](std::size_t i) {
          metas[i] = read_radiograph_meta((*files)[first + i], options.limits);
          progress.advance();
        });
        for (std::size_t i = 0; i < count; ++i) {
          const std::string& path = (*files)[first + i];
          auto& meta = metas[i];
          if (!meta) {
            const ErrorCode code = meta.error().code;
            const bool not_dicom = code == ErrorCode::kUnsupportedFormat || code == ErrorCode::kEmptyFile;
            ++(not_dicom ? report.not_dicom : report.failed);
            report.failures.push_back({path, meta.error().name(), meta.error().message});
            continue;
          }
          if (meta->format != "dicom") {
            ++report.not_dicom;
            report.failures.push_back({path, error_info(ErrorCode::kUnsupportedFormat).name,
                                       path + ": is a " + meta->format + " image, not DICOM (use ingest manifest for labelled PNG/JPEG)"});
            continue;
          }
          if (!meta->patient_id.empty()) {
            store.upsert_patient({meta->patient_id, meta->patient_sex, meta->birth_date, ""});
          } else {
            ++report.without_patient_id;
          }
          ImageRecord image;
          image.meta = std::move(*meta);
          image.meta.path = path;
          image.source = "dicom";
          switch (store.upsert_image(image)) {
            case UpsertOutcome::kInserted: ++report.inserted; break;
            case UpsertOutcome::kUpdated: ++report.updated; break;
            case UpsertOutcome::kUnchanged: ++report.unchanged; break;
          }
        }
      }
    });
  } catch (const OsteoError& e) {
    return tl::unexpected<Error>(import_rolled_back(report.root, e.error()));
  }
  progress.finish();
  std::sort(report.failures.begin(), report.failures.end(),
            [](const IngestFailure& a, const IngestFailure& b) { return a.path < b.path; });
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

nlohmann::json to_json(const DicomIngestReport& r) {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& f : r.failures) failures.push_back({{"path", f.path}, {"code", f.code}, {"message", f.message}});
  return {{"kind", "dicom"},
          {"root", r.root},
          {"files_seen", r.files_seen},
          {"inserted", r.inserted},
          {"updated", r.updated},
          {"unchanged", r.unchanged},
          {"not_dicom", r.not_dicom},
          {"failed", r.failed},
          {"without_patient_id", r.without_patient_id},
          {"seconds", r.seconds},
          {"files_per_second", r.seconds > 0 ? static_cast<double>(r.files_seen) / r.seconds : 0.0},
          {"failures", failures}};
}

}  // namespace osteo
