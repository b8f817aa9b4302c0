#include "osteo/synth/population.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "osteo/core/hash.h"
#include "osteo/synth/rng.h"

namespace osteo::synth {
namespace {

// Study dates are spread over 2018–2022; a patient's follow-ups are at least this far apart,
// which keeps each study's DEXA (±183 days) unambiguous.
const Date kFirstDay{2018, 1, 1};
const Date kLastDay{2022, 12, 31};
constexpr int kMinFollowUpDays = 548;
// Nominal field of view of an AP hip (detector plane), mm along the rows.
constexpr double kHipFieldMm = 230.0;

double round_to(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

// Mean neck T-score of an age- and sex-matched population (female reference throughout):
// peak at 30, then ~0.035 SD a year of loss; young men sit ~0.6 SD above young women.
double age_matched_mean_t(int age, char sex) {
  return (sex == 'M' ? 0.6 : 0.0) - 0.035 * std::max(0, age - 30);
}

std::string two_digit_time(Rng& rng) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d", rng.uniform_int(8, 17), rng.uniform_int(0, 59), rng.uniform_int(0, 59));
  return buf;
}

// Study (or, for DEXA-only patients, session) dates: sorted, ≥ kMinFollowUpDays apart.
std::vector<Date> pick_dates(Rng& rng, int count) {
  const std::int64_t first = kFirstDay.days_since_epoch();
  const std::int64_t span = kLastDay.days_since_epoch() - first;
  const std::int64_t slack = span - static_cast<std::int64_t>(count - 1) * kMinFollowUpDays;
  std::vector<std::int64_t> offsets;
  for (int i = 0; i < count; ++i) offsets.push_back(static_cast<std::int64_t>(rng.uniform() * (slack + 1)));
  std::sort(offsets.begin(), offsets.end());
  std::vector<Date> dates;
  for (int i = 0; i < count; ++i) dates.push_back(Date::from_days_since_epoch(first + offsets[i] + i * kMinFollowUpDays));
  return dates;
}

struct SiteDraw {
  double total_t, troch_t, wards_t, shaft_z;
};

void add_dexa_session(SynthPatient& p, Rng& rng, const FlawRates& rates, const Date& date, const std::string& device,
                      int linked_study) {
  std::vector<Side> sides{Side::kLeft, Side::kRight};
  if (rng.chance(rates.single_side_dexa)) sides = {rng.chance(0.5) ? Side::kLeft : Side::kRight};
  for (Side side : sides) {
    SynthDexaRow row;
    row.date = date;
    row.side = side;
    row.device = device;
    row.linked_study = linked_study;
    // Precision error of a hip DEXA is ~1% (ISCD least significant change ~2.8%).
    const double bmd = round_to(p.neck_bmd(side, date) + rng.normal(0.0, 0.010), 3);
    const double t = round_to(neck_t_score(bmd), 1);
    row.measured_neck_bmd = bmd;
    row.neck_bmd = bmd;
    row.neck_t = t;
    row.neck_z = round_to(t - age_matched_mean_t(p.age_on(date), p.sex), 1);
    // Other hip sites correlate with the neck (r ≈ 0.85–0.9 in DEXA cohorts); total hip and
    // trochanter T-scores run a little higher than the neck's, Ward's lower.
    const double nt = neck_t_score(bmd);
    const double total_bmd = round_to(kTotalRefMean + kTotalRefSd * (0.9 * nt + 0.35 + rng.normal(0.0, 0.35)), 3);
    row.total_bmd = total_bmd;
    row.total_t = round_to((total_bmd - kTotalRefMean) / kTotalRefSd, 1);
    const double troch_bmd = round_to(kTrochRefMean + kTrochRefSd * (0.85 * nt + 0.1 + rng.normal(0.0, 0.4)), 3);
    row.troch_bmd = troch_bmd;
    row.troch_t = round_to((troch_bmd - kTrochRefMean) / kTrochRefSd, 1);
    row.wards_bmd = round_to(std::max(0.15, kWardsRefMean + kWardsRefSd * (nt - 0.5 + rng.normal(0.0, 0.4))), 3);
    row.shaft_bmd = round_to(1.10 + 0.13 * (0.8 * nt + 1.0 + rng.normal(0.0, 0.5)), 3);

    if (rng.chance(rates.missing_neck_t)) { row.neck_t.reset(); row.flaws.push_back("missing_neck_t"); }
    if (rng.chance(rates.missing_neck_bmd)) { row.neck_bmd.reset(); row.flaws.push_back("missing_neck_bmd"); }
    if (rng.chance(rates.missing_total)) { row.total_bmd.reset(); row.total_t.reset(); row.flaws.push_back("missing_total"); }
    if (rng.chance(rates.missing_wards)) { row.wards_bmd.reset(); row.flaws.push_back("missing_wards"); }
    if (rng.chance(rates.missing_shaft)) { row.shaft_bmd.reset(); row.flaws.push_back("missing_shaft"); }
    if (rng.chance(rates.unparsable_number) && row.total_bmd) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.3f", *row.total_bmd);
      std::string s = buf;
      s[3] = 'l';  // a transcription typo: "0.812" → "0.8l2"
      row.unparsable_total = s;
      row.flaws.push_back("unparsable_number");
    }
    if (rng.chance(rates.duplicate_row)) { row.duplicated = true; row.flaws.push_back("duplicate_row"); }
    p.dexa.push_back(std::move(row));
  }
}

}  // namespace

double SynthPatient::neck_bmd(Side side, const Date& on) const {
  const double years = static_cast<double>(on.days_since_epoch() - kFirstDay.days_since_epoch()) / 365.25;
  const double t = base_neck_t + side_offset_t[side == Side::kLeft ? 0 : 1] + annual_change_t * years;
  return std::max(0.30, kNeckRefMean + kNeckRefSd * t);
}

int SynthPatient::age_on(const Date& on) const { return age_in_years(birth_date, on).value_or(0); }

std::string synth_uid(std::uint64_t seed, const std::string& kind, int patient, int study, int image) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "osteoscreen-synth|%llu|%s|%d|%d|%d", static_cast<unsigned long long>(seed), kind.c_str(),
                patient, study, image);
  const std::string hex = sha256_hex(buf, std::char_traits<char>::length(buf));
  unsigned __int128 v = 0;
  for (int i = 0; i < 32; ++i) {  // 128 bits, as a UUID-derived 2.25 UID carries
    const char c = hex[i];
    v = (v << 4) | static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  if (v == 0) v = 1;
  std::string digits;
  while (v > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return "2.25." + digits;
}

SynthPatient plan_patient(std::uint64_t seed, int index, const FlawRates& rates, int image_rows) {
  Rng rng(derive_seed(seed, {1, static_cast<std::uint64_t>(index)}));
  SynthPatient p;
  p.index = index;
  char id[16];
  std::snprintf(id, sizeof id, "SYN%06d", index + 1);
  p.id = id;
  p.sex = rng.chance(0.88) ? 'F' : 'M';
  static const std::vector<std::string> kEthnicities{"White", "Black", "Asian", "Hispanic", "Other"};
  static const std::vector<double> kEthWeights{0.65, 0.10, 0.12, 0.10, 0.03};
  static const double kEthShiftT[] = {0.0, 0.6, -0.2, 0.1, 0.0};
  const std::size_t eth = rng.pick(kEthWeights);
  p.ethnicity = kEthnicities[eth];
  p.bmi = round_to(std::clamp(rng.normal(27.5, 5.0), 16.0, 48.0), 1);

  const double n_roll = rng.uniform();
  const int n_dates = n_roll < 0.68 ? 1 : (n_roll < 0.90 ? 2 : 3);
  const std::vector<Date> dates = pick_dates(rng, n_dates);
  // Ages 50–90 at every study: the last follow-up must not pass 90.
  const int follow_up_years = static_cast<int>((dates.back().days_since_epoch() - dates.front().days_since_epoch()) / 365) + 1;
  const int age_first = rng.uniform_int(50, 89 - follow_up_years);
  p.birth_date = Date::from_days_since_epoch(dates.front().days_since_epoch() - static_cast<std::int64_t>(age_first) * 365 -
                                             age_first / 4 - rng.uniform_int(1, 360));

  // Latent neck T: older, thinner, female and Asian → lower. The constants give roughly
  // 30% osteoporosis / 40% osteopenia / 30% normal over the images.
  p.base_neck_t = -1.75 - 0.045 * (age_first - 69) + 0.05 * (p.bmi - 27.5) + (p.sex == 'M' ? 0.6 : 0.0) +
                  kEthShiftT[eth] + rng.normal(0.0, 1.25);
  p.side_offset_t[0] = rng.normal(0.0, 0.15);
  p.side_offset_t[1] = rng.normal(0.0, 0.15);
  p.annual_change_t = rng.normal(-0.06, 0.04);
  p.dexa_only = rng.chance(rates.dexa_only_patient);
  const std::string device = rng.chance(0.6) ? "Hologic Horizon A" : "GE Lunar iDXA";

  if (p.dexa_only) {
    for (const Date& d : dates) add_dexa_session(p, rng, rates, d, device, 0);
    return p;
  }

  static const char* kCrMakers[] = {"FUJIFILM Corporation", "Carestream Health", "Agfa"};
  static const char* kDxMakers[] = {"SIEMENS", "Philips Medical Systems", "GE Healthcare", "Canon Inc."};
  static const TransferSyntax kSyntaxes[] = {TransferSyntax::kJpegLossless, TransferSyntax::kJpegLsLossless,
                                            TransferSyntax::kRle, TransferSyntax::kExplicitLittle};
  static const std::vector<double> kSyntaxWeights{0.35, 0.35, 0.15, 0.15};
  const int columns = std::max(8, static_cast<int>(std::lround(image_rows * 0.8 / 2.0)) * 2);

  for (int s = 0; s < n_dates; ++s) {
    SynthStudy st;
    st.index = s + 1;
    st.date = dates[s];
    st.time = two_digit_time(rng);
    st.study_uid = synth_uid(seed, "study", index, st.index);
    char acc[24];
    std::snprintf(acc, sizeof acc, "A%02d%06d%d", st.date.year % 100, index + 1, st.index);
    st.accession = acc;
    const double flaw_roll = rng.uniform();
    if (flaw_roll < rates.out_of_window_study) st.flaw = "out_of_window";
    else if (flaw_roll < rates.out_of_window_study + rates.no_dexa_study) st.flaw = "no_dexa";

    // One acquisition device per study.
    const bool cr = rng.chance(0.5);
    const std::string modality = cr ? "CR" : "DX";
    const std::string maker = cr ? kCrMakers[rng.uniform_int(0, 2)] : kDxMakers[rng.uniform_int(0, 3)];
    const std::string photometric = rng.chance(cr ? 0.6 : 0.15) ? "MONOCHROME1" : "MONOCHROME2";
    const TransferSyntax ts = kSyntaxes[rng.pick(kSyntaxWeights)];
    const SpacingSource spacing = rng.chance(cr ? 0.4 : 0.8) ? SpacingSource::kImagerPixelSpacing : SpacingSource::kPixelSpacing;
    const bool pelvis = rng.chance(0.25);
    const double spacing_mm = round_to(kHipFieldMm / image_rows * rng.uniform(0.93, 1.07) / (pelvis ? 0.78 : 1.0), 4);
    const bool bilateral = rng.chance(0.2);
    const Side first_side = rng.chance(0.5) ? Side::kLeft : Side::kRight;
    const int n_images = bilateral ? 2 : 1;
    for (int i = 0; i < n_images; ++i) {
      SynthImage im;
      im.index = i + 1;
      im.side = i == 0 ? first_side : (first_side == Side::kLeft ? Side::kRight : Side::kLeft);
      im.modality = modality;
      im.photometric = photometric;
      im.body_part = pelvis ? "PELVIS" : "HIP";
      im.manufacturer = maker;
      im.transfer_syntax = ts;
      im.spacing_source = spacing;
      im.spacing_mm = spacing_mm;
      im.rows = image_rows;
      im.columns = columns;
      im.series_uid = synth_uid(seed, "series", index, st.index, im.index);
      im.sop_uid = synth_uid(seed, "sop", index, st.index, im.index);
      im.pixel_seed = derive_seed(seed, {2, static_cast<std::uint64_t>(index), static_cast<std::uint64_t>(st.index),
                                         static_cast<std::uint64_t>(im.index)});
      im.true_neck_bmd = p.neck_bmd(im.side, st.date);
      im.rel_path = "dicom/" + p.id + "/" + std::to_string(st.index) + "/" + std::to_string(im.index) + ".dcm";
      st.images.push_back(std::move(im));
    }
    p.studies.push_back(std::move(st));
  }

  for (const SynthStudy& st : p.studies) {
    if (st.flaw == "no_dexa") continue;
    std::int64_t offset = 0;
    if (st.flaw == "out_of_window") {
      offset = (rng.chance(0.5) ? -1 : 1) * rng.uniform_int(200, 400);
    } else if (!rng.chance(0.25)) {  // a quarter are done the same day
      offset = rng.uniform_int(-180, 180);
    }
    add_dexa_session(p, rng, rates, Date::from_days_since_epoch(st.date.days_since_epoch() + offset), device, st.index);
  }
  std::stable_sort(p.dexa.begin(), p.dexa.end(), [](const SynthDexaRow& a, const SynthDexaRow& b) {
    return a.date.days_since_epoch() < b.date.days_since_epoch();
  });
  return p;
}

}  // namespace osteo::synth
