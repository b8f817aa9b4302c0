#include "osteo/ml/train/dataset.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include <unistd.h>

#include "osteo/cohort/ingest_manifest.h"
#include "osteo/core/hash.h"
#include "osteo/core/parallel.h"
#include "osteo/core/progress.h"
#include "osteo/image/read.h"
#include "osteo/ml/train/opencv_threads.h"

namespace osteo::ml {
namespace {

nlohmann::json counts_of(const std::vector<TrainSample>& samples) {
  std::set<std::string> patients;
  int by_class[3] = {0, 0, 0};
  for (const auto& s : samples) {
    patients.insert(s.patient_id);
    ++by_class[static_cast<int>(s.category)];
  }
  return {{"patients", patients.size()},
          {"images", samples.size()},
          {"normal", by_class[0]},
          {"osteopenia", by_class[1]},
          {"osteoporosis", by_class[2]}};
}

// Builds the per-split samples of a store given patient → split.
SplitSamples collect(CohortStore& store, const std::map<std::string, std::string>& split_of,
                     const std::set<std::int64_t>& excluded) {
  std::map<std::int64_t, LabelRecord> label_of;
  for (const auto& label : store.labels()) label_of[label.image_id] = label;
  SplitSamples out;
  auto images = store.images();
  std::sort(images.begin(), images.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const auto& image : images) {
    const auto label = label_of.find(image.id);
    if (label == label_of.end() || excluded.count(image.id)) continue;
    const auto split = split_of.find(image.meta.patient_id);
    if (split == split_of.end()) continue;
    TrainSample s;
    s.image_id = image.id;
    s.path = image.meta.path;
    s.patient_id = image.meta.patient_id;
    s.roi = image.roi;
    s.t_score = label->second.t_score;
    s.category = label->second.category;
    s.covariates = covariates_of(image);
    if (split->second == "train") out.train.push_back(std::move(s));
    else if (split->second == "val") out.val.push_back(std::move(s));
    else if (split->second == "test") out.test.push_back(std::move(s));
  }
  return out;
}

Status check_nonempty(const SplitSamples& s, const std::string& what) {
  if (s.train.empty()) return fail(ErrorCode::kInvalidArgument, what + ": the train split has no labelled images");
  if (s.val.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                what + ": the val split has no labelled images (early stopping and the threshold need one)");
  }
  return {};
}

}  // namespace

nlohmann::json SplitSamples::counts() const {
  return {{"train", counts_of(train)}, {"val", counts_of(val)}, {"test", counts_of(test)}};
}

Result<SplitSamples> samples_from_store(CohortStore& store, const std::string& scheme, const std::string& db_label) {
  const auto schemes = store.split_schemes();
  if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) {
    std::string known;
    for (const auto& s : schemes) known += (known.empty() ? "" : ", ") + s;
    return fail(ErrorCode::kInvalidArgument, "split scheme '" + scheme + "' is not in " + store.describe() +
                                                 " (known: " + (known.empty() ? "none; run osteoscreen split" : known) +
                                                 ")");
  }
  std::map<std::string, std::string> split_of;
  for (const auto& a : store.split_assignments(scheme)) split_of[a.patient_id] = a.split;
  std::set<std::int64_t> excluded;
  for (const auto& e : store.split_exclusions(scheme)) excluded.insert(e.image_id);
  SplitSamples out = collect(store, split_of, excluded);
  out.source = {{"kind", "store"}, {"db", db_label}, {"scheme", scheme}};
  if (auto ok = check_nonempty(out, "scheme '" + scheme + "'"); !ok) return tl::unexpected(ok.error());
  return out;
}

Result<SplitSamples> samples_from_manifest(const std::string& csv_path, const StratifiedSplitOptions& split,
                                           unsigned threads) {
  if (auto ok = validate(split); !ok) return tl::unexpected(ok.error());
  auto hash = sha256_file(csv_path);
  if (!hash) return tl::unexpected(hash.error());

  // A private store in a fresh temp folder, removed on every path out.
  std::random_device rd;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("osteo-train-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::kIoError, dir.string() + ": cannot create a temporary folder: " + ec.message());
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{dir};

  auto store = open_store((dir / "manifest.db").string());
  if (!store) return tl::unexpected(store.error());
  ManifestIngestOptions ingest_options;
  ingest_options.threads = threads;
  auto report = ingest_manifest(**store, csv_path, ingest_options);
  if (!report) return tl::unexpected(report.error());
  for (const auto& issue : report->issues) {
    spdlog::warn("{}:{}: {}: {}", csv_path, issue.line, issue_kind_name(issue.kind), issue.reason);
  }
  if (report->rows_bad > 0) {
    spdlog::warn("{}: {} of {} rows were not imported (see the warnings above)", csv_path, report->rows_bad,
                 report->rows);
  }
  const SplitPlan plan = plan_stratified_split(labelled_images(**store), split);
  if (auto ok = check_disjoint(plan); !ok) return tl::unexpected(ok.error());
  std::map<std::string, std::string> split_of;
  for (const auto& a : plan.assignments) split_of[a.patient_id] = a.split;
  std::set<std::int64_t> excluded;
  for (const auto& e : plan.exclusions) excluded.insert(e.image_id);
  SplitSamples out = collect(**store, split_of, excluded);
  out.source = {{"kind", "manifest"},
                {"path", std::filesystem::absolute(csv_path).lexically_normal().string()},
                {"sha256", *hash},
                {"rows", report->rows},
                {"rows_imported", report->rows_imported},
                {"split", {{"kind", "stratified"},
                           {"test_fraction", split.test_fraction},
                           {"val_fraction", split.val_fraction},
                           {"seed", split.seed}}}};
  if (auto ok = check_nonempty(out, csv_path); !ok) return tl::unexpected(ok.error());
  return out;
}

Result<PreparedSet> prepare_samples(const std::vector<TrainSample>& samples, const PreprocessConfig& config,
                                    unsigned threads, bool progress) {
  PreparedSet set;
  set.size = config.input_size;
  const std::size_t plane = static_cast<std::size_t>(set.size) * set.size;
  set.pixels.assign(samples.size() * plane, 0.0f);
  std::mutex mutex;
  std::optional<std::pair<std::size_t, Error>> first_error;  // lowest index wins: deterministic message
  Progress bar("preprocess", samples.size(), progress);
  const SingleThreadedOpenCv opencv_single_threaded;
  parallel_for(samples.size(), threads, [&](std::size_t i) {
    auto record = [&](Error e) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!first_error || i < first_error->first) first_error = std::make_pair(i, std::move(e));
    };
    auto image = read_radiograph(samples[i].path);
    if (!image) {
      record(image.error());
    } else {
      auto prepared = preprocess(*image, config, samples[i].roi);
      if (!prepared) {
        record(Error{prepared.error().code, samples[i].path + ": " + prepared.error().message});
      } else {
        std::copy(prepared->pixels.begin(), prepared->pixels.end(), set.image(i));
      }
    }
    bar.advance();
  });
  bar.finish();
  if (first_error) return tl::unexpected(first_error->second);
  return set;
}

}  // namespace osteo::ml
