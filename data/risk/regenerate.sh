#!/usr/bin/env bash
# Regenerates the shipped rupture-risk model from the seeded SIMULATED cohort (no real person):
#   data/risk/model.zip, model.provenance.json, cohort-calibration.md, report/ (report.md, metrics.json, roc.png, calibration.png).
# The history CSV (~2.5 MB) is rebuilt from the seed in .data/risk/, not committed.
# Same seed, same metrics.json: compare with `git diff data/risk/report/metrics.json` after a run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seed=${1:-20260101}
history="$root/.data/risk/history-simulated.csv"
"$root/listes360" risk generate --output "$history" --seed "$seed" --calibration "$root/data/risk/cohort-calibration.md"
"$root/listes360" risk train --input "$history" --output "$root/data/risk/model.zip" --seed "$seed"
"$root/listes360" risk evaluate --model "$root/data/risk/model.zip" --input "$history" --report "$root/data/risk/report" \
  --cohort-notes "$root/data/risk/cohort-calibration.md"
