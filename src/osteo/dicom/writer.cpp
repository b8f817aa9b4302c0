#include "osteo/dicom/writer.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrlerp.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <dcmtk/dcmjpeg/djrploss.h>
#include <dcmtk/dcmjpls/djrparam.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <unistd.h>

#include "osteo/core/hash.h"
#include "osteo/dicom/codecs.h"
#include "osteo/dicom/dcmtk_io.h"

namespace osteo {
namespace {

struct SyntaxRow {
  TransferSyntax ts;
  const char* uid;
  const char* short_name;
  E_TransferSyntax dcmtk;
  int max_bits;  ///< deepest BitsStored the encoder accepts
};

const SyntaxRow kSyntaxes[] = {
    {TransferSyntax::kImplicitLittle, "1.2.840.10008.1.2", "implicit_le", EXS_LittleEndianImplicit, 16},
    {TransferSyntax::kExplicitLittle, "1.2.840.10008.1.2.1", "explicit_le", EXS_LittleEndianExplicit, 16},
    {TransferSyntax::kExplicitBig, "1.2.840.10008.1.2.2", "explicit_be", EXS_BigEndianExplicit, 16},
    {TransferSyntax::kDeflatedLittle, "1.2.840.10008.1.2.1.99", "deflate", EXS_DeflatedLittleEndianExplicit, 16},
    {TransferSyntax::kJpegBaseline, "1.2.840.10008.1.2.4.50", "jpeg_baseline", EXS_JPEGProcess1, 8},
    {TransferSyntax::kJpegExtended, "1.2.840.10008.1.2.4.51", "jpeg_extended", EXS_JPEGProcess2_4, 12},
    {TransferSyntax::kJpegLossless, "1.2.840.10008.1.2.4.70", "jpeg_lossless", EXS_JPEGProcess14SV1, 16},
    {TransferSyntax::kJpegLsLossless, "1.2.840.10008.1.2.4.80", "jpegls_lossless", EXS_JPEGLSLossless, 16},
    {TransferSyntax::kJpegLsNearLossless, "1.2.840.10008.1.2.4.81", "jpegls_near_lossless", EXS_JPEGLSLossy, 16},
    {TransferSyntax::kRle, "1.2.840.10008.1.2.5", "rle", EXS_RLELossless, 16},
};

const SyntaxRow& row_of(TransferSyntax ts) {
  for (const auto& row : kSyntaxes) {
    if (row.ts == ts) return row;
  }
  return kSyntaxes[0];
}

std::string format_ds(double value) {
  // DS holds at most 16 characters; %.10g is deterministic and well inside that.
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string format_ds_pair(const std::array<double, 2>& pair) {
  return format_ds(pair[0]) + "\\" + format_ds(pair[1]);
}

std::string pixel_digest(const DicomImageSpec& spec) {
  return sha256_hex(spec.pixels.data(), spec.pixels.size() * sizeof(std::uint16_t));
}

Status validate(const DicomImageSpec& spec, const SyntaxRow& row) {
  if (spec.rows <= 0 || spec.columns <= 0 || spec.rows > 65535 || spec.columns > 65535) {
    return fail(ErrorCode::kInvalidArgument, "DICOM spec: rows and columns must be in 1..65535");
  }
  const auto count = static_cast<std::size_t>(spec.rows) * static_cast<std::size_t>(spec.columns);
  if (spec.pixels.size() != count) {
    return fail(ErrorCode::kInvalidArgument, "DICOM spec: " + std::to_string(spec.pixels.size()) +
                                                 " pixels given for " + std::to_string(spec.rows) + "x" +
                                                 std::to_string(spec.columns));
  }
  if (spec.bits_stored < 8 || spec.bits_stored > 16) {
    return fail(ErrorCode::kInvalidArgument, "DICOM spec: bits_stored must be 8..16");
  }
  if (spec.bits_stored > row.max_bits) {
    return fail(ErrorCode::kInvalidArgument, std::string("DICOM spec: ") + row.short_name + " supports at most " +
                                                 std::to_string(row.max_bits) + " bits, spec has " +
                                                 std::to_string(spec.bits_stored));
  }
  const std::uint32_t limit = 1u << spec.bits_stored;
  for (const auto v : spec.pixels) {
    if (v >= limit) {
      return fail(ErrorCode::kInvalidArgument, "DICOM spec: pixel value " + std::to_string(v) +
                                                   " does not fit in " + std::to_string(spec.bits_stored) + " bits");
    }
  }
  if (spec.photometric != "MONOCHROME1" && spec.photometric != "MONOCHROME2") {
    return fail(ErrorCode::kInvalidArgument, "DICOM spec: photometric must be MONOCHROME1 or MONOCHROME2");
  }
  if (spec.modality != "CR" && spec.modality != "DX") {
    return fail(ErrorCode::kInvalidArgument, "DICOM spec: modality must be CR or DX, got '" + spec.modality + "'");
  }
  if (!spec.with_file_meta && row.ts != TransferSyntax::kImplicitLittle) {
    return fail(ErrorCode::kInvalidArgument,
                "DICOM spec: a file without meta header can only be implicit VR little endian");
  }
  if (spec.voi_lut) {
    const auto n = spec.voi_lut->data.size();
    if (n == 0 || n > 65536 || spec.voi_lut->bits < 8 || spec.voi_lut->bits > 16 ||
        spec.voi_lut->first_mapped < 0 || spec.voi_lut->first_mapped > 65535) {
      return fail(ErrorCode::kInvalidArgument, "DICOM spec: VOI LUT needs 1..65536 entries, 8..16 bits");
    }
  }
  return {};
}

#define OSTEO_PUT(expr)                                                                      \
  do {                                                                                       \
    const OFCondition put_cond = (expr);                                                     \
    if (put_cond.bad()) return fail(ErrorCode::kIoError, std::string("DICOM encode: ") + put_cond.text()); \
  } while (0)

Status put_text(DcmItem& item, const DcmTagKey& key, const std::string& value) {
  if (value.empty()) return {};
  OSTEO_PUT(item.putAndInsertString(key, value.c_str()));
  return {};
}

Status fill_dataset(const DicomImageSpec& spec, DcmDataset& ds) {
  const bool dx = spec.modality == "DX";
  const std::string digest = pixel_digest(spec);
  const std::string study_uid =
      !spec.study_uid.empty() ? spec.study_uid
                              : dicom::seeded_uid("study|" + spec.patient_id + "|" + spec.study_date + "|" + spec.accession_number);
  const std::string series_uid = !spec.series_uid.empty() ? spec.series_uid : dicom::seeded_uid("series|" + study_uid + "|" + spec.modality);
  const std::string sop_uid = !spec.sop_instance_uid.empty() ? spec.sop_instance_uid : dicom::seeded_uid("sop|" + series_uid + "|" + digest);

  OSTEO_PUT(ds.putAndInsertString(DCM_SOPClassUID, dx ? UID_DigitalXRayImageStorageForPresentation
                                                        : UID_ComputedRadiographyImageStorage));
  OSTEO_PUT(ds.putAndInsertString(DCM_SOPInstanceUID, sop_uid.c_str()));
  OSTEO_PUT(ds.putAndInsertString(DCM_StudyInstanceUID, study_uid.c_str()));
  OSTEO_PUT(ds.putAndInsertString(DCM_SeriesInstanceUID, series_uid.c_str()));
  OSTEO_PUT(ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY"));
  OSTEO_PUT(ds.putAndInsertString(DCM_Modality, spec.modality.c_str()));
  if (dx) OSTEO_PUT(ds.putAndInsertString(DCM_PresentationIntentType, "FOR PRESENTATION"));
  if (auto s = put_text(ds, DCM_StudyDate, spec.study_date); !s) return s;
  if (auto s = put_text(ds, DCM_StudyTime, spec.study_time); !s) return s;
  if (auto s = put_text(ds, DCM_AccessionNumber, spec.accession_number); !s) return s;
  if (auto s = put_text(ds, DCM_Manufacturer, spec.manufacturer); !s) return s;
  if (auto s = put_text(ds, DCM_InstitutionName, spec.institution_name); !s) return s;
  if (auto s = put_text(ds, DCM_PatientName, spec.patient_name); !s) return s;
  if (auto s = put_text(ds, DCM_PatientID, spec.patient_id); !s) return s;
  if (auto s = put_text(ds, DCM_PatientBirthDate, spec.patient_birth_date); !s) return s;
  if (auto s = put_text(ds, DCM_PatientSex, spec.patient_sex); !s) return s;
  if (auto s = put_text(ds, DCM_PatientAge, spec.patient_age); !s) return s;
  if (auto s = put_text(ds, DCM_BodyPartExamined, spec.body_part); !s) return s;
  if (auto s = put_text(ds, DCM_ViewPosition, spec.view_position); !s) return s;
  if (auto s = put_text(ds, DCM_ImageLaterality, spec.image_laterality); !s) return s;
  if (spec.imager_pixel_spacing) OSTEO_PUT(ds.putAndInsertString(DCM_ImagerPixelSpacing, format_ds_pair(*spec.imager_pixel_spacing).c_str()));
  if (spec.magnification) OSTEO_PUT(ds.putAndInsertString(DCM_EstimatedRadiographicMagnificationFactor, format_ds(*spec.magnification).c_str()));
  if (spec.pixel_spacing) OSTEO_PUT(ds.putAndInsertString(DCM_PixelSpacing, format_ds_pair(*spec.pixel_spacing).c_str()));

  // Image pixel module.
  const int bits_allocated = spec.bits_stored <= 8 ? 8 : 16;
  OSTEO_PUT(ds.putAndInsertUint16(DCM_SamplesPerPixel, 1));
  OSTEO_PUT(ds.putAndInsertString(DCM_PhotometricInterpretation, spec.photometric.c_str()));
  OSTEO_PUT(ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(spec.rows)));
  OSTEO_PUT(ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(spec.columns)));
  OSTEO_PUT(ds.putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(bits_allocated)));
  OSTEO_PUT(ds.putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(spec.bits_stored)));
  OSTEO_PUT(ds.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(spec.bits_stored - 1)));
  OSTEO_PUT(ds.putAndInsertUint16(DCM_PixelRepresentation, 0));

  if (spec.rescale_slope || spec.rescale_intercept) {
    OSTEO_PUT(ds.putAndInsertString(DCM_RescaleIntercept, format_ds(spec.rescale_intercept.value_or(0.0)).c_str()));
    OSTEO_PUT(ds.putAndInsertString(DCM_RescaleSlope, format_ds(spec.rescale_slope.value_or(1.0)).c_str()));
    OSTEO_PUT(ds.putAndInsertString(DCM_RescaleType, "US"));
  }
  if (spec.window_center && spec.window_width) {
    OSTEO_PUT(ds.putAndInsertString(DCM_WindowCenter, format_ds(*spec.window_center).c_str()));
    OSTEO_PUT(ds.putAndInsertString(DCM_WindowWidth, format_ds(*spec.window_width).c_str()));
  }
  if (spec.voi_lut) {
    DcmItem* item = nullptr;
    OSTEO_PUT(ds.findOrCreateSequenceItem(DCM_VOILUTSequence, item, -2));
    const auto& lut = *spec.voi_lut;
    const Uint16 descriptor[3] = {static_cast<Uint16>(lut.data.size() == 65536 ? 0 : lut.data.size()),
                                  static_cast<Uint16>(lut.first_mapped), static_cast<Uint16>(lut.bits)};
    auto desc = std::make_unique<DcmUnsignedShort>(DcmTag(DCM_LUTDescriptor, EVR_US));
    OSTEO_PUT(desc->putUint16Array(descriptor, 3));
    OSTEO_PUT(item->insert(desc.release(), true));
    // OW rather than US: a US value of more than 32767 entries would overflow explicit VR's
    // 16-bit length field.
    auto data = std::make_unique<DcmOtherByteOtherWord>(DcmTag(DCM_LUTData, EVR_OW));
    OSTEO_PUT(data->putUint16Array(lut.data.data(), static_cast<unsigned long>(lut.data.size())));
    OSTEO_PUT(item->insert(data.release(), true));
    OSTEO_PUT(item->putAndInsertString(DCM_LUTExplanation, "OSTEO VOI LUT"));
  }

  const auto count = static_cast<unsigned long>(spec.pixels.size());
  if (bits_allocated == 8) {
    std::vector<Uint8> bytes(spec.pixels.begin(), spec.pixels.end());
    OSTEO_PUT(ds.putAndInsertUint8Array(DCM_PixelData, bytes.data(), count));
  } else {
    OSTEO_PUT(ds.putAndInsertUint16Array(DCM_PixelData, spec.pixels.data(), count));
  }
  return {};
}

std::unique_ptr<DcmRepresentationParameter> representation_for(TransferSyntax ts) {
  switch (ts) {
    case TransferSyntax::kJpegBaseline:
    case TransferSyntax::kJpegExtended: return std::make_unique<DJ_RPLossy>(90);
    case TransferSyntax::kJpegLossless: return std::make_unique<DJ_RPLossless>(1, 0);
    case TransferSyntax::kJpegLsLossless: return std::make_unique<DJLSRepresentationParameter>(0, OFTrue);
    case TransferSyntax::kJpegLsNearLossless: return std::make_unique<DJLSRepresentationParameter>(2, OFFalse);
    case TransferSyntax::kRle: return std::make_unique<DcmRLERepresentationParameter>();
    default: return nullptr;
  }
}

/// DCMTK 3.6.7's JPEG-LS encoder pads an odd-length codestream to even length with one
/// uninitialised byte after the EOI marker, which made our output differ run to run. Zero it:
/// a codestream ending "FF D9 xx" has exactly that pad byte.
Status zero_fragment_padding(DcmDataset& ds, E_TransferSyntax xfer, const DcmRepresentationParameter* param) {
  DcmElement* element = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
    return fail(ErrorCode::kIoError, "DICOM encode: pixel data vanished after encoding");
  }
  DcmPixelSequence* sequence = nullptr;
  auto* pixel_data = static_cast<DcmPixelData*>(element);
  if (pixel_data->getEncapsulatedRepresentation(xfer, param, sequence).bad() || sequence == nullptr) {
    return fail(ErrorCode::kIoError, "DICOM encode: no encapsulated pixel data after encoding");
  }
  // Item 0 is the basic offset table.
  for (unsigned long i = 1; i < sequence->card(); ++i) {
    DcmPixelItem* item = nullptr;
    Uint8* bytes = nullptr;
    if (sequence->getItem(item, i).bad() || item->getUint8Array(bytes).bad() || bytes == nullptr) continue;
    const Uint32 length = item->getLength();
    if (length >= 3 && bytes[length - 3] == 0xFF && bytes[length - 2] == 0xD9) bytes[length - 1] = 0;
  }
  return {};
}

}  // namespace

const char* transfer_syntax_uid(TransferSyntax ts) { return row_of(ts).uid; }
const char* transfer_syntax_short_name(TransferSyntax ts) { return row_of(ts).short_name; }

std::vector<TransferSyntax> all_transfer_syntaxes() {
  std::vector<TransferSyntax> out;
  for (const auto& row : kSyntaxes) out.push_back(row.ts);
  return out;
}

Result<std::vector<std::uint8_t>> encode_dicom(const DicomImageSpec& spec, TransferSyntax ts) {
  try {
    const SyntaxRow& row = row_of(ts);
    if (auto ok = validate(spec, row); !ok) return tl::unexpected(ok.error());
    if (auto ok = dicom::ensure_encoders(); !ok) return tl::unexpected(ok.error());
    if (auto ok = dicom::ensure_decoders(); !ok) return tl::unexpected(ok.error());

    DcmFileFormat file;
    DcmDataset& ds = *file.getDataset();
    if (auto ok = fill_dataset(spec, ds); !ok) return tl::unexpected(ok.error());

    if (DcmXfer(row.dcmtk).isEncapsulated()) {
      const auto param = representation_for(ts);
      const OFCondition cond = ds.chooseRepresentation(row.dcmtk, param.get());
      if (cond.bad() || !ds.canWriteXfer(row.dcmtk, EXS_LittleEndianExplicit)) {
        return fail(ErrorCode::kIoError, std::string("DICOM encode: ") + row.short_name +
                                             " encoder failed: " + (cond.bad() ? cond.text() : "cannot write"));
      }
      if (auto ok = zero_fragment_padding(ds, row.dcmtk, param.get()); !ok) return tl::unexpected(ok.error());
    }
    return dicom::serialize_dicom(file, spec.with_file_meta, row.dcmtk);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kIoError, std::string("DICOM encode: ") + e.what());
  }
}

Status write_dicom(const DicomImageSpec& spec, TransferSyntax ts, const std::string& path) {
  auto bytes = encode_dicom(spec, ts);
  if (!bytes) return tl::unexpected(Error{bytes.error().code, path + ": " + bytes.error().message});
  static std::atomic<unsigned> counter{0};
  // Unique per process and call, so concurrent writers of the same target never share a temp.
  const std::string temp = path + ".tmp" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return fail(ErrorCode::kIoError, path + ": cannot create temporary file " + temp);
    out.write(reinterpret_cast<const char*>(bytes->data()), static_cast<std::streamsize>(bytes->size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      return fail(ErrorCode::kIoError, path + ": write failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    return fail(ErrorCode::kIoError, path + ": cannot rename temporary file: " + ec.message());
  }
  return {};
}

}  // namespace osteo
