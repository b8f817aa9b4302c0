#include "osteo/cohort/split.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <unordered_map>

namespace osteo {
namespace {

// std::shuffle and std::uniform_int_distribution are implementation-defined; this keeps a
// split reproducible across compilers and standard libraries for the same seed.
std::uint64_t bounded(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do x = rng(); while (x >= limit);
  return x % n;
}

void shuffle(std::vector<std::string>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[bounded(rng, i)]);
}

// The patient's class for stratification: the most severe of their labels.
std::map<std::string, WhoCategory> patient_classes(const std::vector<LabelledImage>& images) {
  std::map<std::string, WhoCategory> classes;
  for (const auto& img : images) {
    auto [it, inserted] = classes.emplace(img.patient_id, img.category);
    if (!inserted && img.category > it->second) it->second = img.category;
  }
  return classes;
}

// Groups patients by class (in sorted id order, so the result depends only on the seed).
std::map<WhoCategory, std::vector<std::string>> by_class(const std::map<std::string, WhoCategory>& classes) {
  std::map<WhoCategory, std::vector<std::string>> groups;
  for (const auto& [id, cls] : classes) groups[cls].push_back(id);
  return groups;
}

std::size_t share(std::size_t n, double fraction) {
  return static_cast<std::size_t>(std::llround(static_cast<double>(n) * fraction));
}

// Moves round(fraction·n) patients of each class from `from` to `to`.
void carve(std::map<std::string, std::string>& split_of, const std::map<std::string, WhoCategory>& classes,
           const std::string& from, const std::string& to, double fraction, std::mt19937_64& rng) {
  std::map<std::string, WhoCategory> pool;
  for (const auto& [id, split] : split_of) {
    if (split == from) pool.emplace(id, classes.at(id));
  }
  for (auto& [cls, ids] : by_class(pool)) {
    shuffle(ids, rng);
    const std::size_t take = share(ids.size(), fraction);
    for (std::size_t i = 0; i < take; ++i) split_of[ids[i]] = to;
  }
}

SplitPlan to_plan(const std::map<std::string, std::string>& split_of, std::vector<SplitExclusion> exclusions) {
  SplitPlan plan;
  for (const auto& [id, split] : split_of) plan.assignments.push_back({id, split});
  plan.exclusions = std::move(exclusions);
  return plan;
}

}  // namespace

std::vector<LabelledImage> labelled_images(CohortStore& store) {
  std::unordered_map<std::int64_t, ImageRecord> images;
  for (auto& img : store.images()) images.emplace(img.id, std::move(img));
  std::vector<LabelledImage> out;
  for (const auto& label : store.labels()) {
    const auto it = images.find(label.image_id);
    if (it == images.end() || it->second.meta.patient_id.empty()) continue;
    out.push_back({label.image_id, it->second.meta.patient_id, it->second.meta.study_date, label.category});
  }
  return out;
}

Status validate(const TemporalSplitOptions& o) {
  if (o.train_until_year >= o.test_year) {
    return fail(ErrorCode::kInvalidArgument, "--train-until (" + std::to_string(o.train_until_year) +
                                                 ") must be before --test-year (" + std::to_string(o.test_year) + ")");
  }
  if (!(o.val_fraction >= 0 && o.val_fraction < 1)) {
    return fail(ErrorCode::kInvalidArgument, "--val-fraction must be in [0, 1)");
  }
  return {};
}

Status validate(const StratifiedSplitOptions& o) {
  if (!(o.test_fraction > 0 && o.val_fraction >= 0 && o.test_fraction + o.val_fraction < 1)) {
    return fail(ErrorCode::kInvalidArgument, "--test-fraction must be in (0, 1) and test + val fractions below 1");
  }
  return {};
}

SplitPlan plan_temporal_split(const std::vector<LabelledImage>& images, const TemporalSplitOptions& options) {
  std::vector<SplitExclusion> exclusions;
  std::set<std::string> has_train, has_test;
  for (const auto& img : images) {
    if (!img.study_date) continue;
    if (img.study_date->year <= options.train_until_year) has_train.insert(img.patient_id);
    if (img.study_date->year == options.test_year) has_test.insert(img.patient_id);
  }
  std::vector<LabelledImage> kept;
  for (const auto& img : images) {
    if (!img.study_date) {
      exclusions.push_back({img.image_id, "no_study_date"});
    } else if (img.study_date->year > options.train_until_year && img.study_date->year != options.test_year) {
      exclusions.push_back({img.image_id, "outside_temporal_windows"});
    } else if (img.study_date->year == options.test_year && has_train.count(img.patient_id)) {
      exclusions.push_back({img.image_id, "patient_in_train"});
    } else {
      kept.push_back(img);
    }
  }
  const auto classes = patient_classes(kept);
  std::map<std::string, std::string> split_of;
  for (const auto& [id, cls] : classes) split_of[id] = has_train.count(id) ? "train" : "test";
  std::mt19937_64 rng(options.seed);
  carve(split_of, classes, "train", "val", options.val_fraction, rng);
  return to_plan(split_of, std::move(exclusions));
}

SplitPlan plan_stratified_split(const std::vector<LabelledImage>& images, const StratifiedSplitOptions& options) {
  const auto classes = patient_classes(images);
  std::map<std::string, std::string> split_of;
  for (const auto& [id, cls] : classes) split_of[id] = "train";
  std::mt19937_64 rng(options.seed);
  carve(split_of, classes, "train", "test", options.test_fraction, rng);
  // val_fraction is of all patients; rescale to what is left after the test share.
  carve(split_of, classes, "train", "val", options.val_fraction / (1.0 - options.test_fraction), rng);
  return to_plan(split_of, {});
}

Status check_disjoint(const SplitPlan& plan) {
  std::set<std::string> seen;
  for (const auto& a : plan.assignments) {
    if (!seen.insert(a.patient_id).second) {
      return fail(ErrorCode::kInternal, "patient " + a.patient_id + " assigned to two splits");
    }
  }
  return {};
}

nlohmann::json split_counts(CohortStore& store, const std::string& scheme) {
  std::unordered_map<std::string, std::string> split_of;
  for (const auto& a : store.split_assignments(scheme)) split_of.emplace(a.patient_id, a.split);
  std::set<std::int64_t> excluded;
  nlohmann::json excluded_reasons = nlohmann::json::object();
  for (const auto& e : store.split_exclusions(scheme)) {
    excluded.insert(e.image_id);
    excluded_reasons[e.reason] = excluded_reasons.value(e.reason, 0) + 1;
  }
  nlohmann::json splits = nlohmann::json::object();
  for (const char* name : {"train", "val", "test"}) {
    splits[name] = {{"patients", 0}, {"images", 0}, {"normal", 0}, {"osteopenia", 0}, {"osteoporosis", 0}};
  }
  for (const auto& [id, split] : split_of) splits[split]["patients"] = splits[split]["patients"].get<int>() + 1;
  for (const auto& img : labelled_images(store)) {
    const auto it = split_of.find(img.patient_id);
    if (it == split_of.end() || excluded.count(img.image_id)) continue;
    auto& s = splits[it->second];
    s["images"] = s["images"].get<int>() + 1;
    s[who_name(img.category)] = s[who_name(img.category)].get<int>() + 1;
  }
  return {{"scheme", scheme}, {"splits", splits}, {"excluded", excluded_reasons}};
}

}  // namespace osteo
