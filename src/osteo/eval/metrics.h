#pragma once
/// @file
/// Umbrella header of the evaluation metrics (each a pure function on plain vectors).
/// Shared conventions: binary labels are 0/1 and scores finite (else OsteoError
/// kInvalidArgument — a caller bug); an undefined value (one class only, empty input) is a
/// quiet NaN, written as null in JSON.
#include "osteo/eval/bootstrap.h"
#include "osteo/eval/calibration.h"
#include "osteo/eval/confusion.h"
#include "osteo/eval/delong.h"
#include "osteo/eval/normal.h"
#include "osteo/eval/proportion.h"
#include "osteo/eval/regression.h"
#include "osteo/eval/roc.h"
#include "osteo/eval/subgroups.h"
#include "osteo/eval/threshold.h"
