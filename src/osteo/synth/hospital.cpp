#include "osteo/synth/hospital.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <opencv2/core.hpp>

#include "osteo/core/parallel.h"
#include "osteo/core/progress.h"
#include "osteo/synth/dexa_csv.h"
#include "osteo/synth/phantom.h"
#include "osteo/synth/rng.h"

namespace osteo::synth {
namespace fs = std::filesystem;
namespace {

constexpr const char* kGeneratorTag = "osteoscreen-synth";

std::string dicom_date(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
  return buf;
}

// Window from robust percentiles of the stored values, as a modality's auto-window would.
std::pair<double, double> auto_window(const std::vector<std::uint16_t>& px) {
  std::vector<int> hist(4096, 0);
  for (auto v : px) ++hist[v];
  auto percentile = [&](double f) {
    const auto target = static_cast<std::size_t>(f * px.size());
    std::size_t acc = 0;
    for (int v = 0; v < 4096; ++v) {
      acc += hist[v];
      if (acc > target) return v;
    }
    return 4095;
  };
  const int lo = percentile(0.005), hi = percentile(0.999);
  return {std::round((lo + hi) / 2.0), std::max(64.0, static_cast<double>(hi - lo + 1))};
}

// The DEXA row a correct matcher pairs with an image: same patient, same side, the smallest
// |days| within the window; ties go to the earlier measurement.
const SynthDexaRow* expected_dexa(const SynthPatient& p, const SynthStudy& st, const SynthImage& im) {
  const SynthDexaRow* best = nullptr;
  std::int64_t best_days = 0;
  for (const SynthDexaRow& row : p.dexa) {
    if (row.side != im.side) continue;
    const std::int64_t days = std::llabs(row.date.days_since_epoch() - st.date.days_since_epoch());
    if (days > kMatchWindowDays) continue;
    if (!best || days < best_days || (days == best_days && row.date < best->date)) {
      best = &row;
      best_days = days;
    }
  }
  return best;
}

nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

Status write_text_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return fail(ErrorCode::kIoError, tmp.string() + ": cannot open for writing");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) return fail(ErrorCode::kIoError, tmp.string() + ": write failed");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail(ErrorCode::kIoError, path.string() + ": " + ec.message());
  return {};
}

// An output folder we may write into: absent, empty, or one of our own earlier outputs.
Status prepare_out_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return fail(ErrorCode::kInvalidArgument, dir.string() + ": exists and is not a directory");
    if (!fs::is_empty(dir, ec)) {
      std::ifstream truth(dir / "truth.json");
      bool ours = false;
      if (truth) {
        try {
          const auto j = nlohmann::json::parse(truth);
          ours = j.value("generator", "") == kGeneratorTag;
        } catch (const nlohmann::json::exception&) {
          ours = false;
        }
      }
      if (!ours)
        return fail(ErrorCode::kInvalidArgument,
                    dir.string() + ": not empty and not a previous synth output (no truth.json from osteoscreen synth); "
                                   "refusing to write into it");
      fs::remove_all(dir / "dicom", ec);
      if (ec) return fail(ErrorCode::kIoError, (dir / "dicom").string() + ": cannot remove: " + ec.message());
      fs::remove(dir / "dexa_export.csv", ec);
      fs::remove(dir / "truth.json", ec);
    }
  }
  fs::create_directories(dir / "dicom", ec);
  if (ec) return fail(ErrorCode::kIoError, (dir / "dicom").string() + ": cannot create: " + ec.message());
  return {};
}

struct Job {
  const SynthPatient* patient;
  const SynthStudy* study;
  const SynthImage* image;
};

// OpenCV's own thread pool is process-wide; our workers already run in parallel, and nested
// pools only oversubscribe the cores. Restored on exit.
class OpenCvSingleThread {
 public:
  OpenCvSingleThread() : saved_(cv::getNumThreads()) { cv::setNumThreads(1); }
  ~OpenCvSingleThread() { cv::setNumThreads(saved_); }

 private:
  int saved_;
};

}  // namespace

PhantomParams phantom_params(const SynthPatient& patient, const SynthImage& image) {
  PhantomParams params;
  params.rows = image.rows;
  params.columns = image.columns;
  params.side = image.side;
  params.neck_bmd = image.true_neck_bmd;
  params.bmi = patient.bmi;
  params.pelvis_view = image.body_part == "PELVIS";
  Rng rng(image.pixel_seed);
  randomize_nuisance(params, rng);
  return params;
}

DicomImageSpec make_image_spec(const SynthPatient& patient, const SynthStudy& study, const SynthImage& image) {
  Phantom ph = render_hip_phantom(phantom_params(patient, image));

  DicomImageSpec spec;
  spec.rows = ph.rows;
  spec.columns = ph.columns;
  spec.bits_stored = 12;
  auto [center, width] = auto_window(ph.pixels);
  spec.photometric = image.photometric;
  if (image.photometric == "MONOCHROME1") {
    // MONOCHROME1 stores attenuation as low values; the window moves with the data.
    for (auto& v : ph.pixels) v = static_cast<std::uint16_t>(4095 - v);
    center = 4095 - center;
  }
  spec.pixels = std::move(ph.pixels);
  spec.window_center = center;
  spec.window_width = width;
  const std::array<double, 2> spacing{image.spacing_mm, image.spacing_mm};
  if (image.spacing_source == SpacingSource::kPixelSpacing) spec.pixel_spacing = spacing;
  else spec.imager_pixel_spacing = spacing;

  spec.modality = image.modality;
  spec.body_part = image.body_part;
  spec.view_position = "AP";
  spec.image_laterality = side_code(image.side);
  spec.manufacturer = image.manufacturer;
  spec.patient_id = patient.id;
  spec.patient_name = "SYNTHETIC^" + patient.id;
  spec.patient_sex = std::string(1, patient.sex);
  spec.patient_birth_date = dicom_date(patient.birth_date);
  char age[8];
  std::snprintf(age, sizeof age, "%03dY", std::clamp(patient.age_on(study.date), 0, 999));
  spec.patient_age = age;
  spec.study_date = dicom_date(study.date);
  spec.study_time = study.time;
  spec.accession_number = study.accession;
  spec.study_uid = study.study_uid;
  spec.series_uid = image.series_uid;
  spec.sop_instance_uid = image.sop_uid;
  spec.institution_name = "OsteoScreen Synthetic Hospital";
  return spec;
}

nlohmann::json truth_json(const std::vector<SynthPatient>& patients, const SynthOptions& options) {
  nlohmann::json j;
  j["generator"] = kGeneratorTag;
  j["seed"] = options.seed;
  j["patients_requested"] = options.patients;
  j["image_rows"] = options.image_rows;
  j["t_score_reference"] = {{"site", "femoral_neck"}, {"mean_g_cm2", kNeckRefMean}, {"sd_g_cm2", kNeckRefSd},
                            {"population", "NHANES III young white women, used for both sexes"}};
  j["match_rule"] = "same patient, same side, smallest |days| <= 183 between DEXA and study date, ties to the earlier DEXA";
  const FlawRates& r = options.rates;
  j["flaw_rates"] = {{"dexa_only_patient", r.dexa_only_patient}, {"out_of_window_study", r.out_of_window_study},
                     {"no_dexa_study", r.no_dexa_study},         {"single_side_dexa", r.single_side_dexa},
                     {"missing_neck_t", r.missing_neck_t},       {"missing_neck_bmd", r.missing_neck_bmd},
                     {"missing_total", r.missing_total},         {"missing_wards", r.missing_wards},
                     {"missing_shaft", r.missing_shaft},         {"duplicate_row", r.duplicate_row},
                     {"unparsable_number", r.unparsable_number}};
  nlohmann::json list = nlohmann::json::array();
  for (const SynthPatient& p : patients) {
    nlohmann::json pj;
    pj["id"] = p.id;
    pj["sex"] = std::string(1, p.sex);
    pj["birth_date"] = p.birth_date.iso();
    pj["ethnicity"] = p.ethnicity;
    pj["bmi"] = p.bmi;
    pj["dexa_only"] = p.dexa_only;
    nlohmann::json studies = nlohmann::json::array();
    for (const SynthStudy& st : p.studies) {
      nlohmann::json sj;
      sj["index"] = st.index;
      sj["date"] = st.date.iso();
      sj["study_uid"] = st.study_uid;
      sj["flaw"] = st.flaw.empty() ? nlohmann::json(nullptr) : nlohmann::json(st.flaw);
      sj["age"] = p.age_on(st.date);
      nlohmann::json images = nlohmann::json::array();
      for (const SynthImage& im : st.images) {
        const double t = neck_t_score(im.true_neck_bmd);
        nlohmann::json ij;
        ij["path"] = im.rel_path;
        ij["sop_instance_uid"] = im.sop_uid;
        ij["series_uid"] = im.series_uid;
        ij["side"] = side_code(im.side);
        ij["modality"] = im.modality;
        ij["photometric"] = im.photometric;
        ij["transfer_syntax"] = transfer_syntax_short_name(im.transfer_syntax);
        ij["body_part"] = im.body_part;
        ij["manufacturer"] = im.manufacturer;
        ij["spacing_source"] = spacing_source_name(im.spacing_source);
        ij["spacing_mm"] = im.spacing_mm;
        ij["true_neck_bmd"] = std::round(im.true_neck_bmd * 10000) / 10000;
        ij["true_neck_t"] = std::round(t * 100) / 100;
        ij["true_category"] = who_name(who_category(t));
        if (const SynthDexaRow* row = expected_dexa(p, st, im)) {
          nlohmann::json dj;
          dj["date"] = row->date.iso();
          dj["side"] = side_code(row->side);
          dj["days"] = row->date.days_since_epoch() - st.date.days_since_epoch();
          dj["neck_bmd"] = opt(row->neck_bmd);
          dj["neck_t"] = opt(row->neck_t);
          // The label a matcher derives: the exported T-score, else the T-score of the BMD.
          std::optional<double> label_t = row->neck_t;
          if (!label_t && row->neck_bmd) label_t = neck_t_score(*row->neck_bmd);
          dj["category"] = label_t ? nlohmann::json(who_name(who_category(*label_t))) : nlohmann::json(nullptr);
          ij["expected_dexa"] = dj;
        } else {
          ij["expected_dexa"] = nullptr;
        }
        images.push_back(ij);
      }
      sj["images"] = images;
      studies.push_back(sj);
    }
    pj["studies"] = studies;
    nlohmann::json dexa = nlohmann::json::array();
    for (const SynthDexaRow& row : p.dexa) {
      nlohmann::json dj;
      dj["date"] = row.date.iso();
      dj["side"] = side_code(row.side);
      dj["device"] = row.device;
      dj["measured_neck_bmd"] = row.measured_neck_bmd;
      dj["linked_study"] = row.linked_study == 0 ? nlohmann::json(nullptr) : nlohmann::json(row.linked_study);
      dj["flaws"] = row.flaws;
      dj["csv_line"] = dexa_csv_line(p, row);
      dexa.push_back(dj);
    }
    pj["dexa"] = dexa;
    list.push_back(pj);
  }
  j["patients"] = list;
  return j;
}

Result<nlohmann::json> generate_hospital(const std::string& out_dir, const SynthOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.patients < 1 || options.patients > 1'000'000)
    return fail(ErrorCode::kInvalidArgument, "patients must be in 1..1000000, got " + std::to_string(options.patients));
  if (options.image_rows < 64 || options.image_rows > 2048)
    return fail(ErrorCode::kInvalidArgument, "image size must be in 64..2048 px, got " + std::to_string(options.image_rows));
  const fs::path dir(out_dir);
  if (auto st = prepare_out_dir(dir); !st) return tl::unexpected(st.error());

  std::vector<SynthPatient> patients;
  patients.reserve(static_cast<std::size_t>(options.patients));
  for (int i = 0; i < options.patients; ++i) patients.push_back(plan_patient(options.seed, i, options.rates, options.image_rows));

  std::vector<Job> jobs;
  std::error_code ec;
  for (const SynthPatient& p : patients)
    for (const SynthStudy& st : p.studies) {
      fs::create_directories(dir / "dicom" / p.id / std::to_string(st.index), ec);
      if (ec) return fail(ErrorCode::kIoError, (dir / "dicom" / p.id).string() + ": cannot create: " + ec.message());
      for (const SynthImage& im : st.images) jobs.push_back({&p, &st, &im});
    }

  {
    OpenCvSingleThread single;
    Progress progress("synth", jobs.size(), options.progress);
    try {
      parallel_for(jobs.size(), options.threads, [&](std::size_t i) {
        const Job& job = jobs[i];
        const DicomImageSpec spec = make_image_spec(*job.patient, *job.study, *job.image);
        value_or_throw(write_dicom(spec, job.image->transfer_syntax, (dir / job.image->rel_path).string()));
        progress.advance();
      });
    } catch (const OsteoError& e) {
      return tl::unexpected(e.error());
    } catch (const cv::Exception& e) {
      return fail(ErrorCode::kInternal, std::string("synth image rendering failed: ") + e.what());
    }
    progress.finish();
  }

  const std::string csv = dexa_csv_text(patients);
  if (auto st = write_text_file(dir / "dexa_export.csv", csv); !st) return tl::unexpected(st.error());
  // truth.json last: its presence marks a complete output (and lets a rerun overwrite it).
  if (auto st = write_text_file(dir / "truth.json", truth_json(patients, options).dump(1)); !st)
    return tl::unexpected(st.error());

  // --- Summary.
  std::map<std::string, int> by_modality, by_syntax, by_photometric, by_category, by_body_part, by_side, by_spacing, flaws;
  int studies = 0, images = 0, dexa_rows = 0, dexa_only = 0;
  for (const SynthPatient& p : patients) {
    if (p.dexa_only) ++dexa_only;
    for (const SynthStudy& st : p.studies) {
      ++studies;
      if (!st.flaw.empty()) ++flaws["study_" + st.flaw];
      for (const SynthImage& im : st.images) {
        ++images;
        ++by_modality[im.modality];
        ++by_syntax[transfer_syntax_short_name(im.transfer_syntax)];
        ++by_photometric[im.photometric];
        ++by_body_part[im.body_part];
        ++by_side[side_code(im.side)];
        ++by_spacing[spacing_source_name(im.spacing_source)];
        ++by_category[who_name(who_category(neck_t_score(im.true_neck_bmd)))];
      }
    }
    for (const SynthDexaRow& row : p.dexa) {
      dexa_rows += row.duplicated ? 2 : 1;
      for (const std::string& f : row.flaws) ++flaws["row_" + f];
    }
  }
  flaws["patient_dexa_only"] = dexa_only;
  std::uintmax_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec))
    if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  nlohmann::json s;
  s["out"] = dir.string();
  s["seed"] = options.seed;
  s["patients"] = options.patients;
  s["studies"] = studies;
  s["images"] = images;
  s["by_modality"] = by_modality;
  s["by_transfer_syntax"] = by_syntax;
  s["by_photometric"] = by_photometric;
  s["by_body_part"] = by_body_part;
  s["by_side"] = by_side;
  s["by_spacing_source"] = by_spacing;
  s["by_category"] = by_category;
  s["dexa_rows"] = dexa_rows;
  s["flaws"] = flaws;
  s["bytes"] = bytes;
  s["seconds"] = std::round(seconds * 1000) / 1000;
  return s;
}

}  // namespace osteo::synth
