#include "osteo/core/radiograph_json.h"

#include <gtest/gtest.h>

namespace osteo {
namespace {

TEST(RadiographJson, RoundTripsEveryField) {
  RadiographMeta m;
  m.path = "/a/b.dcm";
  m.sha256 = "ab12";
  m.format = "dicom";
  m.rows = 2140;
  m.columns = 1760;
  m.bits_stored = 10;
  m.photometric = "MONOCHROME2";
  m.transfer_syntax = "1.2.840.10008.1.2.4.70";
  m.transfer_syntax_name = "JPEG Lossless";
  m.spacing_mm = std::array<double, 2>{0.2, 0.15};
  m.spacing_source = SpacingSource::kImagerPixelSpacing;
  m.magnification = 1.1;
  m.laterality = Side::kLeft;
  m.modality = "CR";
  m.body_part = "HIP";
  m.view_position = "AP";
  m.manufacturer = "ACME";
  m.patient_id = "P1";
  m.patient_sex = "F";
  m.birth_date = Date{1950, 2, 3};
  m.patient_age_years = 70;
  m.study_date = Date{2020, 5, 6};
  m.study_time = "101500";
  m.study_uid = "1.2.3";
  m.series_uid = "1.2.3.4";
  m.sop_instance_uid = "1.2.3.4.5";
  const auto j = meta_to_json(m);
  EXPECT_EQ(j["study_date"], "2020-05-06");
  EXPECT_EQ(j["laterality"], "L");
  EXPECT_EQ(j["spacing_source"], "ImagerPixelSpacing");
  const auto back = meta_from_json(j);
  EXPECT_EQ(meta_to_json(back), j);
}

TEST(RadiographJson, UnknownsAreNull) {
  RadiographMeta m;
  m.path = "x.png";
  const auto j = meta_to_json(m);
  EXPECT_TRUE(j["spacing_mm"].is_null());
  EXPECT_EQ(j["spacing_source"], "unknown");
  EXPECT_TRUE(j["laterality"].is_null());
  EXPECT_TRUE(j["study_date"].is_null());
  EXPECT_TRUE(j["patient_id"].is_null());
}

}  // namespace
}  // namespace osteo
