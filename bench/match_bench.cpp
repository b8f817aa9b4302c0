// Matching throughput: N images against ~2 DEXA exams (5 hip sites, 2 sides) per patient.
// Run: build/osteo_bench --benchmark_filter=Match
#include <benchmark/benchmark.h>

#include <random>

#include "osteo/cohort/match.h"

namespace osteo {
namespace {

struct Cohort {
  std::vector<ImageRecord> images;
  std::vector<DexaRecord> dexa;
};

// Deterministic synthetic records: one image per patient, two exams each, both sides, all hip sites.
Cohort make_cohort(int n_images) {
  Cohort c;
  std::mt19937_64 rng(1);
  const DexaSite sites[] = {DexaSite::kFemoralNeck, DexaSite::kTotalHip, DexaSite::kTrochanter, DexaSite::kWards,
                            DexaSite::kShaft};
  std::int64_t dexa_id = 0;
  for (int i = 0; i < n_images; ++i) {
    const std::string pid = "P" + std::to_string(i);
    ImageRecord img;
    img.id = i;
    img.source = "dicom";
    img.meta.patient_id = pid;
    img.meta.study_date = Date::from_days_since_epoch(17500 + static_cast<int>(rng() % 1800));
    img.meta.laterality = rng() % 2 ? Side::kLeft : Side::kRight;
    c.images.push_back(img);
    for (int exam = 0; exam < 2; ++exam) {
      const Date date = Date::from_days_since_epoch(img.meta.study_date->days_since_epoch() +
                                                    static_cast<int>(rng() % 500) - 250);
      for (Side side : {Side::kLeft, Side::kRight}) {
        for (DexaSite site : sites) {
          DexaRecord d;
          d.id = dexa_id++;
          d.patient_id = pid;
          d.date = date;
          d.side = side;
          d.site = site;
          d.t_score = -3.0 + static_cast<double>(rng() % 400) / 100.0;
          c.dexa.push_back(d);
        }
      }
    }
  }
  return c;
}

void BM_MatchImages(benchmark::State& state) {
  const Cohort cohort = make_cohort(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto result = match_images(cohort.images, cohort.dexa, MatchOptions{});
    benchmark::DoNotOptimize(result.matches.data());
  }
  state.counters["images"] = static_cast<double>(cohort.images.size());
  state.counters["dexa_rows"] = static_cast<double>(cohort.dexa.size());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MatchImages)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace osteo
