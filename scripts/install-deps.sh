#!/usr/bin/env bash
# Installs every Debian package OsteoScreen needs to build, test and run.
# Idempotent: apt-get skips what is already installed. Run as root (CI is root).
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake g++ ninja-build pkg-config
  # DICOM: DCMTK for parsing/rendering/encoding, GDCM for JPEG 2000, dcmtk tools for tests
  libdcmtk-dev dcmtk libgdcm-dev
  # images, store, hashing
  libopencv-dev libsqlite3-dev libsodium-dev
  # JSON, logging, CLI, config, expected<T,E>
  nlohmann-json3-dev libspdlog-dev libcli11-dev libtomlplusplus-dev libexpected-dev
  # tests and benchmarks
  libgtest-dev libbenchmark-dev
  # deep learning: LibTorch (CPU, oneDNN, OpenMP); OpenBLAS so linear layers skip reference BLAS
  libtorch-dev libopenblas0-openmp
  # screening service: HTTP server; DICOM result validation (dciodvfy) in tests
  libcpp-httplib-dev dicom3tools
  # browser test of the page: npm playwright-core drives Debian's chromium (node + npm come with the machine)
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
