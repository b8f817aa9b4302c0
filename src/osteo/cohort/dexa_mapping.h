#pragma once
/// @file
/// Which CSV columns of a DEXA export hold what. The defaults read the hospital WIDE export
///   Patient ID,Gender,Ethnicity,Most Recent Measurement Date,Side,Neck BMD,Neck T-score,
///   Neck Z-score,Total BMD,Total T-score,Troch BMD,Troch T-score,Wards BMD,Shaft BMD,Device
/// (one row per patient, side and date; each "<Site> BMD/T-score/Z-score" group is one site)
/// and the LONG export (one row per measurement, recognised by its "site" column)
///   patient_id,date,site,side,bmd_g_cm2,t_score,z_score,manufacturer
///
/// A mapping file (TOML or JSON, same keys) overrides any part:
///   layout = "wide"            # "auto" (default), "wide" or "long"
///   date_order = "day_first"   # "month_first" (default) or "day_first", for slash dates
///   [columns]                  # each value: one header name or a list of accepted names
///   patient_id = "PID"
///   date = ["Scan Date", "Date"]
///   side = "Side"; sex = "Gender"; ethnicity = "Ethnicity"; manufacturer = "Device"
///   site = "site"; bmd = "bmd_g_cm2"; t_score = "t_score"; z_score = "z_score"   # long layout
///   [[sites]]                  # wide layout; replaces the default site groups
///   site = "femoral_neck"      # a site name or spelling parse_site() knows
///   bmd = "FN BMD"; t_score = "FN T"; z_score = "FN Z"   # each optional
/// Unknown keys are refused (a typo must not silently fall back to a default).
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "osteo/core/date.h"
#include "osteo/core/error.h"
#include "osteo/core/types.h"

namespace osteo {

enum class DexaLayout { kAuto, kWide, kLong };
/// "auto", "wide", "long".
const char* dexa_layout_name(DexaLayout layout);

/// Header names accepted for one logical column, first match wins (case-insensitive, trimmed).
using ColumnNames = std::vector<std::string>;

/// The columns of one site group of a wide export. Any of the three may be empty (absent).
struct DexaSiteColumns {
  DexaSite site = DexaSite::kOther;
  ColumnNames bmd;
  ColumnNames t_score;
  ColumnNames z_score;
};

struct DexaMapping {
  DexaLayout layout = DexaLayout::kAuto;
  DateOrder date_order = DateOrder::kMonthFirst;
  ColumnNames patient_id{"Patient ID", "patient_id"};
  ColumnNames date{"Most Recent Measurement Date", "date"};
  ColumnNames side{"Side"};
  ColumnNames sex{"Gender", "sex"};
  ColumnNames ethnicity{"Ethnicity"};
  ColumnNames manufacturer{"Device", "manufacturer"};
  // Long layout.
  ColumnNames site{"site"};
  ColumnNames bmd{"bmd_g_cm2", "bmd"};
  ColumnNames t_score{"t_score"};
  ColumnNames z_score{"z_score"};
  // Wide layout.
  std::vector<DexaSiteColumns> sites = default_wide_sites();

  /// Neck→femoral_neck, Total→total_hip, Troch→trochanter, Wards→wards, Shaft→shaft, each
  /// with "<Site> BMD", "<Site> T-score", "<Site> Z-score".
  static std::vector<DexaSiteColumns> default_wide_sites();
};

/// Applies a mapping document (the JSON form of the keys above) over the defaults.
/// kMappingInvalid naming `name` and the key for unknown keys or wrong types.
Result<DexaMapping> dexa_mapping_from_json(const nlohmann::json& doc, const std::string& name);
/// Same from TOML text.
Result<DexaMapping> dexa_mapping_from_toml(std::string_view text, const std::string& name);
/// Loads a mapping file: TOML for *.toml, JSON for *.json (other names: JSON if the content
/// starts with '{', else TOML). kFileNotFound if unreadable, kMappingInvalid if malformed.
Result<DexaMapping> load_dexa_mapping(const std::string& path);

}  // namespace osteo
