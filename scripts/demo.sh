#!/usr/bin/env bash
# The main job on the synthetic hospital: synth -> ingest (DICOM + DEXA) -> match -> split
# -> train (a small, fast model) -> evaluate -> serve: it ends in the running screening service
# (page + REST API) with the URL printed. Everything lands in ./demo (or --workdir); the model
# and its report in DIR/model, the screenings in DIR/screenings.db.
#
#   scripts/demo.sh [--patients N] [--seed S] [--workdir DIR] [--skip-build] [--bin PATH]
#                   [--cohort-only] [--no-serve] [--port P]
#
# --cohort-only stops after the split; --no-serve stops after the evaluation (for tests).
set -euo pipefail
cd "$(dirname "$0")/.."

patients=200
seed=1
workdir=demo
skip_build=0
bin="$PWD/build/osteoscreen"
cohort_only=0
serve=1
port=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --bin) bin="$2"; shift 2 ;;
    --cohort-only) cohort_only=1; shift ;;
    --no-serve) serve=0; shift ;;
    --port) port="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
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
rm -rf "$workdir/hospital" "$workdir"/cohort.db* "$workdir/synth.json" "$workdir/split.json" "$workdir/model"
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
if [ "$cohort_only" -eq 1 ]; then exit 0; fi

# A small, fast model (the tiny CNN at 128 px on the proximal-femur crop, 12 epochs: well under a
# minute on 2 cores), so the demo shows learning end to end; real runs use the defaults (resnet18).
model="$workdir/model"
report="$model/evaluation_report.html"
step "train: tiny CNN, 128 px proximal-femur crop, 12 epochs -> $model"
"$bin" --db "$db" train --split temporal --arch tiny --image-size 128 --epochs 12 --lr 2e-3 \
  --patience 0 --seed 3 --roi proximal_femur --canonicalize-laterality --out "$model"
step "evaluate on the 2022 test split (patient-level bootstrap CIs, threshold chosen on validation)"
"$bin" evaluate --model "$model" --cohort "$db" --split test --report "$report"
echo
echo "Model: $model"
echo "Report: $report  (synthetic data: not for clinical use)"
if [ "$serve" -eq 0 ]; then exit 0; fi

step "serve: the screening page and REST API on 127.0.0.1:$port (Ctrl-C stops it)"
echo "Open the printed URL; upload a film from $workdir/hospital/dicom. For research / screening support, not a diagnosis."
exec "$bin" --db "$workdir/screenings.db" serve --model "$model" --port "$port"
