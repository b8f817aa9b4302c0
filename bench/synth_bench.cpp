// Synthetic hospital costs per image: rendering the phantom and encoding each transfer syntax.
// The end-to-end figure (1,000 patients) is measured with the CLI:
//   osteoscreen --threads 2 -q synth --patients 1000 --seed 1 --out /tmp/synth1000
#include <benchmark/benchmark.h>

#include "osteo/synth/hospital.h"

namespace {

using namespace osteo::synth;

const SynthPatient& patient(int rows) {
  static const SynthPatient p512 = plan_patient(1, 3, {}, 512);
  static const SynthPatient p768 = plan_patient(1, 3, {}, 768);
  return rows == 768 ? p768 : p512;
}

void BM_SynthRender(benchmark::State& state) {
  const SynthPatient& p = patient(static_cast<int>(state.range(0)));
  const PhantomParams params = phantom_params(p, p.studies[0].images[0]);
  for (auto _ : state) benchmark::DoNotOptimize(render_hip_phantom(params));
}
BENCHMARK(BM_SynthRender)->Arg(512)->Arg(768)->Unit(benchmark::kMillisecond);

void BM_SynthEncode(benchmark::State& state) {
  const SynthPatient& p = patient(512);
  const osteo::DicomImageSpec spec = make_image_spec(p, p.studies[0], p.studies[0].images[0]);
  const auto ts = static_cast<osteo::TransferSyntax>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto encoded = osteo::encode_dicom(spec, ts);
    if (!encoded) {
      state.SkipWithError(encoded.error().to_string().c_str());
      return;
    }
    bytes = encoded->size();
  }
  state.SetLabel(osteo::transfer_syntax_short_name(ts));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_SynthEncode)
    ->Arg(static_cast<int>(osteo::TransferSyntax::kExplicitLittle))
    ->Arg(static_cast<int>(osteo::TransferSyntax::kJpegLossless))
    ->Arg(static_cast<int>(osteo::TransferSyntax::kJpegLsLossless))
    ->Arg(static_cast<int>(osteo::TransferSyntax::kRle))
    ->Unit(benchmark::kMillisecond);

}  // namespace
