#include "osteo/screening/inputs.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace osteo::screening {
namespace {

struct Range {
  const char* field;
  double low, high;
  const char* unit;
};

constexpr Range kAge{"age", 18, 120, "years"};
constexpr Range kWeight{"weight_kg", 20, 300, "kg"};
constexpr Range kHeight{"height_m", 0.5, 2.5, "m"};

std::string format_g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Result<std::optional<double>> parse_number(const std::map<std::string, std::string>& fields, const Range& r) {
  const auto it = fields.find(r.field);
  if (it == fields.end()) return std::optional<double>{};
  const std::string text = normalize_token(it->second);
  if (text.empty()) return std::optional<double>{};
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) {
    return fail(ErrorCode::kInvalidField, std::string(r.field) + ": '" + it->second + "' is not a number");
  }
  if (v < r.low || v > r.high) {
    if (std::string_view(r.field) == kHeight.field && v > 3) {
      return fail(ErrorCode::kInvalidField, "height_m: " + text + " looks like centimetres; give metres (e.g. 1.62)");
    }
    return fail(ErrorCode::kInvalidField, std::string(r.field) + ": " + text + " is outside " + format_g(r.low) +
                                              "–" + format_g(r.high) + " " + r.unit);
  }
  return std::optional<double>{v};
}

// Rounds for the canonical JSON so 70 and 70.0000001 do not make two screenings.
double round_to(double v, double step) { return std::round(v / step) * step; }

}  // namespace

std::optional<double> ScreeningInputs::bmi() const {
  if (!weight_kg || !height_m) return std::nullopt;
  return *weight_kg / (*height_m * *height_m);
}

void ScreeningInputs::fill_from(const RadiographMeta& meta) {
  if (!age_years && meta.patient_age_years && *meta.patient_age_years >= kAge.low &&
      *meta.patient_age_years <= kAge.high) {
    age_years = *meta.patient_age_years;
  }
  if (sex.empty() && (meta.patient_sex == "F" || meta.patient_sex == "M")) sex = meta.patient_sex;
}

nlohmann::json ScreeningInputs::to_json() const {
  auto num = [](const std::optional<double>& v, double step) -> nlohmann::json {
    return v ? nlohmann::json(round_to(*v, step)) : nlohmann::json(nullptr);
  };
  return {{"age", num(age_years, 0.1)},
          {"sex", sex.empty() ? nlohmann::json(nullptr) : nlohmann::json(sex)},
          {"weight_kg", num(weight_kg, 0.1)},
          {"height_m", num(height_m, 0.001)},
          {"bmi", num(bmi(), 0.1)}};
}

Result<ScreeningInputs> parse_screening_inputs(const std::map<std::string, std::string>& fields) {
  ScreeningInputs in;
  auto age = parse_number(fields, kAge);
  if (!age) return tl::unexpected(age.error());
  auto weight = parse_number(fields, kWeight);
  if (!weight) return tl::unexpected(weight.error());
  auto height = parse_number(fields, kHeight);
  if (!height) return tl::unexpected(height.error());
  in.age_years = *age;
  in.weight_kg = *weight;
  in.height_m = *height;
  if (const auto it = fields.find("sex"); it != fields.end()) {
    const std::string s = normalize_token(it->second);
    if (s == "f" || s == "female") {
      in.sex = "F";
    } else if (s == "m" || s == "male") {
      in.sex = "M";
    } else if (!s.empty() && s != "unknown" && s != "u") {
      return fail(ErrorCode::kInvalidField, "sex: '" + it->second + "' is not F, M or empty");
    }
  }
  return in;
}

}  // namespace osteo::screening
