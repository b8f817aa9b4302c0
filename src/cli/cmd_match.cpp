// osteoscreen match: adapter over osteo::run_match.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "osteo/cohort/match.h"

namespace osteo::cli {

Runner setup_match(CLI::App& sub, const GlobalOptions& global) {
  struct Options {
    int window_days = 183;
    std::string site = "femoral_neck";
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  sub.add_option("--window-days", opt->window_days, "Largest |X-ray date − DEXA date| in days (inclusive)")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  sub.add_option("--site", opt->site,
                 "Reference site for the label: femoral_neck, total_hip, trochanter, wards, shaft, ... or "
                 "'lowest' (lowest T-score across hip sites)")
      ->capture_default_str();
  sub.add_flag("--json", opt->json, "Print the report as JSON");

  return [opt, &global]() -> int {
    auto site = parse_reference_site(opt->site);
    if (!site) {
      spdlog::error("{}", site.error().to_string());
      return kExitUsage;
    }
    // A store that cannot be opened is reported by main's handler (exit 1), like any OsteoError.
    const auto store = value_or_throw(open_store(global.db));
    MatchOptions options;
    options.window_days = opt->window_days;
    options.reference_site = *site;
    const MatchReport report = run_match(*store, options);
    if (opt->json) {
      std::cout << nlohmann::json{{"images", report.images},
                                  {"matched", report.matched},
                                  {"unmatched", report.unmatched},
                                  {"same_side", report.same_side},
                                  {"manifest_labelled", report.manifest_labelled},
                                  {"reasons", report.reasons},
                                  {"categories", report.categories},
                                  {"window_days", options.window_days},
                                  {"site", opt->site}}
                << "\n";
    } else {
      std::cout << "matched " << report.matched << " of " << report.images << " DICOM images (window ±"
                << options.window_days << " days, site " << opt->site << "; " << report.same_side
                << " same side)\n";
      for (const auto& [reason, n] : report.reasons) std::cout << "  " << reason << ": " << n << "\n";
      for (const auto& [category, n] : report.categories) std::cout << "  label " << category << ": " << n << "\n";
    }
    return kExitOk;
  };
}

}  // namespace osteo::cli
