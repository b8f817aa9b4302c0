// `osteoscreen synth`: writes a synthetic hospital (DICOM radiographs, DEXA export, truth) and
// prints its JSON summary on stdout. A thin adapter over osteo/synth/hospital.h.
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.h"
#include "osteo/synth/hospital.h"

namespace osteo::cli {

Runner setup_synth(CLI::App& sub, const GlobalOptions& global) {
  struct Args {
    int patients = 100;
    std::uint64_t seed = 1;
    std::string out;
    int image_size = 512;
  };
  auto args = std::make_shared<Args>();
  sub.add_option("--patients", args->patients, "Number of patients")->check(CLI::Range(1, 1000000));
  sub.add_option("--seed", args->seed, "Seed: the same seed gives the same bytes in every file");
  sub.add_option("--out", args->out,
                 "Output folder: absent, empty, or a previous synth output (whose files are replaced)")
      ->required();
  sub.add_option("--image-size", args->image_size, "Rows of each radiograph in pixels (columns = 0.8 x rows)")
      ->check(CLI::Range(64, 2048));
  return [args, &global]() -> int {
    synth::SynthOptions options;
    options.patients = args->patients;
    options.seed = args->seed;
    options.image_rows = args->image_size;
    options.threads = global.threads;
    options.progress = !global.quiet;
    auto summary = synth::generate_hospital(args->out, options);
    if (!summary) {
      spdlog::error("{}", summary.error().to_string());
      return summary.error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
    }
    std::cout << summary->dump(2) << std::endl;
    spdlog::info("synth: {} patients, {} images in {} s", args->patients, (*summary)["images"].get<int>(),
                 (*summary)["seconds"].get<double>());
    return kExitOk;
  };
}

}  // namespace osteo::cli
