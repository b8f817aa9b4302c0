#pragma once
/// @file
/// Process-wide DCMTK set-up, done once and thread-safely. Every OsteoScreen module that
/// decodes or encodes DICOM pixel data goes through these functions: DCMTK's codec registries
/// keep the parameters of the FIRST registration, so a second registrar with other settings
/// (e.g. one that lets the lossy JPEG encoder invent a new SOP Instance UID) would silently
/// change the writer's output.
#include "osteo/core/error.h"

namespace osteo::dicom {

/// Registers the JPEG, JPEG-LS and RLE decoders (once per process) and checks that the DCMTK
/// data dictionary is loaded. kInternal with a clear message if the dictionary is missing
/// (DCMDICTPATH unset and the default dictionary file absent).
Status ensure_decoders();

/// Registers the JPEG, JPEG-LS and RLE encoders (once per process) with deterministic settings:
/// no new SOP Instance UID on lossy compression, no time-based values.
Status ensure_encoders();

}  // namespace osteo::dicom
