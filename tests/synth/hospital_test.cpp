#include "osteo/synth/hospital.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "osteo/image/read.h"
#include "support/test_support.h"

namespace osteo::synth {
namespace {
namespace fs = std::filesystem;

SynthOptions tiny(std::uint64_t seed, unsigned threads) {
  SynthOptions o;
  o.patients = 14;
  o.seed = seed;
  o.image_rows = 128;
  o.threads = threads;
  return o;
}

// Every file under `dir`, relative path → bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = test::read_file(e.path().string());
  return files;
}

TEST(SynthHospital, SameSeedSameBytesWhateverTheThreads) {
  test::TempDir a, b, c;
  ASSERT_TRUE(generate_hospital(a.file("h"), tiny(5, 1)));
  ASSERT_TRUE(generate_hospital(b.file("h"), tiny(5, 2)));
  ASSERT_TRUE(generate_hospital(c.file("h"), tiny(6, 2)));
  const auto sa = snapshot(a.file("h")), sb = snapshot(b.file("h")), sc = snapshot(c.file("h"));
  EXPECT_GT(sa.size(), 14u);
  ASSERT_EQ(sa.size(), sb.size());
  for (const auto& [path, bytes] : sa) {
    ASSERT_TRUE(sb.count(path)) << path;
    EXPECT_TRUE(sb.at(path) == bytes) << path << " differs between 1 and 2 threads";
  }
  EXPECT_NE(sa.at("dexa_export.csv"), sc.at("dexa_export.csv"));
  EXPECT_NE(sa.at("truth.json"), sc.at("truth.json"));
}

TEST(SynthHospital, RefusesAForeignFolderButReplacesItsOwnOutput) {
  test::TempDir dir;
  test::write_file(dir.file("notes.txt"), "precious");
  auto r = generate_hospital(dir.path().string(), tiny(1, 2));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(test::read_file(dir.file("notes.txt")), "precious");

  const std::string out = dir.file("synth");
  ASSERT_TRUE(generate_hospital(out, tiny(1, 2)));
  const auto first = snapshot(out);
  auto again = generate_hospital(out, tiny(1, 2));
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(snapshot(out), first);
}

TEST(SynthHospital, RejectsOutOfRangeOptions) {
  test::TempDir dir;
  SynthOptions o = tiny(1, 1);
  o.patients = 0;
  EXPECT_EQ(generate_hospital(dir.file("x"), o).error().code, ErrorCode::kInvalidArgument);
  o = tiny(1, 1);
  o.image_rows = 10;
  EXPECT_EQ(generate_hospital(dir.file("x"), o).error().code, ErrorCode::kInvalidArgument);
}

// The files read back through the real reader with the tags the truth promises, and bone
// renders bright whatever the photometric interpretation.
TEST(SynthHospital, FilesReadBackWithTheirTagsAndBrightBone) {
  test::TempDir dir;
  SynthOptions o = tiny(21, 2);
  o.patients = 30;
  const std::string out = dir.file("h");
  auto summary = generate_hospital(out, o);
  ASSERT_TRUE(summary) << summary.error().to_string();

  std::ifstream truth_in(out + "/truth.json");
  const auto truth = nlohmann::json::parse(truth_in);
  EXPECT_EQ(truth["patients"].size(), 30u);
  std::map<std::string, int> photometric, spacing;
  int images = 0;
  for (int i = 0; i < o.patients; ++i) {
    const SynthPatient p = plan_patient(o.seed, i, o.rates, o.image_rows);
    for (const SynthStudy& st : p.studies)
      for (const SynthImage& im : st.images) {
        ++images;
        auto rg = read_radiograph(out + "/" + im.rel_path);
        ASSERT_TRUE(rg) << rg.error().to_string();
        const RadiographMeta& m = rg->meta;
        EXPECT_EQ(m.patient_id, p.id);
        EXPECT_EQ(m.patient_sex, std::string(1, p.sex));
        EXPECT_EQ(m.laterality, im.side);
        EXPECT_EQ(m.modality, im.modality);
        EXPECT_EQ(m.photometric, im.photometric);
        EXPECT_EQ(m.body_part, im.body_part);
        EXPECT_EQ(m.view_position, "AP");
        EXPECT_EQ(m.sop_instance_uid, im.sop_uid);
        ASSERT_TRUE(m.study_date);
        EXPECT_EQ(*m.study_date, st.date);
        EXPECT_GE(m.study_date->year, 2018);
        EXPECT_LE(m.study_date->year, 2022);
        ASSERT_TRUE(m.birth_date);
        EXPECT_EQ(*m.birth_date, p.birth_date);
        EXPECT_EQ(m.spacing_source, im.spacing_source);
        ASSERT_TRUE(m.spacing_mm);
        EXPECT_NEAR((*m.spacing_mm)[0], im.spacing_mm, 1e-6);
        EXPECT_EQ(m.transfer_syntax, transfer_syntax_uid(im.transfer_syntax));
        ++photometric[im.photometric];
        ++spacing[spacing_source_name(im.spacing_source)];

        // Bone bright: rendered neck ROI well above the soft-tissue ROI of the same image.
        const Phantom ph = render_hip_phantom(phantom_params(p, im));
        auto mean_box = [&](const PixelBox& b) {
          double s = 0;
          for (int r = b.y; r < b.y + b.height; ++r)
            for (int c = b.x; c < b.x + b.width; ++c) s += rg->at(r, c);
          return s / (b.width * b.height);
        };
        EXPECT_GT(mean_box(ph.neck_roi), mean_box(ph.soft_tissue_roi) + 0.1) << im.rel_path << " " << im.photometric;
      }
  }
  EXPECT_EQ((*summary)["images"].get<int>(), images);
  EXPECT_EQ(photometric.size(), 2u) << "both MONOCHROME1 and MONOCHROME2 expected in 30 patients";
  EXPECT_EQ(spacing.size(), 2u);
}

TEST(SynthHospital, TruthAndSummaryAgree) {
  test::TempDir dir;
  SynthOptions o = tiny(8, 2);
  o.patients = 40;
  auto summary = generate_hospital(dir.file("h"), o);
  ASSERT_TRUE(summary);
  std::ifstream truth_in(dir.file("h") + "/truth.json");
  const auto truth = nlohmann::json::parse(truth_in);
  int images = 0, with_dexa = 0, csv_rows = 0;
  for (const auto& p : truth["patients"]) {
    for (const auto& st : p["studies"])
      for (const auto& im : st["images"]) {
        ++images;
        EXPECT_TRUE(fs::exists(dir.file("h") + "/" + im["path"].get<std::string>()));
        const bool no_match_expected = st["flaw"].is_string();
        if (no_match_expected) { EXPECT_TRUE(im["expected_dexa"].is_null()) << im["path"]; }
        if (!im["expected_dexa"].is_null()) {
          ++with_dexa;
          EXPECT_LE(std::abs(im["expected_dexa"]["days"].get<int>()), kMatchWindowDays);
          EXPECT_EQ(im["expected_dexa"]["side"], im["side"]);
        }
      }
    for (const auto& row : p["dexa"]) {
      const auto& flaws = row["flaws"];
      csv_rows += std::find(flaws.begin(), flaws.end(), "duplicate_row") != flaws.end() ? 2 : 1;
    }
  }
  EXPECT_EQ((*summary)["images"].get<int>(), images);
  EXPECT_EQ((*summary)["dexa_rows"].get<int>(), csv_rows);
  EXPECT_GT(with_dexa, images / 2);
  const std::string csv = test::read_file(dir.file("h") + "/dexa_export.csv");
  EXPECT_EQ(static_cast<int>(std::count(csv.begin(), csv.end(), '\n')), csv_rows + 1);
}

}  // namespace
}  // namespace osteo::synth
