#!/usr/bin/env bash
# Configures and builds OsteoScreen into ./build (Release with debug info, Ninja).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSTEO_WERROR=ON >/dev/null
# Two jobs per core would thrash 24 GiB machines on the DCMTK/OpenCV-heavy units: use the cores.
ninja -C build -j "$(nproc)"
