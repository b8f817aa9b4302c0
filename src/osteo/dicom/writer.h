#pragma once
/// @file
/// Writing grayscale radiographs as DICOM (CR or DX) in a chosen transfer syntax, through
/// DCMTK's encoders. Used by the synthetic hospital and by tests that need real DICOM files of
/// every encoding. Output is deterministic: the same spec gives the same bytes (all UIDs come
/// from the spec; nothing is derived from time, host or process id).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "osteo/core/error.h"

namespace osteo {

enum class TransferSyntax {
  kImplicitLittle,      ///< 1.2.840.10008.1.2
  kExplicitLittle,      ///< 1.2.840.10008.1.2.1
  kExplicitBig,         ///< 1.2.840.10008.1.2.2 (retired, still met in archives)
  kDeflatedLittle,      ///< 1.2.840.10008.1.2.1.99
  kJpegBaseline,        ///< 1.2.840.10008.1.2.4.50 (8-bit only)
  kJpegExtended,        ///< 1.2.840.10008.1.2.4.51 (up to 12-bit)
  kJpegLossless,        ///< 1.2.840.10008.1.2.4.70 (SV1)
  kJpegLsLossless,      ///< 1.2.840.10008.1.2.4.80
  kJpegLsNearLossless,  ///< 1.2.840.10008.1.2.4.81
  kRle,                 ///< 1.2.840.10008.1.2.5
};
const char* transfer_syntax_uid(TransferSyntax ts);
/// Short stable name: "implicit_le", "explicit_le", "explicit_be", "deflate", "jpeg_baseline",
/// "jpeg_extended", "jpeg_lossless", "jpegls_lossless", "jpegls_near_lossless", "rle".
const char* transfer_syntax_short_name(TransferSyntax ts);
/// Every writable syntax, for data-driven tests.
std::vector<TransferSyntax> all_transfer_syntaxes();

/// One single-frame grayscale image and the tags a radiograph archive carries.
struct DicomImageSpec {
  int rows = 0;
  int columns = 0;
  int bits_stored = 12;                ///< 8..16; BitsAllocated is 8 when bits_stored is 8, else 16
  std::vector<std::uint16_t> pixels;   ///< stored values, row-major, each < 2^bits_stored
  std::string photometric = "MONOCHROME2";  ///< or "MONOCHROME1" (high stored value = dark)

  // Rendering
  std::optional<double> window_center;
  std::optional<double> window_width;
  /// A VOI LUT Sequence item (takes precedence over the window when rendering).
  struct VoiLut {
    int first_mapped = 0;             ///< first stored value the LUT covers
    int bits = 16;                    ///< bits per LUT entry
    std::vector<std::uint16_t> data;  ///< output values
  };
  std::optional<VoiLut> voi_lut;
  std::optional<double> rescale_slope;
  std::optional<double> rescale_intercept;

  // Geometry
  std::optional<std::array<double, 2>> pixel_spacing;         ///< (0028,0030) mm, row\col
  std::optional<std::array<double, 2>> imager_pixel_spacing;  ///< (0018,1164) mm
  std::optional<double> magnification;                        ///< (0018,1114)

  // Identity and acquisition
  std::string modality = "CR";  ///< "CR" or "DX"; selects the SOP class
  std::string body_part;        ///< e.g. "HIP", "PELVIS"
  std::string view_position;    ///< e.g. "AP"
  std::string image_laterality; ///< "L", "R" or "" (written to ImageLaterality)
  std::string manufacturer;
  std::string patient_id;
  std::string patient_name;
  std::string patient_sex;      ///< "F", "M", "O"
  std::string patient_birth_date;  ///< DA, YYYYMMDD
  std::string patient_age;         ///< AS, e.g. "067Y"
  std::string study_date;          ///< DA
  std::string study_time;          ///< TM
  std::string accession_number;
  std::string study_uid;
  std::string series_uid;
  std::string sop_instance_uid;
  std::string institution_name;

  /// false writes a legacy file: no 128-byte preamble, no "DICM", no file meta header
  /// (implicit VR little endian only).
  bool with_file_meta = true;
};

/// Encodes the spec as a DICOM file in memory. kInvalidArgument for an inconsistent spec
/// (pixel count, bit depth beyond what the syntax supports), kIoError if the encoder fails.
Result<std::vector<std::uint8_t>> encode_dicom(const DicomImageSpec& spec, TransferSyntax ts);
/// Same, written to `path` (atomically: a temporary file renamed into place).
Status write_dicom(const DicomImageSpec& spec, TransferSyntax ts, const std::string& path);

}  // namespace osteo
