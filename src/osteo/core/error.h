#pragma once
/// @file
/// The error catalogue (error_codes.def) and the Result type every fallible library call returns.
/// Expected failures (bad files, bad rows) are values; exceptions are for the exceptional.
#include <stdexcept>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace osteo {

enum class ErrorCode {
#define OSTEO_ERROR(name, code, http, text) name,
#include "osteo/core/error_codes.def"
#undef OSTEO_ERROR
};

/// One row of the catalogue.
struct ErrorInfo {
  ErrorCode code;
  const char* name;         ///< stable string code, e.g. "dicom_parse_error"
  int http_status;          ///< status the server answers with
  const char* description;  ///< generic meaning; Error::message carries the specifics
};

/// Catalogue row of a code.
const ErrorInfo& error_info(ErrorCode code);
/// Every catalogue row, in declaration order (for docs and tests).
const ErrorInfo* error_catalogue(std::size_t* count);

/// A failure: a catalogue code plus a message naming the file/row and the reason.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;

  const char* name() const { return error_info(code).name; }
  int http_status() const { return error_info(code).http_status; }
  /// "code: message", for logs and the CLI.
  std::string to_string() const;
};

template <class T>
using Result = tl::expected<T, Error>;
/// Result of an operation with no value.
using Status = tl::expected<void, Error>;

/// Builds the unexpected side of a Result: `return fail(ErrorCode::kEmptyFile, path + ": empty");`
inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

/// The exception form of Error, for code paths where unwinding is the natural control flow
/// (e.g. aborting a store transaction). Convert back with `catch (const OsteoError& e) { e.error() }`.
class OsteoError : public std::runtime_error {
 public:
  explicit OsteoError(Error error) : std::runtime_error(error.to_string()), error_(std::move(error)) {}
  OsteoError(ErrorCode code, std::string message) : OsteoError(Error{code, std::move(message)}) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

/// Unwraps a Result or throws its error as OsteoError.
template <class T>
T value_or_throw(Result<T> r) {
  if (!r) throw OsteoError(std::move(r.error()));
  return std::move(*r);
}
inline void value_or_throw(Status s) {
  if (!s) throw OsteoError(std::move(s.error()));
}

}  // namespace osteo
