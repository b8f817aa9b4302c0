#include "osteo/core/radiograph_json.h"

namespace osteo {
namespace {
using nlohmann::json;

json str_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::string get_str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<Date> get_date(const json& j, const char* key) {
  const auto s = get_str(j, key);
  return s.empty() ? std::nullopt : parse_date(s);
}

template <class T>
std::optional<T> get_num(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<T>();
}
}  // namespace

json meta_to_json(const RadiographMeta& m) {
  json j;
  j["path"] = m.path;
  j["format"] = str_or_null(m.format);
  j["rows"] = m.rows;
  j["columns"] = m.columns;
  j["bits_stored"] = m.bits_stored;
  j["photometric"] = str_or_null(m.photometric);
  j["transfer_syntax"] = str_or_null(m.transfer_syntax);
  j["transfer_syntax_name"] = str_or_null(m.transfer_syntax_name);
  j["spacing_mm"] = m.spacing_mm ? json::array({(*m.spacing_mm)[0], (*m.spacing_mm)[1]}) : json(nullptr);
  j["spacing_source"] = spacing_source_name(m.spacing_source);
  j["magnification"] = m.magnification ? json(*m.magnification) : json(nullptr);
  j["laterality"] = m.laterality == Side::kUnknown ? json(nullptr) : json(side_code(m.laterality));
  j["modality"] = str_or_null(m.modality);
  j["body_part"] = str_or_null(m.body_part);
  j["view_position"] = str_or_null(m.view_position);
  j["manufacturer"] = str_or_null(m.manufacturer);
  j["patient_id"] = str_or_null(m.patient_id);
  j["patient_sex"] = str_or_null(m.patient_sex);
  j["patient_birth_date"] = m.birth_date ? json(m.birth_date->iso()) : json(nullptr);
  j["patient_age_years"] = m.patient_age_years ? json(*m.patient_age_years) : json(nullptr);
  j["study_date"] = m.study_date ? json(m.study_date->iso()) : json(nullptr);
  j["study_time"] = str_or_null(m.study_time);
  j["study_uid"] = str_or_null(m.study_uid);
  j["series_uid"] = str_or_null(m.series_uid);
  j["sop_instance_uid"] = str_or_null(m.sop_instance_uid);
  j["sha256"] = str_or_null(m.sha256);
  return j;
}

RadiographMeta meta_from_json(const json& j) {
  RadiographMeta m;
  m.path = get_str(j, "path");
  m.format = get_str(j, "format");
  m.rows = get_num<int>(j, "rows").value_or(0);
  m.columns = get_num<int>(j, "columns").value_or(0);
  m.bits_stored = get_num<int>(j, "bits_stored").value_or(0);
  m.photometric = get_str(j, "photometric");
  m.transfer_syntax = get_str(j, "transfer_syntax");
  m.transfer_syntax_name = get_str(j, "transfer_syntax_name");
  if (const auto it = j.find("spacing_mm"); it != j.end() && it->is_array() && it->size() == 2) {
    m.spacing_mm = std::array<double, 2>{(*it)[0].get<double>(), (*it)[1].get<double>()};
  }
  const auto source = get_str(j, "spacing_source");
  m.spacing_source = source == "PixelSpacing"         ? SpacingSource::kPixelSpacing
                     : source == "ImagerPixelSpacing" ? SpacingSource::kImagerPixelSpacing
                                                      : SpacingSource::kUnknown;
  m.magnification = get_num<double>(j, "magnification");
  m.laterality = parse_side(get_str(j, "laterality"));
  m.modality = get_str(j, "modality");
  m.body_part = get_str(j, "body_part");
  m.view_position = get_str(j, "view_position");
  m.manufacturer = get_str(j, "manufacturer");
  m.patient_id = get_str(j, "patient_id");
  m.patient_sex = get_str(j, "patient_sex");
  m.birth_date = get_date(j, "patient_birth_date");
  m.patient_age_years = get_num<double>(j, "patient_age_years");
  m.study_date = get_date(j, "study_date");
  m.study_time = get_str(j, "study_time");
  m.study_uid = get_str(j, "study_uid");
  m.series_uid = get_str(j, "series_uid");
  m.sop_instance_uid = get_str(j, "sop_instance_uid");
  m.sha256 = get_str(j, "sha256");
  return m;
}

}  // namespace osteo
