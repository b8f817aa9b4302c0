#include "osteo/cohort/match.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <unordered_map>

namespace osteo {
namespace {

// One DEXA exam: every measurement of one patient on one date for one side.
struct Exam {
  Date date;
  Side side = Side::kUnknown;
  std::vector<const DexaRecord*> rows;
};

// The T-score that labels an exam under the options, with the row it came from.
const DexaRecord* reference_row(const Exam& exam, const MatchOptions& options) {
  const DexaRecord* best = nullptr;
  for (const DexaRecord* row : exam.rows) {
    if (!row->t_score) continue;
    if (options.reference_site) {
      if (row->site == *options.reference_site) return row;
    } else if (is_hip_site(row->site) && (!best || *row->t_score < *best->t_score)) {
      best = row;
    }
  }
  return best;
}

// Lower is preferred: same side, then unknown side, then the opposite side.
int side_rank(Side image, Side exam) {
  if (image == Side::kUnknown || exam == Side::kUnknown) return 1;
  return image == exam ? 0 : 2;
}

std::unordered_map<std::string, std::vector<Exam>> group_exams(const std::vector<DexaRecord>& dexa) {
  std::unordered_map<std::string, std::vector<Exam>> by_patient;
  for (const auto& row : dexa) {
    auto& exams = by_patient[row.patient_id];
    auto it = std::find_if(exams.begin(), exams.end(),
                           [&](const Exam& e) { return e.date == row.date && e.side == row.side; });
    if (it == exams.end()) {
      exams.push_back(Exam{row.date, row.side, {}});
      it = exams.end() - 1;
    }
    it->rows.push_back(&row);
  }
  return by_patient;
}

}  // namespace

MatchResult match_images(const std::vector<ImageRecord>& images, const std::vector<DexaRecord>& dexa,
                         const MatchOptions& options) {
  const auto exams_by_patient = group_exams(dexa);
  MatchResult result;
  auto& report = result.report;

  for (const auto& image : images) {
    if (image.source == "manifest") {
      ++report.manifest_labelled;
      continue;
    }
    ++report.images;
    MatchRecord match;
    match.image_id = image.id;
    const auto& meta = image.meta;

    const auto exams = exams_by_patient.find(meta.patient_id);
    if (meta.patient_id.empty()) {
      match.reason = "no_patient_id";
    } else if (!meta.study_date) {
      match.reason = "no_study_date";
    } else if (exams == exams_by_patient.end()) {
      match.reason = "no_dexa";
    } else {
      const auto image_day = meta.study_date->days_since_epoch();
      bool any_in_window = false;
      const Exam* best = nullptr;
      const DexaRecord* best_row = nullptr;
      std::tuple<int, std::int64_t, std::int64_t> best_key;
      for (const auto& exam : exams->second) {
        const auto days = std::llabs(exam.date.days_since_epoch() - image_day);
        if (days > options.window_days) continue;
        any_in_window = true;
        const DexaRecord* row = reference_row(exam, options);
        if (!row) continue;
        const auto key = std::make_tuple(side_rank(meta.laterality, exam.side), days, exam.date.days_since_epoch());
        if (!best || key < best_key) {
          best = &exam;
          best_row = row;
          best_key = key;
        }
      }
      if (best) {
        match.reason = "matched";
        match.dexa_id = best_row->id;
        match.days_apart = static_cast<int>(std::get<1>(best_key));
        match.same_side = meta.laterality != Side::kUnknown && meta.laterality == best->side;
        LabelRecord label;
        label.image_id = image.id;
        label.t_score = *best_row->t_score;
        label.category = who_category(label.t_score);
        label.site = site_name(best_row->site);
        label.source = "dexa";
        label.dexa_id = best_row->id;
        ++report.categories[who_name(label.category)];
        result.labels.push_back(label);
      } else {
        match.reason = any_in_window ? "no_t_score" : "out_of_window";
      }
    }
    ++report.reasons[match.reason];
    if (match.dexa_id) {
      ++report.matched;
      if (match.same_side) ++report.same_side;
    } else {
      ++report.unmatched;
    }
    result.matches.push_back(std::move(match));
  }
  return result;
}

MatchReport run_match(CohortStore& store, const MatchOptions& options) {
  MatchReport report;
  // Reading inside the transaction too: a concurrent ingest cannot slip rows in between the
  // snapshot we match and the rows we replace.
  store.transaction([&] {
    auto result = match_images(store.images(), store.dexa(), options);
    store.replace_matches(result.matches, result.labels);
    report = std::move(result.report);
  });
  return report;
}

Result<std::optional<DexaSite>> parse_reference_site(const std::string& text) {
  if (normalize_token(text) == "lowest") return std::optional<DexaSite>{};
  const auto site = parse_site(text);
  if (!site) {
    return fail(ErrorCode::kInvalidArgument,
                "--site '" + text + "': expected lowest or a site name (femoral_neck, total_hip, trochanter, wards, shaft, l1_l4, ...)");
  }
  return std::optional<DexaSite>{*site};
}

}  // namespace osteo
