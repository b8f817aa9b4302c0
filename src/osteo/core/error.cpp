#include "osteo/core/error.h"

namespace osteo {
namespace {
constexpr ErrorInfo kCatalogue[] = {
#define OSTEO_ERROR(name, code, http, text) {ErrorCode::name, code, http, text},
#include "osteo/core/error_codes.def"
#undef OSTEO_ERROR
};
constexpr std::size_t kCatalogueSize = sizeof(kCatalogue) / sizeof(kCatalogue[0]);
}  // namespace

const ErrorInfo& error_info(ErrorCode code) {
  const auto index = static_cast<std::size_t>(code);
  return index < kCatalogueSize ? kCatalogue[index] : kCatalogue[kCatalogueSize - 1];
}

const ErrorInfo* error_catalogue(std::size_t* count) {
  *count = kCatalogueSize;
  return kCatalogue;
}

std::string Error::to_string() const { return std::string(name()) + ": " + message; }

}  // namespace osteo
