#pragma once
// The osteoscreen subcommands. Each lives in its own cmd_*.cpp, adds its options to a CLI11
// subcommand and returns the function that runs it. main.cpp lists them in one explicit table.
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace osteo::cli {

/// Options every subcommand sees (set before the subcommand name or after it).
struct GlobalOptions {
  std::string db;          ///< --db / $OSTEOSCREEN_DB / ./osteoscreen.db
  unsigned threads = 0;    ///< --threads, 0 = all cores
  bool quiet = false;      ///< --quiet: no progress output
};

/// Runs a parsed subcommand; returns the process exit code.
using Runner = std::function<int()>;
/// Adds the subcommand's options to `sub` and returns its runner. `global` outlives the runner.
using Setup = Runner (*)(CLI::App& sub, const GlobalOptions& global);

struct Command {
  const char* name;
  const char* summary;
  Setup setup;
};

// Exit codes shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  ///< the work ran but some input failed
inline constexpr int kExitUsage = 2;    ///< bad options or arguments

Runner setup_inspect(CLI::App& sub, const GlobalOptions& global);
Runner setup_ingest(CLI::App& sub, const GlobalOptions& global);
Runner setup_match(CLI::App& sub, const GlobalOptions& global);
Runner setup_split(CLI::App& sub, const GlobalOptions& global);
Runner setup_synth(CLI::App& sub, const GlobalOptions& global);
Runner setup_summary(CLI::App& sub, const GlobalOptions& global);
Runner setup_augment_preview(CLI::App& sub, const GlobalOptions& global);
Runner setup_train(CLI::App& sub, const GlobalOptions& global);
Runner setup_evaluate(CLI::App& sub, const GlobalOptions& global);
Runner setup_compare(CLI::App& sub, const GlobalOptions& global);
Runner setup_serve(CLI::App& sub, const GlobalOptions& global);

}  // namespace osteo::cli
