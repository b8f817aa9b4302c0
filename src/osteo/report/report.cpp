#include "osteo/report/report.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "osteo/report/html.h"
#include "osteo/report/svg.h"

namespace osteo::report {

namespace {

using eval::EvaluationResult;
const char* const kCategoryNames[] = {"normal", "osteopenia", "osteoporosis"};

const char* kStyle = R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:24px auto;max-width:1040px;color:#1b1f24;line-height:1.4;padding:0 16px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.notice{border:2px solid #b35900;background:#fff4e5;color:#5c2d00;font-weight:600;padding:10px 14px;margin:12px 0 18px;border-radius:6px;font-size:1.05em}
.warning{border:2px solid #a40e26;background:#ffebe9;color:#6e011a;font-weight:600;padding:8px 12px;border-radius:6px}
.meta{color:#424a53;margin:2px 0}
table{border-collapse:collapse;margin:6px 0 10px;font-size:.93em}
th,td{border:1px solid #d0d7de;padding:4px 9px;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.baseline td{background:#f6f8fa;font-style:italic}tr.best td{font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:16px}
svg.chart{background:#fff;border:1px solid #d0d7de;border-radius:4px}
svg .grid{stroke:#eaeef2;stroke-width:1}svg .frame{fill:none;stroke:#57606a;stroke-width:1}
svg .diag{stroke:#8c959f;stroke-width:1;stroke-dasharray:4 4}
svg .legend{fill:#fff;fill-opacity:.9;stroke:#d0d7de}
svg text{font-family:inherit;fill:#1b1f24}svg .tk{font-size:11px}svg .al{font-size:12px}svg .ct{font-size:13px;font-weight:600}
.small{font-size:.85em;color:#57606a}
</style>)";

void page_start(std::ostringstream& o, const ReportContext& c) {
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << html_escape(c.title) << "</title>\n"
    << kStyle << "\n</head>\n<body>\n";
  o << "<h1>" << html_escape(c.title) << "</h1>\n";
  o << "<div class=\"notice\" role=\"note\">" << html_escape(kNotice) << "</div>\n";
  o << "<p class=\"meta\"><b>Data source:</b> " << html_escape(c.data_source.empty() ? "not stated" : c.data_source)
    << "</p>\n";
  o << "<p class=\"meta\"><b>Reference standard:</b> "
    << html_escape(c.reference_standard.empty() ? "not stated" : c.reference_standard) << "</p>\n";
  if (!c.split.empty()) o << "<p class=\"meta\"><b>Evaluated on:</b> " << html_escape(c.split) << "</p>\n";
  if (!c.generated_at.empty()) o << "<p class=\"meta\"><b>Generated:</b> " << html_escape(c.generated_at) << "</p>\n";
}

void page_end(std::ostringstream& o) {
  o << "<p class=\"small\">Intervals: AUROC, T-score MAE and r use a patient-level bootstrap (percentile); "
       "sensitivity, specificity, PPV and NPV use Wilson score intervals. n/a = undefined (e.g. one class only).</p>\n"
    << "</body>\n</html>\n";
}

// Renders any JSON value: objects as nested key/value tables, scalars as text.
void json_table(std::ostringstream& o, const nlohmann::json& j) {
  if (j.is_object()) {
    o << "<table>";
    for (auto it = j.begin(); it != j.end(); ++it) {
      o << "<tr><th>" << html_escape(it.key()) << "</th><td>";
      json_table(o, it.value());
      o << "</td></tr>";
    }
    o << "</table>";
  } else if (j.is_string()) {
    o << html_escape(j.get<std::string>());
  } else if (j.is_array() && std::all_of(j.begin(), j.end(), [](const auto& e) { return !e.is_structured(); })) {
    std::string s;
    for (const auto& e : j) s += (s.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
    o << html_escape(s);
  } else if (j.is_array()) {
    o << "<ol>";
    for (const auto& e : j) {
      o << "<li>";
      json_table(o, e);
      o << "</li>";
    }
    o << "</ol>";
  } else {
    o << html_escape(j.dump());
  }
}

void row(std::ostringstream& o, const std::string& name, const std::string& value, const std::string& note = "") {
  o << "<tr><th>" << html_escape(name) << "</th><td class=\"num\">" << html_escape(value) << "</td><td>"
    << html_escape(note) << "</td></tr>\n";
}

std::string count(long v) { return std::to_string(v); }

void metric_table(std::ostringstream& o, const EvaluationResult& r) {
  const auto& op = r.operating_point;
  o << "<table><tr><th>metric</th><th>value (95% CI)</th><th>note</th></tr>\n";
  row(o, "samples / patients", count(r.n) + " / " + count(r.n_patients));
  row(o, "osteoporosis (T \u2264 \u22122.5)", count(r.osteoporosis.n_positive), "positives");
  row(o, "low BMD (T < \u22121)", count(r.low_bmd.n_positive), "positives");
  row(o, "AUROC osteoporosis",
      format_with_ci(r.osteoporosis.auroc.estimate, r.osteoporosis.auroc.low, r.osteoporosis.auroc.high),
      "score p(osteoporosis)");
  row(o, "AUROC low BMD", format_with_ci(r.low_bmd.auroc.estimate, r.low_bmd.auroc.low, r.low_bmd.auroc.high),
      "score p(osteopenia)+p(osteoporosis)");
  row(o, "T-score MAE", format_with_ci(r.t_score_mae.estimate, r.t_score_mae.low, r.t_score_mae.high, 2),
      "SD units, n = " + count(r.t_score_n));
  row(o, "T-score Pearson r", format_with_ci(r.t_score_r.estimate, r.t_score_r.low, r.t_score_r.high));
  const std::string source = r.threshold_source == "given" ? "chosen on validation data"
                                                            : "chosen on these data (optimistic)";
  row(o, "threshold", format_number(op.threshold, 4),
      source + "; target sensitivity " + format_number(r.target_sensitivity, 2));
  const auto prop = [&](const char* name, const eval::Proportion& p) {
    row(o, name, format_with_ci(p.value, p.low, p.high),
        std::to_string(p.successes) + " / " + std::to_string(p.trials));
  };
  prop("sensitivity", op.sensitivity);
  prop("specificity", op.specificity);
  prop("PPV", op.ppv);
  prop("NPV", op.npv);
  row(o, "TP / FP / TN / FN",
      std::to_string(op.counts.tp) + " / " + std::to_string(op.counts.fp) + " / " + std::to_string(op.counts.tn) +
          " / " + std::to_string(op.counts.fn));
  row(o, "3-class accuracy", format_number(r.confusion.accuracy()), "arg-max category");
  row(o, "ECE", format_number(r.ece), std::to_string(r.reliability.size()) + " equal-width bins");
  row(o, "calibration slope", format_number(r.calibration.slope), "1 = ideal; < 1 over-confident");
  row(o, "calibration intercept", format_number(r.calibration.intercept), "0 = ideal");
  o << "</table>\n";
}

SvgSeries roc_series(const std::string& name, const std::vector<eval::RocPoint>& roc) {
  SvgSeries s;
  s.name = name;
  for (const auto& p : roc) {
    s.x.push_back(p.fpr);
    s.y.push_back(p.tpr);
  }
  return s;
}

SvgChart unit_chart(const std::string& title, const std::string& xl, const std::string& yl) {
  SvgChart c;
  c.title = title;
  c.x_label = xl;
  c.y_label = yl;
  c.x_min = c.y_min = 0.0;
  c.x_max = c.y_max = 1.0;
  c.diagonal = true;
  return c;
}

std::string curves_chart(const std::string& title, const std::string& yl, const std::vector<Curve>& curves) {
  SvgChart c;
  c.title = title;
  c.x_label = "epoch";
  c.y_label = yl;
  for (const auto& cv : curves) c.series.push_back({cv.name, cv.epochs, cv.values, "", false, cv.epochs.size() < 30});
  return render_line_chart(c);
}

void confusion_table(std::ostringstream& o, const eval::ConfusionMatrix& m) {
  std::int64_t max = 1;
  for (const auto& r : m.counts)
    for (auto v : r) max = std::max(max, v);
  const auto recall = m.recall();
  o << "<table><tr><th>true \\ predicted</th>";
  for (const char* n : kCategoryNames) o << "<th>" << n << "</th>";
  o << "<th>recall</th></tr>\n";
  for (int t = 0; t < 3; ++t) {
    o << "<tr><th>" << kCategoryNames[t] << "</th>";
    for (int p = 0; p < 3; ++p) {
      // Shade by count so the diagonal (or its absence) is visible at a glance.
      const double a = 0.08 + 0.6 * static_cast<double>(m.counts[t][p]) / static_cast<double>(max);
      o << "<td class=\"num\" style=\"background:rgba(0,114,178," << format_number(a, 2) << ")\">" << m.counts[t][p]
        << "</td>";
    }
    o << "<td class=\"num\">" << format_number(recall[t]) << "</td></tr>\n";
  }
  o << "</table>\n<p class=\"small\">Rows: reference category; columns: arg-max of the predicted probabilities. "
       "Accuracy "
    << format_number(m.accuracy()) << ".</p>\n";
}

void subgroup_table(std::ostringstream& o, const std::vector<eval::SubgroupRow>& rows) {
  o << "<table><tr><th>variable</th><th>level</th><th>n</th><th>osteoporosis</th><th>low BMD</th>"
       "<th>AUROC osteoporosis</th><th>AUROC low BMD</th></tr>\n";
  for (const auto& s : rows)
    o << "<tr><td>" << html_escape(s.variable == "age_band" ? "age band" : s.variable) << "</td><td>"
      << html_escape(s.level) << "</td><td class=\"num\">" << s.n << "</td><td class=\"num\">" << s.n_osteoporosis
      << "</td><td class=\"num\">" << s.n_low_bmd << "</td><td class=\"num\">" << format_number(s.auroc_osteoporosis)
      << "</td><td class=\"num\">" << format_number(s.auroc_low_bmd) << "</td></tr>\n";
  o << "</table>\n<p class=\"small\">n/a: the subgroup holds one class only. Small subgroups have wide "
       "uncertainty.</p>\n";
}

}  // namespace

std::string render_evaluation_report(const EvaluationResult& r, const ReportContext& c) {
  std::ostringstream o;
  page_start(o, c);
  if (c.model_card.is_object() && !c.model_card.empty()) {
    o << "<h2>Model card</h2>\n";
    json_table(o, c.model_card);
    o << "\n";
  }
  o << "<h2>Metrics</h2>\n";
  metric_table(o, r);
  o << "<h2>Discrimination and calibration</h2>\n<div class=\"charts\">\n";
  SvgChart roc = unit_chart("ROC curves", "1 \u2212 specificity (false-positive rate)", "sensitivity");
  roc.series.push_back(roc_series("osteoporosis (AUROC " + format_number(r.osteoporosis.auroc.estimate) + ")",
                                  r.osteoporosis.roc));
  roc.series.push_back(roc_series("low BMD (AUROC " + format_number(r.low_bmd.auroc.estimate) + ")", r.low_bmd.roc));
  o << render_line_chart(roc) << "\n";
  SvgChart rel = unit_chart("Reliability (osteoporosis)", "mean predicted probability", "observed frequency");
  SvgSeries bins{"model (ECE " + format_number(r.ece) + ")", {}, {}, "", false, true};
  for (const auto& b : r.reliability)
    if (b.count > 0) {
      bins.x.push_back(b.mean_predicted);
      bins.y.push_back(b.observed_frequency);
    }
  rel.series.push_back(bins);
  o << render_line_chart(rel) << "\n</div>\n";
  o << "<table><tr><th>bin</th><th>mean predicted</th><th>observed</th><th>n</th></tr>\n";
  for (const auto& b : r.reliability)
    if (b.count > 0)
      o << "<tr><td>" << format_number(b.lower, 2) << "\u2013" << format_number(b.upper, 2) << "</td><td class=\"num\">"
        << format_number(b.mean_predicted) << "</td><td class=\"num\">" << format_number(b.observed_frequency)
        << "</td><td class=\"num\">" << b.count << "</td></tr>\n";
  o << "</table>\n";
  if (!c.loss_curves.empty() || !c.metric_curves.empty()) {
    o << "<h2>Training</h2>\n<div class=\"charts\">\n";
    if (!c.loss_curves.empty()) o << curves_chart("Loss per epoch", "loss", c.loss_curves) << "\n";
    if (!c.metric_curves.empty()) o << curves_chart("Validation metric per epoch", "AUROC", c.metric_curves) << "\n";
    o << "</div>\n";
  }
  o << "<h2>Confusion matrix</h2>\n";
  confusion_table(o, r.confusion);
  o << "<h2>Subgroups</h2>\n";
  subgroup_table(o, r.subgroups);
  page_end(o);
  return o.str();
}

std::string render_comparison_report(const eval::ComparisonResult& cmp, const ReportContext& c) {
  std::ostringstream o;
  page_start(o, c);
  if (c.model_card.is_object() && !c.model_card.empty()) {
    o << "<h2>Setup</h2>\n";
    json_table(o, c.model_card);
    o << "\n";
  }
  const bool has_baseline = std::any_of(cmp.rows.begin(), cmp.rows.end(), [](const auto& r) { return r.is_baseline; });
  o << "<h2>Models</h2>\n";
  if (!has_baseline)
    o << "<p class=\"warning\">No covariate-only baseline (age, sex, BMI) in this comparison: the gain of the "
         "image models over what is already known cannot be judged.</p>\n";
  o << "<table><tr><th>model</th><th>AUROC osteoporosis (95% CI)</th><th>AUROC low BMD (95% CI)</th>"
       "<th>sensitivity</th><th>specificity</th><th>T-score MAE</th><th>ECE</th>"
       "<th>\u0394AUROC best \u2212 model</th><th>DeLong p</th></tr>\n";
  for (const auto& row : cmp.rows) {
    const auto& r = row.result;
    std::string cls = row.is_baseline ? "baseline" : (row.is_best ? "best" : "");
    o << "<tr" << (cls.empty() ? "" : " class=\"" + cls + "\"") << "><td>" << html_escape(row.name)
      << (row.is_baseline ? " (covariate-only baseline)" : "") << (row.is_best ? " (best)" : "") << "</td>";
    o << "<td class=\"num\">"
      << html_escape(format_with_ci(r.osteoporosis.auroc.estimate, r.osteoporosis.auroc.low, r.osteoporosis.auroc.high))
      << "</td><td class=\"num\">"
      << html_escape(format_with_ci(r.low_bmd.auroc.estimate, r.low_bmd.auroc.low, r.low_bmd.auroc.high))
      << "</td><td class=\"num\">" << format_number(r.operating_point.sensitivity.value) << "</td><td class=\"num\">"
      << format_number(r.operating_point.specificity.value) << "</td><td class=\"num\">"
      << format_number(r.t_score_mae.estimate, 2) << "</td><td class=\"num\">" << format_number(r.ece)
      << "</td><td class=\"num\">" << (row.is_best ? "\u2014" : format_number(row.delong_vs_best.difference))
      << "</td><td class=\"num\">" << (row.is_best ? "\u2014" : format_p(row.delong_vs_best.p_value))
      << "</td></tr>\n";
  }
  o << "</table>\n<p class=\"small\">DeLong test of the best model (highest osteoporosis AUROC) against each other "
       "model on the same samples, two-sided; no correction for multiple comparisons. Sensitivity and specificity "
       "at each model's own threshold.</p>\n";
  SvgChart roc = unit_chart("ROC curves, osteoporosis", "1 \u2212 specificity (false-positive rate)", "sensitivity");
  roc.width = 520;
  roc.height = 420;
  for (const auto& row : cmp.rows) {
    SvgSeries s = roc_series(row.name + " (" + format_number(row.result.osteoporosis.auroc.estimate) + ")",
                             row.result.osteoporosis.roc);
    s.dashed = row.is_baseline;
    roc.series.push_back(s);
  }
  o << "<div class=\"charts\">" << render_line_chart(roc) << "</div>\n";
  page_end(o);
  return o.str();
}

Status write_report(const std::string& path, const std::string& html) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return fail(ErrorCode::kIoError, path + ": cannot open for writing");
  f << html;
  f.close();
  if (!f) return fail(ErrorCode::kIoError, path + ": write failed");
  return {};
}

}  // namespace osteo::report
