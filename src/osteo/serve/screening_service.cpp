#include "osteo/serve/screening_service.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <future>
#include <iterator>

#include "osteo/core/date.h"
#include "osteo/core/hash.h"
#include "osteo/core/version.h"
#include "osteo/dicom/screening_results.h"
#include "osteo/ml/explain/overlay.h"
#include "osteo/screening/osta.h"

namespace osteo::serve {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
double round_ms(double ms) { return std::round(ms * 10.0) / 10.0; }

constexpr int kPreviewMaxSide = 768;  // pixels: enough for the upload form's thumbnail
constexpr const char* kNotice = "For research / screening support, not a diagnosis.";

// The same file, model and clinical inputs always give the same id (and so the same row).
std::string screening_id(const std::string& input_sha, const std::string& model_sha, const nlohmann::json& inputs) {
  const std::string key = input_sha + "|" + model_sha + "|" + inputs.dump();
  return sha256_hex(key.data(), key.size()).substr(0, 32);
}

std::string base64(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

bool is_valid_id(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

ScreeningService::ScreeningService(const ServiceOptions& options) : options_(options) {}

ScreeningService::~ScreeningService() {
  if (loader_.joinable()) loader_.join();
  pool_.reset();  // drain the queue while the engine and store still exist
}

Result<std::unique_ptr<ScreeningService>> ScreeningService::start(const ServiceOptions& options) {
  std::unique_ptr<ScreeningService> s(new ScreeningService(options));
  auto store = open_store(options.db);
  if (!store) return tl::unexpected(store.error());
  s->store_ = std::move(*store);
  s->decoder_ = make_in_process_decoder(options.read_limits);
  s->pool_ = std::make_unique<WorkerPool>(options.workers, options.queue_capacity);
  ScreeningService* self = s.get();
  s->loader_ = std::thread([self] {
    EngineOptions eo;
    eo.replicas = self->pool_->workers();
    eo.torch_threads = self->options_.torch_threads;
    const auto t = Clock::now();
    auto engine = ScreeningEngine::load(self->options_.model_dir, eo);
    std::lock_guard<std::mutex> lock(self->load_mutex_);
    if (!engine) {
      spdlog::error("model {} failed to load: {}", self->options_.model_dir, engine.error().to_string());
      self->load_error_ = engine.error();
      return;
    }
    self->engine_ = std::move(*engine);
    spdlog::info("model {} ({}, sha256 {}) loaded in {:.0f} ms, {} replica(s)", self->engine_->info().name,
                 self->engine_->info().arch, self->engine_->info().sha256.substr(0, 12), ms_since(t),
                 self->engine_->replicas());
    self->ready_.store(true);
  });
  return s;
}

std::optional<Error> ScreeningService::load_error() const {
  std::lock_guard<std::mutex> lock(load_mutex_);
  return load_error_;
}

void ScreeningService::wait_until_loaded() const {
  while (!ready() && !load_error()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

template <class T>
Result<T> ScreeningService::run_on_pool(std::function<Result<T>(int worker)> job) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  const bool queued = pool_->try_submit([promise, job = std::move(job)](int worker) {
    try {
      promise->set_value(job(worker));
    } catch (const std::exception& e) {
      promise->set_value(fail(ErrorCode::kInternal, std::string("screening job failed: ") + e.what()));
    }
  });
  if (!queued) {
    return fail(ErrorCode::kServiceBusy, "the inference queue is full (" + std::to_string(pool_->capacity()) +
                                             " waiting); retry in " + std::to_string(options_.retry_after_seconds) + " s");
  }
  if (future.wait_for(std::chrono::milliseconds(options_.timeout_ms)) != std::future_status::ready) {
    return fail(ErrorCode::kTimeout, "the screening did not finish within " + std::to_string(options_.timeout_ms) + " ms");
  }
  return future.get();
}

nlohmann::json ScreeningService::with_urls(nlohmann::json body) const {
  const std::string base = "/api/v1/screenings/" + body.value("id", std::string());
  body["image_url"] = base + "/image.png";
  body["heatmap_url"] = base + "/heatmap.png";
  const bool dicom = body.contains("input") && body["input"].value("dicom_results", false);
  body["dicom_sr_url"] = dicom ? nlohmann::json(base + "/dicom-sr") : nlohmann::json(nullptr);
  body["dicom_sc_url"] = dicom ? nlohmann::json(base + "/dicom-sc") : nlohmann::json(nullptr);
  return body;
}

Result<ScreeningAnswer> ScreeningService::screen(Upload upload_in, const std::map<std::string, std::string>& form) {
  const auto t_total = Clock::now();
  if (!ready()) {
    if (auto e = load_error()) return fail(ErrorCode::kNotReady, "the model failed to load: " + e->message);
    return fail(ErrorCode::kNotReady, "the model is still loading");
  }
  auto inputs = screening::parse_screening_inputs(form);
  if (!inputs) return tl::unexpected(inputs.error());
  if (upload_in.bytes.empty()) return fail(ErrorCode::kEmptyFile, upload_in.filename + ": the uploaded file is empty");
  // Shared with the job: after a timeout the job may still be reading it.
  const auto shared = std::make_shared<const Upload>(std::move(upload_in));
  const Upload& upload = *shared;
  const auto& info = engine_->info();
  const std::string input_sha = sha256_hex(upload.bytes.data(), upload.bytes.size());
  const std::string id = screening_id(input_sha, info.sha256, inputs->to_json());
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    if (auto existing = store_->screening(id, false)) return ScreeningAnswer{with_urls(existing->result), false};
  }

  struct Work {
    EngineOutput engine;
    RadiographMeta meta;
    nlohmann::json dicom_source;  // null unless the film is DICOM with its identifying UIDs
    screening::ScreeningInputs inputs;
    double decode_ms = 0;
  };
  auto work = run_on_pool<Work>([this, shared, in = *inputs](int worker) -> Result<Work> {
    const Upload& upload = *shared;
    Work w;
    w.inputs = in;
    const auto t = Clock::now();
    auto film = decoder_->decode(upload.bytes, upload.filename);
    if (!film) return tl::unexpected(film.error());
    w.decode_ms = ms_since(t);
    w.meta = film->meta;
    w.inputs.fill_from(film->meta);
    if (film->meta.format == "dicom") {
      auto ref = dicom::read_dicom_source_ref(upload.bytes, upload.filename);
      if (ref) {
        w.dicom_source = ref->to_json();
      } else {
        spdlog::warn("{}: no DICOM results for this film: {}", upload.filename, ref.error().message);
      }
    }
    auto out = engine_->screen(worker, *film, w.inputs);
    if (!out) return tl::unexpected(out.error());
    w.engine = std::move(*out);
    return w;
  });
  if (!work) return tl::unexpected(work.error());

  const auto osta = screening::osta(work->inputs.age_years, work->inputs.weight_kg);
  const auto r = screening::interpret(work->engine.answer, info.threshold, info.t_residual_sd, osta, options_.policy);
  const auto& p = work->engine.answer.probabilities;
  nlohmann::json body = {
      {"id", id},
      {"input",
       {{"filename", upload.filename},
        {"format", work->meta.format},
        {"sha256", input_sha},
        {"width", work->meta.columns},
        {"height", work->meta.rows},
        {"modality", work->meta.modality},
        {"body_part", work->meta.body_part},
        {"laterality", side_code(work->meta.laterality)},
        {"dicom_results", !work->dicom_source.is_null()}}},
      {"category", who_name(r.category)},
      {"probabilities", {{"normal", p[0]}, {"osteopenia", p[1]}, {"osteoporosis", p[2]}}},
      {"p_osteoporosis", p[2]},
      {"t_score", {{"estimate", work->engine.answer.t_score}, {"low", r.t_low}, {"high", r.t_high}}},
      {"threshold", info.threshold},
      {"indeterminate", r.indeterminate},
      {"screen_positive", r.screen_positive},
      {"recommendation", {{"code", r.recommendation_code}, {"text", r.recommendation_text}}},
      {"osta", osta ? osta->to_json() : nlohmann::json(nullptr)},
      {"covariates", work->inputs.to_json()},
      {"covariates_used_by_model", info.covariates},
      {"heatmap_degenerate", work->engine.heat_degenerate},
      {"model", {{"name", info.name}, {"version", info.version}, {"sha256", info.sha256}, {"arch", info.arch}}},
      {"timings_ms",
       {{"decode", round_ms(work->decode_ms)},
        {"preprocess", round_ms(work->engine.preprocess_ms)},
        {"inference", round_ms(work->engine.inference_ms)},
        {"gradcam", round_ms(work->engine.gradcam_ms)},
        {"total", round_ms(ms_since(t_total))}}},
      {"notice", kNotice},
  };
  body["created_at"] = utc_timestamp("%Y-%m-%dT%H:%M:%SZ");

  ScreeningRecord record;
  record.id = id;
  record.created_at = body["created_at"];
  record.filename = upload.filename;
  record.format = work->meta.format;
  record.input_sha256 = input_sha;
  record.model_sha256 = info.sha256;
  record.result = body;
  record.image_png = std::move(work->engine.image_png);
  record.heatmap_png = std::move(work->engine.heatmap_png);
  record.dicom_source = work->dicom_source;
  std::lock_guard<std::mutex> lock(store_mutex_);
  if (!store_->insert_screening(record)) {
    // An identical request finished first: answer with its stored result.
    if (auto existing = store_->screening(id, false)) return ScreeningAnswer{with_urls(existing->result), false};
  }
  return ScreeningAnswer{with_urls(body), true};
}

Result<nlohmann::json> ScreeningService::preview(Upload upload_in) {
  if (upload_in.bytes.empty()) return fail(ErrorCode::kEmptyFile, upload_in.filename + ": the uploaded file is empty");
  const auto shared = std::make_shared<const Upload>(std::move(upload_in));
  return run_on_pool<nlohmann::json>([this, shared](int) -> Result<nlohmann::json> {
    const Upload& upload = *shared;
    auto film = decoder_->decode(upload.bytes, upload.filename);
    if (!film) return tl::unexpected(film.error());
    auto rgb = ml::render_film(*film, kPreviewMaxSide);
    if (!rgb) return tl::unexpected(rgb.error());
    auto png = ml::encode_png(*rgb);
    if (!png) return tl::unexpected(png.error());
    screening::ScreeningInputs header;
    header.fill_from(film->meta);
    const auto& m = film->meta;
    return nlohmann::json{{"image", "data:image/png;base64," + base64(std::string(png->begin(), png->end()))},
                          {"width", m.columns},
                          {"height", m.rows},
                          {"format", m.format},
                          {"patient",
                           {{"age", optional_number(header.age_years)},
                            {"sex", header.sex.empty() ? nlohmann::json(nullptr) : nlohmann::json(header.sex)},
                            {"weight_kg", nullptr},
                            {"height_m", nullptr}}}};
  });
}

Result<ScreeningRecord> ScreeningService::find(const std::string& id, bool with_images) {
  // Ids are content-derived hex: anything else cannot exist, so it never reaches the store.
  if (!is_valid_id(id)) return fail(ErrorCode::kNotFound, "no screening " + id);
  std::lock_guard<std::mutex> lock(store_mutex_);
  auto s = store_->screening(id, with_images);
  if (!s) return fail(ErrorCode::kNotFound, "no screening " + id);
  return std::move(*s);
}

Result<nlohmann::json> ScreeningService::screening(const std::string& id) {
  auto s = find(id, false);
  if (!s) return tl::unexpected(s.error());
  return with_urls(s->result);
}

Result<std::string> ScreeningService::picture(const std::string& id, const std::string& which) {
  auto s = find(id, true);
  if (!s) return tl::unexpected(s.error());
  return which == "heatmap" ? s->heatmap_png : s->image_png;
}

nlohmann::json ScreeningService::history(int limit, int offset) {
  nlohmann::json rows = nlohmann::json::array();
  std::lock_guard<std::mutex> lock(store_mutex_);
  for (const auto& s : store_->screenings(limit, offset)) {
    rows.push_back({{"id", s.id},
                    {"created_at", s.created_at},
                    {"filename", s.filename},
                    {"category", s.category},
                    {"p_osteoporosis", s.p_osteoporosis},
                    {"indeterminate", s.indeterminate},
                    {"url", "/api/v1/screenings/" + s.id}});
  }
  return {{"screenings", rows}, {"limit", limit}, {"offset", offset}};
}

Result<nlohmann::json> ScreeningService::models() const {
  if (!ready()) return fail(ErrorCode::kNotReady, "the model is still loading");
  const auto& m = engine_->info();
  return nlohmann::json{
      {"models",
       {{{"name", m.name},
         {"version", m.version},
         {"sha256", m.sha256},
         {"arch", m.arch},
         {"input_size", m.input_size},
         {"covariates", m.covariates},
         {"threshold", m.threshold},
         {"validation", m.validation},
         {"card", m.card},
         {"report_url", m.report_path.empty() ? nlohmann::json(nullptr)
                                              : nlohmann::json("/api/v1/models/" + m.name + "/report")}}}},
      {"software_version", kVersion}};
}

Result<std::string> ScreeningService::model_report(const std::string& name) const {
  if (!ready()) return fail(ErrorCode::kNotReady, "the model is still loading");
  const auto& m = engine_->info();
  if (name != m.name || m.report_path.empty()) return fail(ErrorCode::kNotFound, "no evaluation report for model " + name);
  std::ifstream in(m.report_path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "the evaluation report of " + name + " cannot be read");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace osteo::serve
