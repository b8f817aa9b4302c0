// PLACEHOLDER until the split subcommand lands (replaced in this same change).
#include "cli/commands.h"
namespace osteo::cli {
Runner setup_split(CLI::App&, const GlobalOptions&) { return [] { return kExitFailure; }; }
}  // namespace osteo::cli
