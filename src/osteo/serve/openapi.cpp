#include "osteo/serve/openapi.h"

#include <algorithm>
#include <cctype>

namespace osteo::serve {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

nlohmann::json path_parameters(const std::string& pattern) {
  nlohmann::json params = nlohmann::json::array();
  std::size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string::npos) {
    const auto end = pattern.find('}', pos);
    if (end == std::string::npos) break;
    params.push_back({{"name", pattern.substr(pos + 1, end - pos - 1)},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}});
    pos = end + 1;
  }
  return params;
}

nlohmann::json request_body(const std::vector<FormField>& form) {
  nlohmann::json properties = nlohmann::json::object();
  nlohmann::json required = nlohmann::json::array();
  for (const auto& f : form) {
    nlohmann::json schema = f.type == "file" ? nlohmann::json{{"type", "string"}, {"format", "binary"}}
                                             : nlohmann::json{{"type", f.type}};
    schema["description"] = f.description;
    properties[f.name] = schema;
    if (f.required) required.push_back(f.name);
  }
  nlohmann::json schema = {{"type", "object"}, {"properties", properties}};
  if (!required.empty()) schema["required"] = required;
  return {{"required", true}, {"content", {{"multipart/form-data", {{"schema", schema}}}}}};
}

nlohmann::json responses(const std::vector<ResponseSpec>& specs) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& r : specs) {
    nlohmann::json entry = {{"description", r.description}};
    if (r.status >= 400) {
      entry["content"] = {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
    } else if (!r.content_type.empty()) {
      entry["content"] = {{r.content_type, nlohmann::json::object()}};
    }
    out[std::to_string(r.status)] = entry;
  }
  return out;
}

}  // namespace

nlohmann::json openapi_document(const std::vector<Route>& routes, const std::string& version) {
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& r : routes) {
    nlohmann::json op = {{"summary", r.summary},
                         {"tags", {r.tag}},
                         {"operationId", lower(r.method) + "_" + r.pattern},
                         {"responses", responses(r.responses)}};
    if (auto params = path_parameters(r.pattern); !params.empty()) op["parameters"] = params;
    if (!r.form.empty()) op["requestBody"] = request_body(r.form);
    paths[r.pattern][lower(r.method)] = op;
  }
  nlohmann::json error_schema = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"code", "message"}},
          {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}};
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "OsteoScreen screening API"},
            {"version", version},
            {"description", "Osteoporosis screening on radiographs. For research / screening support, not a diagnosis."}}},
          {"paths", paths},
          {"components", {{"schemas", {{"Error", error_schema}}}}}};
}

}  // namespace osteo::serve
