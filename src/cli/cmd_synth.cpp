// PLACEHOLDER until the synth subcommand lands (replaced in this same change).
#include "cli/commands.h"
namespace osteo::cli {
Runner setup_synth(CLI::App&, const GlobalOptions&) { return [] { return kExitFailure; }; }
}  // namespace osteo::cli
