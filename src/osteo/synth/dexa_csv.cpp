#include "osteo/synth/dexa_csv.h"

#include <cstdio>

namespace osteo::synth {

const char* const kDexaCsvHeader =
    "Patient ID,Gender,Ethnicity,Most Recent Measurement Date,Side,Neck BMD,Neck T-score,Neck Z-score,Total BMD,"
    "Total T-score,Troch BMD,Troch T-score,Wards BMD,Shaft BMD,Device";

namespace {

std::string fixed(const std::optional<double>& v, int decimals) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  std::string s = buf;
  // Rounding can leave "-0.0"; exports print "0.0".
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

}  // namespace

std::string dexa_csv_line(const SynthPatient& patient, const SynthDexaRow& row) {
  char date[16];
  std::snprintf(date, sizeof date, "%02d/%02d/%04d", row.date.month, row.date.day, row.date.year);
  std::string line;
  line += patient.id + ',' + std::string(1, patient.sex) + ',' + patient.ethnicity + ',' + date + ',';
  line += row.side == Side::kLeft ? "Left" : "Right";
  line += ',' + fixed(row.neck_bmd, 3) + ',' + fixed(row.neck_t, 1) + ',' + fixed(row.neck_z, 1) + ',';
  line += (row.unparsable_total.empty() ? fixed(row.total_bmd, 3) : row.unparsable_total) + ',';
  line += fixed(row.total_t, 1) + ',' + fixed(row.troch_bmd, 3) + ',' + fixed(row.troch_t, 1) + ',';
  line += fixed(row.wards_bmd, 3) + ',' + fixed(row.shaft_bmd, 3) + ',' + row.device;
  return line;
}

std::string dexa_csv_text(const std::vector<SynthPatient>& patients) {
  std::string text = std::string(kDexaCsvHeader) + "\n";
  for (const SynthPatient& p : patients)
    for (const SynthDexaRow& row : p.dexa) {
      const std::string line = dexa_csv_line(p, row) + "\n";
      text += line;
      if (row.duplicated) text += line;
    }
  return text;
}

}  // namespace osteo::synth
