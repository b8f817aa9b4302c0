// osteoscreen split: adapter over the patient-level split planners.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "osteo/cohort/split.h"
#include "osteo/cohort/summary.h"

namespace osteo::cli {

Runner setup_split(CLI::App& sub, const GlobalOptions& global) {
  struct Options {
    bool temporal = false;
    bool stratified = false;
    TemporalSplitOptions t;
    StratifiedSplitOptions s;
    double val_fraction = -1;
    std::uint64_t seed = 42;
    std::string name;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  auto* temporal = sub.add_flag("--temporal", opt->temporal, "Split by study year");
  auto* stratified = sub.add_flag("--stratified", opt->stratified, "Random patient-level split stratified by WHO class");
  temporal->excludes(stratified);
  sub.add_option("--train-until", opt->t.train_until_year, "Temporal: last training year")->capture_default_str();
  sub.add_option("--test-year", opt->t.test_year, "Temporal: test year")->capture_default_str();
  sub.add_option("--test-fraction", opt->s.test_fraction, "Stratified: fraction of patients in test")
      ->capture_default_str();
  sub.add_option("--val-fraction", opt->val_fraction,
                 "Validation fraction (temporal: of training patients, default 0.15; stratified: of all, default 0.1)");
  sub.add_option("--seed", opt->seed, "Random seed")->capture_default_str();
  sub.add_option("--name", opt->name, "Scheme name stored in the database (default: temporal or stratified)");
  sub.add_flag("--json", opt->json, "Print counts per split and class as JSON");

  return [opt, &global]() -> int {
    if (opt->temporal == opt->stratified) {
      spdlog::error("invalid_argument: choose one of --temporal or --stratified");
      return kExitUsage;
    }
    opt->t.seed = opt->s.seed = opt->seed;
    if (opt->val_fraction >= 0) opt->t.val_fraction = opt->s.val_fraction = opt->val_fraction;
    const Status valid = opt->temporal ? validate(opt->t) : validate(opt->s);
    if (!valid) {
      spdlog::error("{}", valid.error().to_string());
      return kExitUsage;
    }
    // A store that cannot be opened is reported by main's handler (exit 1), like any OsteoError.
    const auto store = value_or_throw(open_store(global.db));
    const std::string scheme = !opt->name.empty() ? opt->name : opt->temporal ? "temporal" : "stratified";
    store->transaction([&] {
      const auto images = labelled_images(*store);
      const SplitPlan plan = opt->temporal ? plan_temporal_split(images, opt->t) : plan_stratified_split(images, opt->s);
      value_or_throw(check_disjoint(plan));
      store->replace_split(scheme, plan.assignments, plan.exclusions);
    });
    const auto counts = split_counts(*store, scheme);
    if (opt->json) {
      std::cout << counts.dump() << "\n";
    } else {
      std::cout << format_cohort_summary(cohort_summary(*store));
    }
    return kExitOk;
  };
}

}  // namespace osteo::cli
