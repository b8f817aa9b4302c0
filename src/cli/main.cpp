// osteoscreen: the command-line adapter over the osteo library. It parses argv, dispatches to
// one subcommand from the explicit table below, and turns errors into exit codes.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "osteo/cohort/store.h"
#include "osteo/core/error.h"
#include "osteo/core/version.h"

namespace osteo::cli {
namespace {

// The subcommands, in the order --help lists them. No self-registration: this is the list.
const Command kCommands[] = {
    {"synth", "Write a synthetic hospital: DICOM radiographs plus a DEXA export", setup_synth},
    {"inspect", "Read radiographs (DICOM/PNG/JPEG) and print their metadata", setup_inspect},
    {"ingest", "Import DICOM folders, DEXA exports or labelled manifests into the cohort store", setup_ingest},
    {"match", "Pair each radiograph with the same patient's DEXA and label it by WHO band", setup_match},
    {"split", "Assign patients to train/val/test splits (temporal or stratified)", setup_split},
    {"summary", "Print the cohort summary of the store", setup_summary},
    {"augment-preview", "Write a PNG sheet of augmented model inputs for one radiograph", setup_augment_preview},
    {"train", "Train a screening model and write a checkpoint directory with its model card", setup_train},
    {"evaluate", "Evaluate a checkpoint on a manifest or cohort split: metrics with CIs and an HTML report", setup_evaluate},
    {"compare", "Train and evaluate several architectures under one protocol, with the covariate-only baseline",
     setup_compare},
    {"serve", "Run the screening service: web page and REST API with Grad-CAM heat maps", setup_serve},
};

int run(int argc, char** argv) {
  CLI::App app{"OsteoScreen: osteoporosis screening on ordinary radiographs.\n"
               "For research / screening support, not a diagnosis."};
  app.set_version_flag("--version", std::string("osteoscreen ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the subcommand name too

  GlobalOptions global;
  global.db = default_store_location();
  app.add_option("--db", global.db, "Cohort store: a SQLite file path (default $OSTEOSCREEN_DB or ./osteoscreen.db)");
  app.add_option("--threads", global.threads, "Worker threads (0 = all cores)");
  app.add_flag("-q,--quiet", global.quiet, "No progress output");
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));

  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const auto& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    runners.emplace_back(sub, command.setup(*sub, global));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  spdlog::set_level(spdlog::level::from_str(log_level));
  // Logs go to stderr so that stdout carries only the machine-readable results.
  spdlog::set_default_logger(spdlog::stderr_color_mt("osteoscreen"));
  spdlog::set_pattern("[%H:%M:%S] [%^%l%$] %v");

  for (auto& [sub, runner] : runners) {
    if (!sub->parsed()) continue;
    try {
      return runner();
    } catch (const OsteoError& e) {
      spdlog::error("{}", e.error().to_string());
      return kExitFailure;
    } catch (const std::exception& e) {
      spdlog::error("internal_error: {}", e.what());
      return kExitFailure;
    }
  }
  return kExitUsage;
}

}  // namespace
}  // namespace osteo::cli

int main(int argc, char** argv) { return osteo::cli::run(argc, argv); }
