// PLACEHOLDER until the inspect subcommand lands (replaced in this same change).
#include "cli/commands.h"
namespace osteo::cli {
Runner setup_inspect(CLI::App&, const GlobalOptions&) { return [] { return kExitFailure; }; }
}  // namespace osteo::cli
