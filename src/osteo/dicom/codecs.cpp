#include "osteo/dicom/codecs.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/dcmjpls/djencode.h>
#include <dcmtk/oflog/oflog.h>

#include <mutex>

namespace osteo::dicom {
namespace {

void quiet_dcmtk_logger() {
  // DCMTK logs every oddity of a hostile file on stderr; each of its failures reaches the
  // caller as a typed Error carrying DCMTK's reason, so its own log would only duplicate them
  // (and flood the CLI's stderr during a 10k-file ingest).
  static std::once_flag once;
  std::call_once(once, [] { OFLog::configure(OFLogger::FATAL_LOG_LEVEL); });
}

Status dictionary_status() {
  if (!dcmDataDict.isDictionaryLoaded()) {
    return fail(ErrorCode::kInternal,
                "the DCMTK data dictionary is not loaded: install DCMTK's dicom.dic or set DCMDICTPATH");
  }
  return {};
}

}  // namespace

Status ensure_decoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    quiet_dcmtk_logger();
    // Decompression never needs a new identity: keep the SOP Instance UID.
    DJDecoderRegistration::registerCodecs(EDC_photometricInterpretation, EUC_never);
    DJLSDecoderRegistration::registerCodecs(EJLSUC_never);
    DcmRLEDecoderRegistration::registerCodecs(OFFalse);
  });
  return dictionary_status();
}

Status ensure_encoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    quiet_dcmtk_logger();
    // EUC_never: lossy JPEG would otherwise create a time/pid-based SOP Instance UID (plus a
    // SourceImageSequence pointing at the old one), which breaks byte-for-byte determinism.
    DJEncoderRegistration::registerCodecs(ECC_lossyYCbCr, EUC_never);
    // Raw, not "cooked", JPEG-LS encoding: DCMTK 3.6.7's cooked lossless path crashed (heap
    // corruption in DcmItem::remove) on 16-bit images in our tests; the raw path encodes the
    // stored values directly, which is what a lossless writer wants anyway.
    DJLSEncoderRegistration::registerCodecs(0, 0, 0, 0, /*preferCookedEncoding=*/OFFalse, 0, OFTrue, EJLSUC_never);
    DcmRLEEncoderRegistration::registerCodecs(OFFalse);
  });
  return dictionary_status();
}

}  // namespace osteo::dicom
