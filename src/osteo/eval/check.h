#pragma once
/// @file
/// Input checks shared by the metric functions. Bad input to a metric is a programming error in
/// the caller (the evaluation entry point validates user data first), so these throw
/// OsteoError(kInvalidArgument) naming the function and the offending index.
#include <cstddef>
#include <vector>

namespace osteo::eval {

/// Scores finite, labels 0 or 1, equal lengths. `where` prefixes the message, e.g. "auroc".
void check_binary_input(const std::vector<double>& scores, const std::vector<int>& labels,
                        const char* where);
/// Equal lengths (a, b named in the message).
void check_same_size(std::size_t a, std::size_t b, const char* where);
/// Probabilities finite and within [0, 1].
void check_probabilities(const std::vector<double>& p, const char* where);

}  // namespace osteo::eval
