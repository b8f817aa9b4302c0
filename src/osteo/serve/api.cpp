#include "osteo/serve/api.h"

#include <cstdlib>

#include "osteo/core/version.h"
#include "osteo/serve/openapi.h"
#include "osteo/serve/web_assets.h"

namespace osteo::serve {
namespace {

// Headers of every page asset: the page loads nothing from elsewhere, so say so to the browser.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'";

HttpResponse from(const Result<nlohmann::json>& r, int status, int retry_after) {
  return r ? HttpResponse::json(status, *r) : error_response(r.error(), retry_after);
}

Result<int> query_int(const HttpRequest& req, const std::string& name, int fallback, int low, int high) {
  const auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return fallback;
  char* end = nullptr;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (*end != '\0' || v < low || v > high) {
    return fail(ErrorCode::kInvalidArgument, "query parameter " + name + " must be an integer in " +
                                                 std::to_string(low) + "–" + std::to_string(high));
  }
  return static_cast<int>(v);
}

// The upload of a POST: multipart/form-data with a file part named "file".
Result<Upload> upload_of(const HttpRequest& req) {
  const std::string type = req.header("content-type");
  if (type.rfind("multipart/form-data", 0) != 0) {
    return fail(ErrorCode::kUnsupportedFormat, "send the radiograph as multipart/form-data with a part named 'file'");
  }
  const auto it = req.files.find("file");
  if (it == req.files.end()) return fail(ErrorCode::kInvalidArgument, "the multipart part 'file' is missing");
  return Upload{it->second.filename, it->second.content};
}

std::vector<ResponseSpec> with_errors(std::vector<ResponseSpec> ok, std::vector<int> errors) {
  static const std::map<int, std::string> kMeaning = {
      {400, "malformed request"},
      {404, "not found"},
      {413, "file or image too large"},
      {415, "unsupported media type (judged by content)"},
      {422, "undecodable or unusable image, or an invalid field"},
      {503, "model loading, queue full or timed out (see Retry-After)"}};
  for (int code : errors) ok.push_back({code, kMeaning.at(code), "application/json"});
  return ok;
}

const std::vector<FormField> kScreeningForm = {
    {"file", "file", true, "DICOM, PNG or JPEG radiograph"},
    {"age", "number", false, "age in years (18–120)"},
    {"sex", "string", false, "F or M"},
    {"weight_kg", "number", false, "weight in kg (20–300)"},
    {"height_m", "number", false, "height in metres (0.5–2.5)"}};

}  // namespace

std::vector<Route> api_routes(ScreeningService& service) {
  std::vector<Route> routes;
  const int retry = service.retry_after_seconds();
  auto picture = [&service, retry](const std::string& which) {
    return [&service, retry, which](const HttpRequest& req) {
      auto png = service.picture(req.path_params.at("id"), which);
      if (!png) return error_response(png.error(), retry);
      auto r = HttpResponse::bytes(200, "image/png", std::move(*png));
      r.headers["Cache-Control"] = "private, max-age=86400, immutable";  // ids are content-derived
      return r;
    };
  };

  auto dicom = [&service, retry](const std::string& kind) {
    return [&service, retry, kind](const HttpRequest& req) {
      const auto& id = req.path_params.at("id");
      auto bytes = service.dicom_result(id, kind);
      if (!bytes) return error_response(bytes.error(), retry);
      auto r = HttpResponse::bytes(200, "application/dicom", std::move(*bytes));
      r.headers["Content-Disposition"] = "attachment; filename=\"osteoscreen-" + id.substr(0, 8) + "-" + kind + ".dcm\"";
      return r;
    };
  };

  routes = {
      {"GET", "/healthz", "Liveness: the process answers", "health", {}, {{200, "alive"}},
       [](const HttpRequest&) { return HttpResponse::json(200, {{"status", "ok"}, {"version", kVersion}}); }},
      {"GET", "/readyz", "Readiness: 200 once the model is loaded, 503 before", "health", {},
       with_errors({{200, "ready"}}, {503}),
       [&service, retry](const HttpRequest&) {
         if (service.ready()) return HttpResponse::json(200, {{"status", "ready"}});
         if (auto e = service.load_error()) {
           return error_response(Error{ErrorCode::kNotReady, "the model failed to load: " + e->message}, retry);
         }
         return error_response(Error{ErrorCode::kNotReady, "the model is still loading"}, retry);
       }},
      {"GET", "/api/v1/openapi.json", "This OpenAPI 3 document, generated from the route table", "meta", {},
       {{200, "OpenAPI document"}},
       nullptr},  // set below, from the finished table
      {"GET", "/api/v1/models", "The served model: name, version, SHA-256, card and validation metrics", "models",
       {}, with_errors({{200, "model list"}}, {503}),
       [&service, retry](const HttpRequest&) { return from(service.models(), 200, retry); }},
      {"GET", "/api/v1/models/{name}/report", "The model's evaluation report (self-contained HTML)", "models", {},
       with_errors({{200, "HTML report", "text/html"}}, {404, 503}),
       [&service, retry](const HttpRequest& req) {
         auto html = service.model_report(req.path_params.at("name"));
         if (!html) return error_response(html.error(), retry);
         return HttpResponse::bytes(200, "text/html; charset=utf-8", std::move(*html));
       }},
      {"POST", "/api/v1/previews", "Render an upload for preview and read its header fields", "screenings",
       {kScreeningForm.front()}, with_errors({{200, "PNG data URL and patient fields"}}, {400, 413, 415, 422, 503}),
       [&service, retry](const HttpRequest& req) {
         auto upload = upload_of(req);
         if (!upload) return error_response(upload.error(), retry);
         return from(service.preview(std::move(*upload)), 200, retry);
       }},
      {"POST", "/api/v1/screenings", "Screen a radiograph: WHO category, probability, T-score, heat map", "screenings",
       kScreeningForm,
       with_errors({{201, "screened"}, {200, "the same request was screened before"}}, {400, 413, 415, 422, 503}),
       [&service, retry](const HttpRequest& req) {
         auto upload = upload_of(req);
         if (!upload) return error_response(upload.error(), retry);
         auto answer = service.screen(std::move(*upload), req.form);
         if (!answer) return error_response(answer.error(), retry);
         auto r = HttpResponse::json(answer->created ? 201 : 200, answer->body);
         r.headers["Location"] = "/api/v1/screenings/" + answer->body.value("id", std::string());
         return r;
       }},
      {"GET", "/api/v1/screenings", "Screening history, newest first (?limit=1..500&offset=)", "screenings", {},
       with_errors({{200, "history"}}, {400}),
       [&service, retry](const HttpRequest& req) {
         auto limit = query_int(req, "limit", 50, 1, 500);
         if (!limit) return error_response(limit.error(), retry);
         auto offset = query_int(req, "offset", 0, 0, 1'000'000'000);
         if (!offset) return error_response(offset.error(), retry);
         return HttpResponse::json(200, service.history(*limit, *offset));
       }},
      {"GET", "/api/v1/screenings/{id}", "One screening", "screenings", {}, with_errors({{200, "the screening"}}, {404}),
       [&service, retry](const HttpRequest& req) { return from(service.screening(req.path_params.at("id")), 200, retry); }},
      {"GET", "/api/v1/screenings/{id}/image.png", "The film as shown beside the heat map", "screenings", {},
       with_errors({{200, "PNG", "image/png"}}, {404}), picture("image")},
      {"GET", "/api/v1/screenings/{id}/heatmap.png", "Grad-CAM heat layer (RGBA, same size as image.png)",
       "screenings", {}, with_errors({{200, "PNG", "image/png"}}, {404}), picture("heatmap")},
      {"GET", "/api/v1/screenings/{id}/dicom-sr",
       "DICOM Structured Report (TID 1500) of a screening made from a DICOM film", "dicom", {},
       with_errors({{200, "Part-10 file", "application/dicom"}}, {404}), dicom("sr")},
      {"GET", "/api/v1/screenings/{id}/dicom-sc",
       "DICOM Secondary Capture with the heat map burned in (not for diagnostic use)", "dicom", {},
       with_errors({{200, "Part-10 file", "application/dicom"}}, {404}), dicom("sc")},
  };
  // The document describes the table it is part of; computed once, after the table is complete.
  const auto document = std::make_shared<const nlohmann::json>(openapi_document(routes, kVersion));
  for (auto& r : routes) {
    if (r.pattern == "/api/v1/openapi.json") {
      r.handler = [document](const HttpRequest&) { return HttpResponse::json(200, *document); };
    }
  }
  return routes;
}

std::optional<HttpResponse> static_asset(const std::string& path) {
  const std::string name = path == "/" ? "index.html" : path.substr(1);
  const auto* asset = find_web_asset(name);
  if (!asset) return std::nullopt;
  auto r = HttpResponse::bytes(200, asset->content_type, std::string(asset->data, asset->size));
  r.headers["Content-Security-Policy"] = kContentSecurityPolicy;
  r.headers["Cache-Control"] = "no-cache";
  r.headers["X-Frame-Options"] = "DENY";
  return r;
}

}  // namespace osteo::serve
