#include "osteo/core/types.h"

#include <algorithm>
#include <cctype>

namespace osteo {

std::string normalize_token(std::string_view text) {
  std::string out;
  for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const auto first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = out.find_last_not_of(" \t\r\n");
  return out.substr(first, last - first + 1);
}

const char* side_code(Side side) {
  switch (side) {
    case Side::kLeft: return "L";
    case Side::kRight: return "R";
    default: return "";
  }
}

Side parse_side(std::string_view text) {
  const std::string t = normalize_token(text);
  if (t == "l" || t == "left" || t == "lt") return Side::kLeft;
  if (t == "r" || t == "right" || t == "rt") return Side::kRight;
  return Side::kUnknown;
}

namespace {
struct SiteSpelling {
  DexaSite site;
  const char* name;
};
// The first spelling of each site is its stable name; the rest are export spellings.
constexpr SiteSpelling kSiteSpellings[] = {
    {DexaSite::kFemoralNeck, "femoral_neck"}, {DexaSite::kFemoralNeck, "neck"},
    {DexaSite::kFemoralNeck, "femoral neck"}, {DexaSite::kFemoralNeck, "fn"},
    {DexaSite::kTotalHip, "total_hip"},       {DexaSite::kTotalHip, "total hip"},
    {DexaSite::kTotalHip, "total"},           {DexaSite::kTotalHip, "hip"},
    {DexaSite::kTrochanter, "trochanter"},    {DexaSite::kTrochanter, "troch"},
    {DexaSite::kWards, "wards"},              {DexaSite::kWards, "ward's"},
    {DexaSite::kWards, "ward"},               {DexaSite::kShaft, "shaft"},
    {DexaSite::kL1, "l1"},                    {DexaSite::kL2, "l2"},
    {DexaSite::kL3, "l3"},                    {DexaSite::kL4, "l4"},
    {DexaSite::kL1L4, "l1_l4"},               {DexaSite::kL1L4, "l1-l4"},
    {DexaSite::kL1L4, "l1-4"},                {DexaSite::kL1L4, "lumbar spine"},
    {DexaSite::kL1L4, "spine"},               {DexaSite::kForearm, "forearm"},
    {DexaSite::kForearm, "radius 33%"},       {DexaSite::kForearm, "radius"},
    {DexaSite::kOther, "other"},
};
}  // namespace

const char* site_name(DexaSite site) {
  for (const auto& s : kSiteSpellings) {
    if (s.site == site) return s.name;
  }
  return "other";
}

std::optional<DexaSite> parse_site(std::string_view text) {
  const std::string t = normalize_token(text);
  for (const auto& s : kSiteSpellings) {
    if (t == s.name) return s.site;
  }
  return std::nullopt;
}

bool is_hip_site(DexaSite site) {
  return site == DexaSite::kFemoralNeck || site == DexaSite::kTotalHip ||
         site == DexaSite::kTrochanter || site == DexaSite::kWards || site == DexaSite::kShaft;
}

WhoCategory who_category(double t_score) {
  if (t_score <= -2.5) return WhoCategory::kOsteoporosis;
  if (t_score < -1.0) return WhoCategory::kOsteopenia;
  return WhoCategory::kNormal;
}

const char* who_name(WhoCategory category) {
  switch (category) {
    case WhoCategory::kNormal: return "normal";
    case WhoCategory::kOsteopenia: return "osteopenia";
    case WhoCategory::kOsteoporosis: return "osteoporosis";
  }
  return "normal";
}

std::optional<WhoCategory> parse_who(std::string_view text) {
  const std::string t = normalize_token(text);
  if (t == "normal") return WhoCategory::kNormal;
  if (t == "osteopenia" || t == "osteopenic" || t == "low bone mass") return WhoCategory::kOsteopenia;
  if (t == "osteoporosis" || t == "osteoporotic") return WhoCategory::kOsteoporosis;
  return std::nullopt;
}

}  // namespace osteo
