// osteoscreen summary: the cohort summary of the store.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "osteo/cohort/summary.h"

namespace osteo::cli {

Runner setup_summary(CLI::App& sub, const GlobalOptions& global) {
  auto json = std::make_shared<bool>(false);
  sub.add_flag("--json", *json, "Print the summary as JSON");
  return [json, &global]() -> int {
    // A store that cannot be opened is reported by main's handler (exit 1), like any OsteoError.
    const auto store = value_or_throw(open_store(global.db));
    const auto summary = cohort_summary(*store);
    std::cout << (*json ? summary.dump(2) + "\n" : format_cohort_summary(summary));
    return kExitOk;
  };
}

}  // namespace osteo::cli
