#include "osteo/cohort/dexa_mapping.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

namespace osteo {

const char* dexa_layout_name(DexaLayout layout) {
  switch (layout) {
    case DexaLayout::kWide: return "wide";
    case DexaLayout::kLong: return "long";
    default: return "auto";
  }
}

std::vector<DexaSiteColumns> DexaMapping::default_wide_sites() {
  const std::pair<DexaSite, const char*> groups[] = {
      {DexaSite::kFemoralNeck, "Neck"}, {DexaSite::kTotalHip, "Total"}, {DexaSite::kTrochanter, "Troch"},
      {DexaSite::kWards, "Wards"},      {DexaSite::kShaft, "Shaft"},
  };
  std::vector<DexaSiteColumns> out;
  for (const auto& [site, prefix] : groups) {
    const std::string p = prefix;
    out.push_back({site, {p + " BMD"}, {p + " T-score"}, {p + " Z-score"}});
  }
  return out;
}

namespace {

struct Invalid {
  std::string message;
};

ColumnNames column_names(const nlohmann::json& v, const std::string& key) {
  if (v.is_string()) {
    if (v.get<std::string>().empty()) throw Invalid{"'" + key + "' is an empty column name"};
    return {v.get<std::string>()};
  }
  if (v.is_array() && !v.empty()) {
    ColumnNames names;
    for (const auto& item : v) {
      if (!item.is_string() || item.get<std::string>().empty()) {
        throw Invalid{"'" + key + "' must list non-empty column names"};
      }
      names.push_back(item.get<std::string>());
    }
    return names;
  }
  throw Invalid{"'" + key + "' must be a column name or a non-empty list of column names"};
}

std::string string_value(const nlohmann::json& v, const std::string& key) {
  if (!v.is_string()) throw Invalid{"'" + key + "' must be a string"};
  return v.get<std::string>();
}

void apply(DexaMapping& m, const nlohmann::json& doc) {
  if (!doc.is_object()) throw Invalid{"the mapping must be a table/object"};
  for (const auto& [key, value] : doc.items()) {
    if (key == "layout") {
      const std::string s = normalize_token(string_value(value, key));
      if (s == "auto") m.layout = DexaLayout::kAuto;
      else if (s == "wide") m.layout = DexaLayout::kWide;
      else if (s == "long") m.layout = DexaLayout::kLong;
      else throw Invalid{"'layout' must be auto, wide or long, not '" + s + "'"};
    } else if (key == "date_order") {
      const std::string s = normalize_token(string_value(value, key));
      if (s == "month_first" || s == "mdy") m.date_order = DateOrder::kMonthFirst;
      else if (s == "day_first" || s == "dmy") m.date_order = DateOrder::kDayFirst;
      else throw Invalid{"'date_order' must be month_first or day_first, not '" + s + "'"};
    } else if (key == "columns") {
      if (!value.is_object()) throw Invalid{"'columns' must be a table/object"};
      const std::pair<const char*, ColumnNames*> fields[] = {
          {"patient_id", &m.patient_id}, {"date", &m.date},       {"side", &m.side},
          {"sex", &m.sex},               {"ethnicity", &m.ethnicity}, {"manufacturer", &m.manufacturer},
          {"site", &m.site},             {"bmd", &m.bmd},         {"t_score", &m.t_score},
          {"z_score", &m.z_score},
      };
      for (const auto& [ckey, cvalue] : value.items()) {
        ColumnNames* target = nullptr;
        for (const auto& [name, field] : fields) {
          if (ckey == name) target = field;
        }
        if (!target) throw Invalid{"unknown column key 'columns." + ckey + "'"};
        *target = column_names(cvalue, "columns." + ckey);
      }
    } else if (key == "sites") {
      if (!value.is_array() || value.empty()) throw Invalid{"'sites' must be a non-empty list of site groups"};
      std::vector<DexaSiteColumns> sites;
      for (std::size_t i = 0; i < value.size(); ++i) {
        const auto& g = value[i];
        const std::string where = "sites[" + std::to_string(i) + "]";
        if (!g.is_object()) throw Invalid{where + " must be a table/object"};
        DexaSiteColumns group;
        bool has_site = false;
        for (const auto& [gkey, gvalue] : g.items()) {
          if (gkey == "site") {
            const std::string s = string_value(gvalue, where + ".site");
            auto site = parse_site(s);
            if (!site) throw Invalid{where + ".site: unknown site '" + s + "'"};
            group.site = *site;
            has_site = true;
          } else if (gkey == "bmd") {
            group.bmd = column_names(gvalue, where + ".bmd");
          } else if (gkey == "t_score") {
            group.t_score = column_names(gvalue, where + ".t_score");
          } else if (gkey == "z_score") {
            group.z_score = column_names(gvalue, where + ".z_score");
          } else {
            throw Invalid{"unknown key '" + where + "." + gkey + "'"};
          }
        }
        if (!has_site) throw Invalid{where + " has no 'site'"};
        if (group.bmd.empty() && group.t_score.empty() && group.z_score.empty()) {
          throw Invalid{where + " names no bmd, t_score or z_score column"};
        }
        sites.push_back(std::move(group));
      }
      m.sites = std::move(sites);
    } else {
      throw Invalid{"unknown key '" + key + "'"};
    }
  }
}

nlohmann::json toml_to_json(const toml::node& node) {
  if (const auto* t = node.as_table()) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : *t) j[std::string(k.str())] = toml_to_json(v);
    return j;
  }
  if (const auto* a = node.as_array()) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& v : *a) j.push_back(toml_to_json(v));
    return j;
  }
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return i->get();
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* b = node.as_boolean()) return b->get();
  // Dates and times have no meaning in a mapping: pass a type the validator rejects.
  return nullptr;
}

}  // namespace

Result<DexaMapping> dexa_mapping_from_json(const nlohmann::json& doc, const std::string& name) {
  DexaMapping m;
  try {
    apply(m, doc);
  } catch (const Invalid& e) {
    return fail(ErrorCode::kMappingInvalid, name + ": " + e.message);
  }
  return m;
}

Result<DexaMapping> dexa_mapping_from_toml(std::string_view text, const std::string& name) {
  try {
    const toml::table table = toml::parse(text, name);
    return dexa_mapping_from_json(toml_to_json(table), name);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(ErrorCode::kMappingInvalid, name + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                                                ": " + std::string(e.description()));
  }
}

Result<DexaMapping> load_dexa_mapping(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kFileNotFound, path + ": cannot open the mapping file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const auto ends_with = [&](const char* suffix) {
    const std::string s = suffix;
    return path.size() >= s.size() && normalize_token(path.substr(path.size() - s.size())) == s;
  };
  bool json = ends_with(".json");
  if (!json && !ends_with(".toml")) {
    const auto first = text.find_first_not_of(" \t\r\n");
    json = first != std::string::npos && text[first] == '{';
  }
  if (!json) return dexa_mapping_from_toml(text, path);
  try {
    return dexa_mapping_from_json(nlohmann::json::parse(text), path);
  } catch (const nlohmann::json::parse_error& e) {
    return fail(ErrorCode::kMappingInvalid, path + ": not valid JSON: " + e.what());
  }
}

}  // namespace osteo
