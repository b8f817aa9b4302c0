#!/usr/bin/env bash
# Configures and builds OsteoScreen (Release with debug info, Ninja) into ./build, or into
# $OSTEO_BUILD_DIR. Uses ccache when it is installed (optional; speeds up rebuilds in worktrees).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${OSTEO_BUILD_DIR:-build}"
LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSTEO_WERROR=ON "${LAUNCHER[@]}" >/dev/null
# Two jobs per core would thrash 24 GiB machines on the DCMTK/OpenCV-heavy units: use the cores.
ninja -C "$BUILD_DIR" -j "$(nproc)"
