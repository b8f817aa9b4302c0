#include "osteo/dicom/dicom_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmimgle/dcmimage.h>

#include <cctype>
#include <cmath>
#include <memory>

#include "osteo/dicom/codecs.h"
#include "osteo/dicom/dcmtk_io.h"
#include "osteo/dicom/j2k_transcode.h"

namespace osteo::dicom {
namespace {

enum class Decoder { kDcmtk, kGdcmJ2k, kNone };

Decoder decoder_for(E_TransferSyntax xfer) {
  if (!DcmXfer(xfer).isEncapsulated()) return Decoder::kDcmtk;
  switch (xfer) {
    // The decoders DJDecoderRegistration / DJLSDecoderRegistration / RLE register.
    case EXS_JPEGProcess1:
    case EXS_JPEGProcess2_4:
    case EXS_JPEGProcess6_8:
    case EXS_JPEGProcess10_12:
    case EXS_JPEGProcess14:
    case EXS_JPEGProcess14SV1:
    case EXS_JPEGLSLossless:
    case EXS_JPEGLSLossy:
    case EXS_RLELossless: return Decoder::kDcmtk;
    case EXS_JPEG2000LosslessOnly:
    case EXS_JPEG2000:
    case EXS_JPEG2000MulticomponentLosslessOnly:
    case EXS_JPEG2000Multicomponent: return Decoder::kGdcmJ2k;
    default: return Decoder::kNone;
  }
}

std::string trim(const char* text) {
  std::string s = text ? text : "";
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string get_string(DcmItem& ds, const DcmTagKey& key) {
  OFString value;
  if (ds.findAndGetOFStringArray(key, value).bad()) return {};
  return trim(value.c_str());
}

/// A two-valued spacing tag, or nullopt when absent, non-numeric, zero or negative
/// ("0.000\0.000" occurs in real files and means "not calibrated"). A single value is taken
/// as isotropic.
std::optional<std::array<double, 2>> get_spacing(DcmItem& ds, const DcmTagKey& key) {
  Float64 row = 0.0;
  Float64 column = 0.0;
  if (ds.findAndGetFloat64(key, row, 0).bad()) return std::nullopt;
  if (ds.findAndGetFloat64(key, column, 1).bad()) column = row;
  if (!std::isfinite(row) || !std::isfinite(column) || row <= 0.0 || column <= 0.0) return std::nullopt;
  return std::array<double, 2>{row, column};
}

/// Everything of RadiographMeta a DICOM header holds. Spacing rule: PixelSpacing when valid
/// (it may be calibrated to the patient plane, so it is the better measure), else
/// ImagerPixelSpacing (detector plane; what most CR/DX devices record), else unknown.
RadiographMeta meta_from_dataset(DcmDataset& ds, E_TransferSyntax xfer) {
  RadiographMeta m;
  Uint16 u16 = 0;
  if (ds.findAndGetUint16(DCM_Rows, u16).good()) m.rows = u16;
  if (ds.findAndGetUint16(DCM_Columns, u16).good()) m.columns = u16;
  if (ds.findAndGetUint16(DCM_BitsStored, u16).good()) m.bits_stored = u16;
  m.photometric = get_string(ds, DCM_PhotometricInterpretation);
  const DcmXfer x(xfer);
  m.transfer_syntax = x.getXferID();
  m.transfer_syntax_name = x.getXferName();

  if (auto spacing = get_spacing(ds, DCM_PixelSpacing)) {
    m.spacing_mm = spacing;
    m.spacing_source = SpacingSource::kPixelSpacing;
  } else if (auto imager = get_spacing(ds, DCM_ImagerPixelSpacing)) {
    m.spacing_mm = imager;
    m.spacing_source = SpacingSource::kImagerPixelSpacing;
  }
  Float64 magnification = 0.0;
  if (ds.findAndGetFloat64(DCM_EstimatedRadiographicMagnificationFactor, magnification).good() &&
      std::isfinite(magnification) && magnification > 0.0) {
    m.magnification = magnification;
  }

  m.laterality = parse_side(get_string(ds, DCM_ImageLaterality));
  if (m.laterality == Side::kUnknown) m.laterality = parse_side(get_string(ds, DCM_Laterality));
  m.modality = get_string(ds, DCM_Modality);
  m.body_part = get_string(ds, DCM_BodyPartExamined);
  m.view_position = get_string(ds, DCM_ViewPosition);
  m.manufacturer = get_string(ds, DCM_Manufacturer);

  m.patient_id = get_string(ds, DCM_PatientID);
  m.patient_sex = get_string(ds, DCM_PatientSex);
  m.birth_date = parse_date(get_string(ds, DCM_PatientBirthDate));
  m.study_date = parse_date(get_string(ds, DCM_StudyDate));
  m.study_time = get_string(ds, DCM_StudyTime);
  m.patient_age_years = parse_age_string(get_string(ds, DCM_PatientAge));
  if (!m.patient_age_years && m.birth_date && m.study_date) {
    // Whole years, the age a person gives, as the AS tag would have recorded it.
    if (auto years = age_in_years(*m.birth_date, *m.study_date)) m.patient_age_years = *years;
  }

  m.study_uid = get_string(ds, DCM_StudyInstanceUID);
  m.series_uid = get_string(ds, DCM_SeriesInstanceUID);
  m.sop_instance_uid = get_string(ds, DCM_SOPInstanceUID);
  return m;
}

/// Layout checks shared by the header-only and the full read, so that ingest never accepts a
/// file the full read would refuse for its layout.
Status check_layout(DcmDataset& ds, const RadiographMeta& m, E_TransferSyntax xfer, const std::string& name,
                    const ReadLimits& limits) {
  if (m.rows <= 0 || m.columns <= 0) {
    return fail(ErrorCode::kNoPixelData, name + ": no image (Rows/Columns absent or zero)");
  }
  Sint32 frames = 1;
  if (ds.findAndGetSint32(DCM_NumberOfFrames, frames).bad() || frames < 1) frames = 1;
  const std::uint64_t pixels =
      static_cast<std::uint64_t>(m.rows) * static_cast<std::uint64_t>(m.columns) * static_cast<std::uint64_t>(frames);
  if (pixels > limits.max_pixels) {
    return fail(ErrorCode::kPixelLimit, name + ": image declares " + std::to_string(m.columns) + "x" +
                                            std::to_string(m.rows) + "x" + std::to_string(frames) + " = " +
                                            std::to_string(pixels) + " pixels, limit is " +
                                            std::to_string(limits.max_pixels));
  }
  // Multi-frame objects (tomosynthesis, cine) are a different acquisition: refusing them is
  // more honest than silently keeping frame 0.
  if (frames > 1) {
    return fail(ErrorCode::kUnsupportedImage, name + ": multi-frame image (" + std::to_string(frames) +
                                                  " frames); a single-frame radiograph is expected");
  }
  Uint16 samples = 1;
  if (ds.findAndGetUint16(DCM_SamplesPerPixel, samples).bad()) samples = 1;
  if (samples != 1 || (m.photometric != "MONOCHROME1" && m.photometric != "MONOCHROME2")) {
    return fail(ErrorCode::kUnsupportedImage, name + ": colour or unknown photometric interpretation '" +
                                                  m.photometric + "' (" + std::to_string(samples) +
                                                  " samples/pixel); a grayscale radiograph is expected");
  }
  if (decoder_for(xfer) == Decoder::kNone) {
    return fail(ErrorCode::kUnsupportedTransferSyntax,
                name + ": no decoder for transfer syntax " + m.transfer_syntax + " (" + m.transfer_syntax_name + ")");
  }
  return {};
}

/// Header-only parse plus layout checks plus a cheap truncation check.
Result<std::pair<RadiographMeta, E_TransferSyntax>> header(const std::uint8_t* data, std::size_t size,
                                                           const std::string& name, const ReadLimits& limits) {
  if (auto ok = ensure_decoders(); !ok) return tl::unexpected(ok.error());
  auto parsed = parse_dicom_buffer(data, size, name, /*header_only=*/true);
  if (!parsed) return tl::unexpected(parsed.error());
  DcmDataset& ds = *parsed->file->getDataset();
  RadiographMeta meta = meta_from_dataset(ds, parsed->xfer);
  if (auto ok = check_layout(ds, meta, parsed->xfer, name, limits); !ok) return tl::unexpected(ok.error());

  const auto remaining = static_cast<std::uint64_t>(size) - static_cast<std::uint64_t>(parsed->consumed);
  if (remaining == 0) return fail(ErrorCode::kNoPixelData, name + ": no PixelData element");
  // For native (uncompressed, non-deflated) data the pixel bytes are known from the header, so
  // a truncated file is caught here without decoding anything.
  const DcmXfer x(parsed->xfer);
  if (!x.isEncapsulated() && parsed->xfer != EXS_DeflatedLittleEndianExplicit) {
    Uint16 bits_allocated = 16;
    if (ds.findAndGetUint16(DCM_BitsAllocated, bits_allocated).bad()) bits_allocated = 16;
    const std::uint64_t needed = (static_cast<std::uint64_t>(meta.rows) * static_cast<std::uint64_t>(meta.columns) *
                                      bits_allocated + 7) / 8;
    if (remaining < needed) {
      return fail(ErrorCode::kDicomParse, name + ": truncated: pixel data needs " + std::to_string(needed) +
                                              " bytes, only " + std::to_string(remaining) + " remain");
    }
  }
  return std::make_pair(std::move(meta), parsed->xfer);
}

Result<std::vector<float>> render(DcmFileFormat& file, E_TransferSyntax xfer, const RadiographMeta& meta,
                                  const std::string& name) {
  DicomImage image(&file, xfer, CIF_DecompressCompletePixelData, 0, 1);
  if (image.getStatus() != EIS_Normal) {
    return fail(ErrorCode::kDecodeFailed, name + ": pixel data could not be decoded: " +
                                              DicomImage::getString(image.getStatus()));
  }
  if (!image.isMonochrome()) return fail(ErrorCode::kUnsupportedImage, name + ": not a grayscale image");
  if (static_cast<int>(image.getWidth()) != meta.columns || static_cast<int>(image.getHeight()) != meta.rows) {
    return fail(ErrorCode::kDecodeFailed, name + ": decoded size differs from the header");
  }
  // VOI choice: a stored VOI LUT is the most specific rendering the modality gave, then a
  // stored window; with neither, the pixel range (min-max) maps to [0,1] so that no image
  // renders as a flat grey band of its container's bit depth.
  bool voi = image.getVoiLutCount() > 0 && image.setVoiLut(0) != 0;
  if (!voi) voi = image.getWindowCount() > 0 && image.setWindow(0) != 0;
  if (!voi) image.setMinMaxWindow(0);

  // getOutputData (not getInterData) applies the presentation LUT, i.e. MONOCHROME1 inversion.
  const auto* out = static_cast<const Uint16*>(image.getOutputData(16, 0, 0));
  if (out == nullptr) return fail(ErrorCode::kDecodeFailed, name + ": rendering failed");
  const std::size_t count = static_cast<std::size_t>(meta.rows) * static_cast<std::size_t>(meta.columns);
  std::vector<float> pixels(count);
  constexpr float kScale = 1.0f / 65535.0f;
  for (std::size_t i = 0; i < count; ++i) pixels[i] = static_cast<float>(out[i]) * kScale;
  return pixels;
}

}  // namespace

std::optional<double> parse_age_string(const std::string& raw) {
  const std::string text = trim(raw.c_str());
  if (text.size() < 2 || text.size() > 4) return std::nullopt;
  const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
  const std::string digits = text.substr(0, text.size() - 1);
  for (const char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const double n = std::stod(digits);
  switch (unit) {
    case 'Y': return n;
    case 'M': return n / 12.0;
    case 'W': return n * 7.0 / 365.25;
    case 'D': return n / 365.25;
    default: return std::nullopt;
  }
}

Result<RadiographMeta> read_dicom_meta(const std::uint8_t* data, std::size_t size, const std::string& name,
                                       const ReadLimits& limits) {
  try {
    auto h = header(data, size, name, limits);
    if (!h) return tl::unexpected(h.error());
    return std::move(h->first);
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::kDicomParse, name + ": out of memory while parsing (hostile lengths?)");
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDicomParse, name + ": " + e.what());
  }
}

Result<Radiograph> read_dicom(const std::uint8_t* data, std::size_t size, const std::string& name,
                              const ReadLimits& limits) {
  try {
    auto h = header(data, size, name, limits);
    if (!h) return tl::unexpected(h.error());
    Radiograph radiograph;
    radiograph.meta = std::move(h->first);

    std::vector<std::uint8_t> transcoded;
    const std::uint8_t* native = data;
    std::size_t native_size = size;
    if (decoder_for(h->second) == Decoder::kGdcmJ2k) {
      auto t = transcode_j2k_to_explicit_little(data, size, name);
      if (!t) return tl::unexpected(t.error());
      transcoded = std::move(*t);
      native = transcoded.data();
      native_size = transcoded.size();
    }
    auto parsed = parse_dicom_buffer(native, native_size, name, /*header_only=*/false);
    if (!parsed) return tl::unexpected(parsed.error());
    auto pixels = render(*parsed->file, parsed->xfer, radiograph.meta, name);
    if (!pixels) return tl::unexpected(pixels.error());
    radiograph.pixels = std::move(*pixels);
    return radiograph;
  } catch (const std::bad_alloc&) {
    return fail(ErrorCode::kDecodeFailed, name + ": out of memory while decoding");
  } catch (const std::exception& e) {
    return fail(ErrorCode::kDecodeFailed, name + ": " + e.what());
  }
}

}  // namespace osteo::dicom
