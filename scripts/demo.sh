#!/usr/bin/env bash
# The main job on the synthetic hospital: synth -> ingest (DICOM + DEXA) -> match -> split,
# ending with the cohort summary. Everything lands in ./demo (or --workdir).
#
#   scripts/demo.sh [--patients N] [--seed S] [--workdir DIR] [--skip-build] [--bin PATH]
set -euo pipefail
cd "$(dirname "$0")/.."

patients=200
seed=1
workdir=demo
skip_build=0
bin="$PWD/build/osteoscreen"
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --bin) bin="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ "$skip_build" -eq 0 ]; then
  scripts/install-deps.sh
  scripts/build.sh
fi
[ -x "$bin" ] || { echo "demo.sh: $bin not built (drop --skip-build)" >&2; exit 1; }

# Only ever delete what an earlier demo wrote: a mistyped --workdir must not wipe a folder.
if [ -d "$workdir" ] && [ -n "$(ls -A "$workdir")" ] && [ ! -f "$workdir/cohort.db" ] && [ ! -f "$workdir/synth.json" ]; then
  echo "demo.sh: $workdir is not empty and holds no earlier demo (cohort.db, synth.json); choose another --workdir" >&2
  exit 2
fi
rm -rf "$workdir/hospital" "$workdir"/cohort.db* "$workdir/synth.json" "$workdir/split.json"
mkdir -p "$workdir"
db="$workdir/cohort.db"
step() { echo; echo "==> $*"; }

step "synth: a synthetic hospital of $patients patients (seed $seed)"
"$bin" synth --patients "$patients" --seed "$seed" --out "$workdir/hospital" > "$workdir/synth.json"
cat "$workdir/synth.json"
step "ingest dicom"
"$bin" --db "$db" ingest dicom "$workdir/hospital/dicom"
step "ingest dexa"
"$bin" --db "$db" ingest dexa "$workdir/hospital/dexa_export.csv"
step "match (±183 days, femoral neck T-score, WHO bands)"
"$bin" --db "$db" match
step "split (temporal: train ≤ 2021, test 2022, validation carved by patient)"
"$bin" --db "$db" split --temporal --train-until 2021 --test-year 2022 --json > "$workdir/split.json"
"$bin" --db "$db" summary
echo
echo "Cohort store: $db  (synthetic data: not for clinical use)"
