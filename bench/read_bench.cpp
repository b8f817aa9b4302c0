// Reader throughput: full decode of the real radiographs (when ../shared/data is present) and
// header-only reads of many small generated DICOM files (the ingest path).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "osteo/dicom/writer.h"
#include "osteo/image/read.h"

namespace {

std::filesystem::path shared_dicom(const char* name) {
  // bench/ sits in the repository root, which sits next to shared/ (no compile definition
  // names the source dir for benchmarks).
  const auto repo = std::filesystem::path(__FILE__).parent_path().parent_path();
  return repo.parent_path() / "shared" / "data" / "dicom" / name;
}

void BM_DecodeReal(benchmark::State& state, const char* name) {
  const auto path = shared_dicom(name);
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("../shared/data/dicom is absent");
    return;
  }
  for (auto _ : state) {
    auto image = osteo::read_radiograph(path.string());
    if (!image) {
      state.SkipWithError(image.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(image->pixels.data());
  }
}
BENCHMARK_CAPTURE(BM_DecodeReal, RG2_JPLL, "RG2_JPLL.dcm")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_DecodeReal, RG2_JLSL, "RG2_JLSL.dcm")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_DecodeReal, RG3_J2KR, "RG3_J2KR.dcm")->Unit(benchmark::kMillisecond);

/// 300 small JPEG-LS files (64x64, distinct UIDs), written once.
const std::vector<std::string>& small_files() {
  static const std::vector<std::string> files = [] {
    const auto dir = std::filesystem::temp_directory_path() / "osteo_read_bench";
    std::filesystem::create_directories(dir);
    std::vector<std::string> out;
    for (int i = 0; i < 300; ++i) {
      osteo::DicomImageSpec spec;
      spec.rows = spec.columns = 64;
      spec.bits_stored = 12;
      spec.pixels.assign(64 * 64, static_cast<std::uint16_t>(i * 13 % 4096));
      spec.patient_id = "P" + std::to_string(i);
      spec.study_date = "20220101";
      spec.sop_instance_uid = "1.2.3.4." + std::to_string(i);
      const auto path = (dir / ("f" + std::to_string(i) + ".dcm")).string();
      if (osteo::write_dicom(spec, osteo::TransferSyntax::kJpegLsLossless, path)) out.push_back(path);
    }
    return out;
  }();
  return files;
}

void BM_HeaderOnly(benchmark::State& state) {
  const auto& files = small_files();
  for (auto _ : state) {
    for (const auto& f : files) benchmark::DoNotOptimize(osteo::read_radiograph_meta(f));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(files.size()));
}
BENCHMARK(BM_HeaderOnly)->Unit(benchmark::kMillisecond);

void BM_FullSmall(benchmark::State& state) {
  const auto& files = small_files();
  for (auto _ : state) {
    for (const auto& f : files) benchmark::DoNotOptimize(osteo::read_radiograph(f));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(files.size()));
}
BENCHMARK(BM_FullSmall)->Unit(benchmark::kMillisecond);

}  // namespace
