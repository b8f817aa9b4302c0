// osteoscreen ingest {dicom DIR | dexa FILE.csv [--mapping FILE] | manifest FILE.csv}: adapters
// over osteo::ingest_dicom / ingest_dexa / ingest_manifest. Exit 0 when the import ran (bad
// rows are reported, not fatal), 1 when the whole import failed and the store is unchanged.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "osteo/cohort/ingest_dexa.h"
#include "osteo/cohort/ingest_dicom.h"
#include "osteo/cohort/ingest_manifest.h"

namespace osteo::cli {
namespace {

// Enough to act on in a terminal; --json carries every issue.
constexpr std::size_t kIssuesShown = 20;

struct IngestOptions {
  std::string dicom_dir;
  std::string dexa_csv;
  std::string mapping;
  std::string manifest_csv;
  bool json = false;
};

template <class Issue, class Format>
void print_issues(const std::vector<Issue>& issues, Format format) {
  for (std::size_t i = 0; i < issues.size() && i < kIssuesShown; ++i) std::cout << "  " << format(issues[i]) << "\n";
  if (issues.size() > kIssuesShown) {
    std::cout << "  ... and " << issues.size() - kIssuesShown << " more (use --json for all)\n";
  }
}

std::string issue_line(const std::string& file, const RowIssue& issue) {
  return file + ":" + std::to_string(issue.line) + ": " + issue_kind_name(issue.kind) + ": " + issue.reason;
}

// The common tail of every importer: the error, or the report as JSON or as text (`print`).
template <class Report, class Print>
int report_or_error(const Result<Report>& report, bool json, Print print) {
  if (!report) {
    spdlog::error("{}", report.error().to_string());
    return kExitFailure;
  }
  if (json) {
    std::cout << to_json(*report).dump() << "\n";
  } else {
    print(*report);
  }
  return kExitOk;
}

int run_dicom(CohortStore& store, const IngestOptions& opt, const GlobalOptions& global) {
  DicomIngestOptions options;
  options.threads = global.threads;
  options.progress = !global.quiet;
  return report_or_error(ingest_dicom(store, opt.dicom_dir, options), opt.json, [](const DicomIngestReport& r) {
    std::cout << "ingest dicom " << r.root << ": " << r.files_seen << " files in " << r.seconds << " s ("
              << (r.seconds > 0 ? static_cast<double>(r.files_seen) / r.seconds : 0.0) << " files/s)\n"
              << "  inserted " << r.inserted << ", updated " << r.updated << ", unchanged " << r.unchanged
              << ", not DICOM " << r.not_dicom << ", failed " << r.failed << "\n";
    if (r.without_patient_id > 0) {
      std::cout << "  " << r.without_patient_id << " imported image(s) have no PatientID and cannot be matched\n";
    }
    print_issues(r.failures, [](const IngestFailure& f) { return f.path + ": " + f.code + ": " + f.message; });
  });
}

int run_dexa(CohortStore& store, const IngestOptions& opt) {
  DexaMapping mapping;
  if (!opt.mapping.empty()) {
    auto loaded = load_dexa_mapping(opt.mapping);
    if (!loaded) {
      spdlog::error("{}", loaded.error().to_string());
      return kExitFailure;
    }
    mapping = std::move(*loaded);
  }
  return report_or_error(ingest_dexa(store, opt.dexa_csv, mapping), opt.json, [](const DexaIngestReport& r) {
    std::cout << "ingest dexa " << r.path << " (" << dexa_layout_name(r.layout) << " layout): " << r.rows << " rows\n"
              << "  imported " << r.rows_imported << " rows (" << r.measurements_inserted << " measurements, "
              << r.patients << " patients), bad " << r.rows_bad << ", duplicate " << r.rows_duplicate << " ("
              << r.measurements_duplicate << " duplicate measurements)\n";
    print_issues(r.issues, [&](const RowIssue& i) { return issue_line(r.path, i); });
  });
}

int run_manifest(CohortStore& store, const IngestOptions& opt, const GlobalOptions& global) {
  ManifestIngestOptions options;
  options.threads = global.threads;
  options.progress = !global.quiet;
  return report_or_error(ingest_manifest(store, opt.manifest_csv, options), opt.json,
                         [](const ManifestIngestReport& r) {
                           std::cout << "ingest manifest " << r.path << ": " << r.rows
                                     << " rows (image column: " << r.image_column << ")\n"
                                     << "  imported " << r.rows_imported << " rows (" << r.patients << " patients, "
                                     << r.labels << " labels; images inserted " << r.images_inserted << ", updated "
                                     << r.images_updated << ", unchanged " << r.images_unchanged << "), bad "
                                     << r.rows_bad << ", warnings " << r.warnings << "\n";
                           print_issues(r.issues, [&](const RowIssue& i) { return issue_line(r.path, i); });
                         });
}

}  // namespace

Runner setup_ingest(CLI::App& sub, const GlobalOptions& global) {
  auto opt = std::make_shared<IngestOptions>();
  sub.require_subcommand(1);
  sub.fallthrough();  // global options after "ingest dicom DIR" still reach the main app

  CLI::App* dicom = sub.add_subcommand("dicom", "Import every DICOM file under a folder (recursive, idempotent)");
  dicom->add_option("DIR", opt->dicom_dir, "Folder of DICOM files")->required();
  CLI::App* dexa = sub.add_subcommand("dexa", "Import a DEXA export (wide or long CSV)");
  dexa->add_option("FILE", opt->dexa_csv, "DEXA export CSV")->required();
  dexa->add_option("--mapping", opt->mapping,
                   "Column mapping, TOML or JSON (see docs: layout, date_order, columns, sites)");
  CLI::App* manifest = sub.add_subcommand("manifest", "Import labelled images listed in a manifest CSV");
  manifest->add_option("FILE", opt->manifest_csv, "Manifest CSV (image, patient_id, t_score, ...)")->required();
  for (CLI::App* kind : {dicom, dexa, manifest}) {
    kind->add_flag("--json", opt->json, "Print the report as one JSON object on stdout");
    kind->fallthrough();
  }

  return [opt, &global, dicom, dexa, manifest]() -> int {
    // A store that cannot be opened is reported by main's handler (exit 1), like any OsteoError.
    const auto store = value_or_throw(open_store(global.db));
    if (dicom->parsed()) return run_dicom(*store, *opt, global);
    if (dexa->parsed()) return run_dexa(*store, *opt);
    if (manifest->parsed()) return run_manifest(*store, *opt, global);
    return kExitUsage;
  };
}

}  // namespace osteo::cli
