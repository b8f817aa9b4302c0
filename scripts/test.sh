#!/usr/bin/env bash
# The test command: installs dependencies, builds, and runs the unit and integration suites
# (tests labelled "slow" are left to `ctest -L slow`). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc)" -LE slow "$@"
