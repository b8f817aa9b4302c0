// The osteoscreen binary's own contract: --version, --help on every subcommand, usage errors.
#include <gtest/gtest.h>

#include "osteo/core/version.h"
#include "support/test_support.h"

namespace osteo {
namespace {

TEST(Cli, VersionPrintsTheLibraryVersion) {
  auto r = test::run_cli({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find(kVersion), std::string::npos) << r.out;
}

TEST(Cli, HelpListsEverySubcommand) {
  auto r = test::run_cli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"synth", "inspect", "ingest", "match", "split", "summary"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
  EXPECT_NE(r.out.find("not a diagnosis"), std::string::npos);
}

TEST(Cli, EverySubcommandHasHelp) {
  for (const char* name : {"synth", "inspect", "ingest", "match", "split", "summary", "augment-preview", "train", "evaluate"}) {
    auto r = test::run_cli({name, "--help"});
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << name;
  }
}

TEST(Cli, UnknownSubcommandIsAUsageError) {
  auto r = test::run_cli({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(r.err.empty());
}

}  // namespace
}  // namespace osteo
