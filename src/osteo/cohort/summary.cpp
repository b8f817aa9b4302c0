#include "osteo/cohort/summary.h"

#include <sstream>

#include "osteo/cohort/split.h"

namespace osteo {

nlohmann::json cohort_summary(CohortStore& store) {
  const auto counts = store.counts();
  nlohmann::json labels = {{"total", 0}, {"normal", 0}, {"osteopenia", 0}, {"osteoporosis", 0},
                           {"by_source", nlohmann::json::object()}};
  for (const auto& label : store.labels()) {
    labels["total"] = labels["total"].get<int>() + 1;
    labels[who_name(label.category)] = labels[who_name(label.category)].get<int>() + 1;
    labels["by_source"][label.source] = labels["by_source"].value(label.source, 0) + 1;
  }
  nlohmann::json matches = nlohmann::json::object();
  for (const auto& m : store.matches()) matches[m.reason] = matches.value(m.reason, 0) + 1;
  nlohmann::json splits = nlohmann::json::object();
  for (const auto& scheme : store.split_schemes()) splits[scheme] = split_counts(store, scheme);
  return {{"store", store.describe()},
          {"patients", counts.patients},
          {"images", counts.images},
          {"dexa_measurements", counts.dexa},
          {"labels", labels},
          {"matches", matches},
          {"splits", splits}};
}

std::string format_cohort_summary(const nlohmann::json& s) {
  std::ostringstream out;
  out << "Cohort (" << s["store"].get<std::string>() << ")\n"
      << "  patients " << s["patients"] << ", images " << s["images"] << ", DEXA measurements "
      << s["dexa_measurements"] << "\n"
      << "  labels " << s["labels"]["total"] << ": normal " << s["labels"]["normal"] << ", osteopenia "
      << s["labels"]["osteopenia"] << ", osteoporosis " << s["labels"]["osteoporosis"] << "\n";
  if (!s["matches"].empty()) {
    out << "  matching:";
    for (const auto& [reason, n] : s["matches"].items()) out << " " << reason << " " << n;
    out << "\n";
  }
  for (const auto& [scheme, counts] : s["splits"].items()) {
    out << "  split '" << scheme << "':\n";
    for (const auto& [name, c] : counts["splits"].items()) {
      out << "    " << name << ": " << c["patients"] << " patients, " << c["images"] << " images (normal "
          << c["normal"] << ", osteopenia " << c["osteopenia"] << ", osteoporosis " << c["osteoporosis"] << ")\n";
    }
    for (const auto& [reason, n] : counts["excluded"].items()) {
      out << "    excluded (" << reason << "): " << n << " images\n";
    }
  }
  return out.str();
}

}  // namespace osteo
