#include "osteo/eval/check.h"

#include <cmath>
#include <string>

#include "osteo/core/error.h"

namespace osteo::eval {

void check_same_size(std::size_t a, std::size_t b, const char* where) {
  if (a != b)
    throw OsteoError(ErrorCode::kInvalidArgument, std::string(where) + ": length mismatch (" +
                                                      std::to_string(a) + " vs " + std::to_string(b) + ")");
}

void check_binary_input(const std::vector<double>& scores, const std::vector<int>& labels,
                        const char* where) {
  check_same_size(scores.size(), labels.size(), where);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!std::isfinite(scores[i]))
      throw OsteoError(ErrorCode::kInvalidArgument,
                       std::string(where) + ": score " + std::to_string(i) + " is not finite");
    if (labels[i] != 0 && labels[i] != 1)
      throw OsteoError(ErrorCode::kInvalidArgument, std::string(where) + ": label " + std::to_string(i) +
                                                        " is " + std::to_string(labels[i]) + ", not 0/1");
  }
}

void check_probabilities(const std::vector<double>& p, const char* where) {
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!(p[i] >= 0.0 && p[i] <= 1.0))
      throw OsteoError(ErrorCode::kInvalidArgument, std::string(where) + ": probability " +
                                                        std::to_string(i) + " is outside [0, 1]");
}

}  // namespace osteo::eval
