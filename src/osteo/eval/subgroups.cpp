#include "osteo/eval/subgroups.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "osteo/core/error.h"
#include "osteo/core/types.h"
#include "osteo/eval/check.h"
#include "osteo/eval/roc.h"

namespace osteo::eval {

namespace {

bool whole(double v) { return std::floor(v) == v && std::abs(v) < 1e9; }

std::string number(double v) {
  if (whole(v)) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

void check_edges(const std::vector<double>& edges) {
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1])))
      throw OsteoError(ErrorCode::kInvalidArgument, "age bands: edges must be finite and strictly ascending");
  }
}

}  // namespace

std::vector<std::string> age_band_labels(const std::vector<double>& edges) {
  check_edges(edges);
  if (edges.empty()) return {"all"};
  const bool integral = std::all_of(edges.begin(), edges.end(), whole);
  std::vector<std::string> out;
  out.push_back("<" + number(edges.front()));
  for (std::size_t i = 1; i < edges.size(); ++i)
    out.push_back(integral ? number(edges[i - 1]) + "-" + number(edges[i] - 1)
                           : "[" + number(edges[i - 1]) + "," + number(edges[i]) + ")");
  out.push_back(">=" + number(edges.back()));
  return out;
}

std::string age_band(double age_years, const std::vector<double>& edges) {
  if (std::isnan(age_years)) return kUnknownLevel;
  const auto labels = age_band_labels(edges);
  const auto band = std::upper_bound(edges.begin(), edges.end(), age_years) - edges.begin();
  return labels[static_cast<std::size_t>(band)];
}

std::string sex_level(const std::string& sex) {
  const std::string s = normalize_token(sex);
  if (s == "f" || s == "female") return "F";
  if (s == "m" || s == "male") return "M";
  return kUnknownLevel;
}

std::vector<GroupAuroc> auroc_by_group(const std::vector<std::string>& levels, const std::vector<double>& scores,
                                       const std::vector<int>& labels, const std::vector<std::string>& order) {
  check_binary_input(scores, labels, "auroc_by_group");
  check_same_size(levels.size(), scores.size(), "auroc_by_group (levels)");
  std::map<std::string, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < levels.size(); ++i) members[levels[i]].push_back(i);
  std::vector<std::string> sequence;
  std::set<std::string> placed;
  for (const auto& l : order)
    if (members.count(l) && placed.insert(l).second) sequence.push_back(l);
  for (const auto& [l, idx] : members)
    if (placed.insert(l).second) sequence.push_back(l);
  std::vector<GroupAuroc> out;
  for (const auto& l : sequence) {
    const auto& idx = members[l];
    std::vector<double> s;
    std::vector<int> y;
    for (auto i : idx) {
      s.push_back(scores[i]);
      y.push_back(labels[i]);
    }
    GroupAuroc g;
    g.level = l;
    g.n = static_cast<long>(idx.size());
    g.n_positive = static_cast<long>(std::count(y.begin(), y.end(), 1));
    g.auroc = auroc(s, y);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace osteo::eval
