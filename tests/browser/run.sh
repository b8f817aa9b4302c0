#!/usr/bin/env bash
# End-to-end browser test of the screening page against the REAL server:
# builds a tiny demo model with the real CLI, starts `osteoscreen serve` on a free port, and
# drives the page in headless Debian chromium (tests/browser/screening.mjs).
#
#   tests/browser/run.sh OSTEOSCREEN_BIN OUT_DIR
#
# Exit 0: pass; 1: a step or an assertion failed; 2: usage; 77: skipped (no chromium / node),
# which CTest maps to "skipped" with SKIP_RETURN_CODE 77.
# Env: OSTEO_SHARED_DATA (default <repo>/../shared/data) for RG2_JPLL.dcm; KEEP_TMP=1 keeps the temp dir.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 OSTEOSCREEN_BIN OUT_DIR" >&2
  exit 2
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "SKIP: chromium is not installed (apt-get install chromium)"
  exit 77
fi
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "SKIP: node/npm are not installed (apt-get install nodejs npm)"
  exit 77
fi

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$2"
[ -x "$bin" ] || { echo "run.sh: $bin is not an executable" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

step() { echo "==> $*"; }
# sed -n 1p reads all its input, so no writer dies of SIGPIPE under pipefail.
first_file() { find "$1" -type f -name '*.dcm' | sort | sed -n 1p; }
# HTTP status of a GET (curl when present; node is here anyway).
http_status() {
  if command -v curl > /dev/null; then
    curl -s -o /dev/null -w '%{http_code}' "$1" || true
  else
    node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), () => console.log(0))' "$1"
  fi
}
started=$SECONDS

# playwright-core only (no browser download); the npm cache makes this work offline once filled.
if [ ! -d "$here/node_modules/playwright-core" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  step "npm ci (playwright-core)"
  npm ci --prefix "$here" --no-audit --no-fund --prefer-offline --loglevel=error
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/osteoscreen-browser.XXXXXX")"
server_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    kill "$server_pid" 2> /dev/null || true
    # SIGTERM drains the server; a server that hangs on the way out gets SIGKILL after 10 s.
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each CLI step logs to a file and only shows it when the step fails, so a pass stays short.
cli() {
  local name="$1"
  shift
  if ! "$bin" -q "$@" > "$tmp/$name.log" 2>&1; then
    echo "run.sh: '$(basename "$bin") $*' failed; its output:" >&2
    tail -n 40 "$tmp/$name.log" >&2
    exit 1
  fi
}

step "demo model: synth -> ingest -> match -> split -> train (tiny)"
cli synth synth --patients 60 --seed 3 --image-size 128 --out "$tmp/h"
cli ingest-dicom --db "$tmp/c.db" ingest dicom "$tmp/h/dicom"
cli ingest-dexa --db "$tmp/c.db" ingest dexa "$tmp/h/dexa_export.csv"
cli match --db "$tmp/c.db" match
cli split --db "$tmp/c.db" split --temporal
cli train --db "$tmp/c.db" train --arch tiny --image-size 96 --epochs 2 --out "$tmp/demo-tiny"
echo "    model ready after $((SECONDS - started)) s"

# Inputs: the real-world RG2_JPLL.dcm when the shared data is present, else a synthetic DICOM;
# the PNG is written by the CLI itself (one un-augmented tile of a synthetic film).
shared="${OSTEO_SHARED_DATA:-$repo/../shared/data}"
dicom="$shared/dicom/RG2_JPLL.dcm"
if [ ! -f "$dicom" ]; then
  dicom="$(first_file "$tmp/h/dicom")"
  echo "    $shared/dicom/RG2_JPLL.dcm is absent: using the synthetic $dicom"
fi
synthetic_dicom="$(first_file "$tmp/h/dicom")"
cli png augment-preview "$synthetic_dicom" --count 1 --input-size 256 --out "$tmp/film.png"

step "serve on a free port"
"$bin" --db "$tmp/screenings.db" serve --model "$tmp/demo-tiny" --port 0 --no-auth > "$tmp/serve.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 600); do
  base="$(sed -n 's|.*OsteoScreen serving at \(http://[^ ]*/\).*|\1|p' "$tmp/serve.log" | sed -n 1p)"
  [ -n "$base" ] && break
  if ! kill -0 "$server_pid" 2> /dev/null; then
    echo "run.sh: the server exited before it was serving; its output:" >&2
    tail -n 40 "$tmp/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$base" ]; then
  echo "run.sh: no 'OsteoScreen serving at http://...' line within 60 s; server output:" >&2
  tail -n 40 "$tmp/serve.log" >&2
  exit 1
fi
ready=0
for _ in $(seq 1 600); do
  if [ "$(http_status "${base}readyz")" = 200 ]; then
    ready=1
    break
  fi
  kill -0 "$server_pid" 2> /dev/null || break
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "run.sh: ${base}readyz never answered 200 within 60 s; server output:" >&2
  tail -n 40 "$tmp/serve.log" >&2
  exit 1
fi
echo "    serving at $base after $((SECONDS - started)) s"

step "browser: screening.mjs"
status=0
node "$here/screening.mjs" "$base" "$dicom" "$tmp/film.png" --out "$out" || status=$?
if [ "$status" -ne 0 ]; then
  echo "run.sh: the browser test failed (exit $status); last server output:" >&2
  tail -n 30 "$tmp/serve.log" >&2
fi
echo "    done in $((SECONDS - started)) s; screenshots in $out"
exit "$status"
