#pragma once
/// @file
/// Small shared vocabulary: body side, DEXA measurement sites, WHO T-score categories.
#include <optional>
#include <string>
#include <string_view>

namespace osteo {

/// Body side of an image or a DEXA measurement.
enum class Side { kUnknown, kLeft, kRight };
/// "L", "R" or "" (the DICOM spelling; also used in the store).
const char* side_code(Side side);
/// Accepts L/R/Left/Right/Lt/Rt, case-insensitive; anything else is kUnknown.
Side parse_side(std::string_view text);

/// DEXA measurement site. Hip sites are those a hip/pelvis radiograph shows.
enum class DexaSite {
  kFemoralNeck,
  kTotalHip,
  kTrochanter,
  kWards,
  kShaft,
  kL1,
  kL2,
  kL3,
  kL4,
  kL1L4,
  kForearm,
  kOther,
};
/// Stable snake_case name: "femoral_neck", "total_hip", "trochanter", "wards", "shaft",
/// "l1".."l4", "l1_l4", "forearm", "other".
const char* site_name(DexaSite site);
/// Parses a stable name or a common export spelling ("Neck", "Total", "Troch", "Ward's",
/// "L1-L4", "Radius 33%"...). Returns nullopt when unrecognised.
std::optional<DexaSite> parse_site(std::string_view text);
bool is_hip_site(DexaSite site);

/// WHO densitometric categories from a T-score.
enum class WhoCategory { kNormal = 0, kOsteopenia = 1, kOsteoporosis = 2 };
/// T ≤ −2.5 osteoporosis; −2.5 < T < −1 osteopenia; T ≥ −1 normal.
WhoCategory who_category(double t_score);
/// "normal", "osteopenia", "osteoporosis".
const char* who_name(WhoCategory category);
std::optional<WhoCategory> parse_who(std::string_view text);

/// Lower-cases ASCII and trims surrounding whitespace (for tolerant parsing of exports).
std::string normalize_token(std::string_view text);

}  // namespace osteo
