#pragma once
// Helpers shared by the DICOM/image tests: small synthetic specs, expected window mapping and
// DCMTK-level patching of encoded files (tags the writer deliberately cannot produce).
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "osteo/dicom/writer.h"
#include "support/test_support.h"

namespace osteo::test {

/// A small gradient image with a window covering the middle of the range.
inline DicomImageSpec gradient_spec(int rows = 20, int columns = 24, int bits = 12) {
  DicomImageSpec spec;
  spec.rows = rows;
  spec.columns = columns;
  spec.bits_stored = bits;
  const int max_value = (1 << bits) - 1;
  spec.pixels.resize(static_cast<std::size_t>(rows) * columns);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      // Smooth (so lossy codecs stay close) and covering the whole range.
      const double t = (r * columns + c) / static_cast<double>(rows * columns - 1);
      spec.pixels[static_cast<std::size_t>(r) * columns + c] = static_cast<std::uint16_t>(std::lround(t * max_value));
    }
  }
  spec.window_center = max_value / 2.0;
  spec.window_width = max_value * 0.8;
  spec.modality = "CR";
  spec.body_part = "HIP";
  spec.view_position = "AP";
  spec.image_laterality = "L";
  spec.manufacturer = "OsteoTest";
  spec.patient_id = "P001";
  spec.patient_name = "Test^Patient";
  spec.patient_sex = "F";
  spec.patient_birth_date = "19550310";
  spec.patient_age = "067Y";
  spec.study_date = "20220415";
  spec.study_time = "101500";
  spec.accession_number = "ACC1";
  spec.study_uid = "1.2.826.0.1.3680043.10.1.1";
  spec.series_uid = "1.2.826.0.1.3680043.10.1.1.2";
  spec.sop_instance_uid = "1.2.826.0.1.3680043.10.1.1.2.3";
  spec.pixel_spacing = std::array<double, 2>{0.15, 0.16};
  return spec;
}

/// PS3.3 C.11.2.1.2.1 linear window, as [0,1].
inline double window_linear(double x, double center, double width) {
  const double lo = center - 0.5 - (width - 1) / 2;
  const double hi = center - 0.5 + (width - 1) / 2;
  if (x <= lo) return 0.0;
  if (x > hi) return 1.0;
  return (x - (center - 0.5)) / (width - 1) + 0.5;
}

inline std::vector<std::uint8_t> to_bytes(const std::string& s) { return {s.begin(), s.end()}; }
inline std::string to_string(const std::vector<std::uint8_t>& b) { return {b.begin(), b.end()}; }

/// Loads an encoded file into DCMTK, applies `edit` to its dataset and saves it to `path`
/// (explicit VR little endian unless the file had another syntax).
inline void patch_dicom(const std::vector<std::uint8_t>& bytes, const std::string& path,
                        const std::function<void(DcmDataset&)>& edit) {
  write_file(path, to_string(bytes));
  DcmFileFormat file;
  if (file.loadFile(path.c_str()).bad()) throw std::runtime_error("patch_dicom: cannot load " + path);
  edit(*file.getDataset());
  const E_TransferSyntax xfer = file.getDataset()->getOriginalXfer();
  if (file.saveFile(path.c_str(), xfer).bad()) throw std::runtime_error("patch_dicom: cannot save " + path);
}

}  // namespace osteo::test
