#pragma once
/// @file
/// Carries a heat map computed on the model input back onto the original film, undoing the
/// preprocessing geometry (ROI crop, laterality flip, aspect-preserving scale, padding).
#include "osteo/core/error.h"
#include "osteo/ml/explain/heat_map.h"
#include "osteo/preprocess/preprocess.h"

namespace osteo::ml {

/// Resamples `map` onto the film. `map` covers the whole input_size × input_size model input at
/// any resolution (a w×h map has cells of input_size/w × input_size/h input pixels, centres at
/// half-cell offsets, the convention of bilinear interpolation with align_corners=false), so
/// both a feature-map-resolution Grad-CAM and an input-resolution one can be passed.
///
/// The result has film_rows × film_columns values; film pixels outside the ROI are 0. Inside the
/// ROI each film pixel centre is mapped through the inverse of film_point() and sampled
/// bilinearly (edges replicated). One affine warp over the ROI only: a few ms on a 2k film.
///
/// Errors: kInvalidArgument for an empty map, non-positive sizes, a geometry whose content
/// or ROI is empty, or an ROI outside the film.
Result<HeatMap> map_to_film(const HeatMap& map, const InputGeometry& geometry, int input_size, int film_rows,
                            int film_columns);

}  // namespace osteo::ml
