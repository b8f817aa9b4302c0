#include "osteo/screening/osta.h"

namespace osteo::screening {

nlohmann::json OstaResult::to_json() const {
  return {{"index", index}, {"band", band}, {"age", age_years}, {"weight_kg", weight_kg}};
}

std::optional<OstaResult> osta(std::optional<double> age_years, std::optional<double> weight_kg) {
  if (!age_years || !weight_kg) return std::nullopt;
  OstaResult r;
  r.age_years = *age_years;
  r.weight_kg = *weight_kg;
  r.index = (*weight_kg - *age_years) / 5.0;
  r.band = r.index < -4.0 ? "high" : r.index > -1.0 ? "low" : "moderate";
  return r;
}

}  // namespace osteo::screening
