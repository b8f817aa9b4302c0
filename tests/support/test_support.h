#pragma once
// Shared helpers for the test suites: temporary directories, the real ../shared data, and
// running the real osteoscreen binary.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace osteo::test {

/// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// ../shared/data next to the source tree, or nullopt when absent (a user's fresh clone).
/// Tests that need it call OSTEO_REQUIRE_SHARED_DATA() which skips with a clear message.
std::optional<std::filesystem::path> shared_data_dir();

#define OSTEO_REQUIRE_SHARED_DATA(var)                                                          \
  const auto var##_opt = ::osteo::test::shared_data_dir();                                      \
  if (!var##_opt) GTEST_SKIP() << "../shared/data is absent (fresh clone): real-data test skipped"; \
  const std::filesystem::path var = *var##_opt

/// Result of running a command.
struct CommandResult {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs the built osteoscreen binary with `args` (each passed as one argv entry; no shell).
/// `env` entries "NAME=VALUE" are added to the environment.
CommandResult run_cli(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

/// Runs any executable the same way (used for the README's scripts).
CommandResult run_command(const std::string& exe, const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {});

/// Non-overlapping occurrences of `what` in `text` (for checks on generated HTML/SVG).
std::size_t count_occurrences(const std::string& text, const std::string& what);

/// Writes bytes/text to a file (creating parent directories).
void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

}  // namespace osteo::test
