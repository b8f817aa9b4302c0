// `osteoscreen inspect FILE... [--json]`: reads each file fully (decode + render) and prints
// its metadata and rendered mean, one JSON object per line with --json (JSON Lines).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "osteo/core/parallel.h"
#include "osteo/core/progress.h"
#include "osteo/core/radiograph_json.h"
#include "osteo/image/read.h"

namespace osteo::cli {
namespace {

struct InspectOptions {
  std::vector<std::string> files;
  bool json = false;
  bool header_only = false;
  std::uint64_t max_pixels = ReadLimits{}.max_pixels;
  double max_file_mb = static_cast<double>(ReadLimits{}.max_file_bytes) / 1e6;
};

struct Outcome {
  Result<RadiographMeta> meta = fail(ErrorCode::kInternal, "not read");
  std::optional<double> pixel_mean;
};

Outcome inspect_one(const std::string& path, const ReadLimits& limits, bool header_only) {
  Outcome outcome;
  if (header_only) {
    outcome.meta = read_radiograph_meta(path, limits);
    return outcome;
  }
  auto radiograph = read_radiograph(path, limits);
  if (!radiograph) {
    outcome.meta = tl::unexpected(radiograph.error());
    return outcome;
  }
  outcome.pixel_mean = radiograph->mean();
  outcome.meta = std::move(radiograph->meta);
  return outcome;
}

nlohmann::json to_json(const std::string& path, const Outcome& outcome) {
  if (!outcome.meta) {
    return {{"path", path},
            {"ok", false},
            {"error", {{"code", outcome.meta.error().name()}, {"message", outcome.meta.error().message}}}};
  }
  nlohmann::json j = meta_to_json(*outcome.meta);
  j["ok"] = true;
  j["pixel_mean"] = outcome.pixel_mean ? nlohmann::json(*outcome.pixel_mean) : nlohmann::json(nullptr);
  return j;
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string to_text(const std::string& path, const Outcome& outcome) {
  std::ostringstream line;
  if (!outcome.meta) {
    line << path << ": ERROR " << outcome.meta.error().name() << ": " << outcome.meta.error().message;
    return line.str();
  }
  const RadiographMeta& m = *outcome.meta;
  line << path << ": " << m.format << " " << m.columns << "x" << m.rows << " " << m.bits_stored << "-bit";
  if (!m.photometric.empty()) line << " " << m.photometric;
  if (!m.transfer_syntax_name.empty()) line << " [" << m.transfer_syntax_name << "]";
  if (m.spacing_mm) {
    char spacing[64];
    std::snprintf(spacing, sizeof spacing, "%.4gx%.4g mm", (*m.spacing_mm)[0], (*m.spacing_mm)[1]);
    line << " spacing " << spacing << " (" << spacing_source_name(m.spacing_source) << ")";
  } else {
    line << " spacing unknown";
  }
  line << " | " << or_dash(m.modality) << " " << or_dash(m.body_part) << " side " << or_dash(side_code(m.laterality))
       << " | patient " << or_dash(m.patient_id) << " sex " << or_dash(m.patient_sex) << " age ";
  if (m.patient_age_years) {
    char age[32];
    std::snprintf(age, sizeof age, "%.1f", *m.patient_age_years);
    line << age;
  } else {
    line << "-";
  }
  line << " study " << (m.study_date ? m.study_date->iso() : "-");
  if (outcome.pixel_mean) {
    char mean[32];
    std::snprintf(mean, sizeof mean, "%.4f", *outcome.pixel_mean);
    line << " | mean " << mean;
  }
  return line.str();
}

}  // namespace

Runner setup_inspect(CLI::App& sub, const GlobalOptions& global) {
  auto opt = std::make_shared<InspectOptions>();
  sub.add_option("files", opt->files, "DICOM, PNG or JPEG files (format judged by content)")->required();
  sub.add_flag("--json", opt->json, "One JSON object per file per line (JSON Lines)");
  sub.add_flag("--header-only", opt->header_only, "Read headers only (no pixel decode; pixel_mean is null)");
  sub.add_option("--max-pixels", opt->max_pixels, "Refuse images declaring more pixels than this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub.add_option("--max-file-mb", opt->max_file_mb, "Refuse files larger than this many MB (10^6 bytes)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  return [opt, &global]() -> int {
    ReadLimits limits;
    limits.max_pixels = opt->max_pixels;
    limits.max_file_bytes = static_cast<std::uint64_t>(opt->max_file_mb * 1e6);

    std::vector<Outcome> outcomes(opt->files.size());
    Progress progress("inspect", opt->files.size(), !global.quiet && opt->files.size() > 1);
    parallel_for(opt->files.size(), global.threads, [&](std::size_t i) {
      outcomes[i] = inspect_one(opt->files[i], limits, opt->header_only);
      progress.advance();
    });
    progress.finish();

    // Printed after the parallel part so that the output order is the argument order.
    std::size_t failures = 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      if (!outcomes[i].meta) {
        ++failures;
        spdlog::debug("{}", outcomes[i].meta.error().to_string());
      }
      std::cout << (opt->json ? to_json(opt->files[i], outcomes[i]).dump() : to_text(opt->files[i], outcomes[i]))
                << '\n';
    }
    std::cout.flush();
    if (failures > 0) spdlog::warn("{} of {} files could not be read", failures, outcomes.size());
    return failures == 0 ? kExitOk : kExitFailure;
  };
}

}  // namespace osteo::cli
