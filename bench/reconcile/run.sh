#!/usr/bin/env bash
# The reconcile pass of the Orne at demo scale, timed: `bash bench/reconcile/run.sh [persons]`.
# Starts `listes360 up` on its own ports and a temporary Azurite folder, seeds the SIMULATED Orne
# (default 1,200 persons), then runs the département's pass three times — the first with every grain
# cold (right after a restart of the silo), then twice warm — and writes bench/results/reconcile.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
persons=${1:-1200}
port=5390; storage=10092
data=$(mktemp -d)
log=$(mktemp)
out="$root/bench/results/reconcile.md"
up() {
  "$root/listes360" up --urls "http://127.0.0.1:$port" --storage-port $storage --data "$data" --seed-persons "$persons" \
    --silo-port 11191 --gateway-port 30091 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q "Listes360 est prêt" "$log" && return 0; kill -0 $pid 2>/dev/null || break; sleep 1; done
  echo "listes360 up n'a pas démarré :" >&2; tail -20 "$log" >&2; exit 1
}
# SIGTERM, not SIGINT: a script's background job ignores SIGINT. The host stops Azurite and the silo on SIGTERM;
# if it has not within 60 s, its process group is killed so the bench never hangs.
down() {
  kill -TERM $pid 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 1; done
  pkill -KILL -P $pid 2>/dev/null || true; kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
}
trap 'down; rm -rf "$data" "$log"' EXIT
"$root/listes360" --help >/dev/null   # builds the CLI first, outside the timings
token=$("$root/listes360" token --role admin)
q() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "http://127.0.0.1:$port/graphql" -d "$1"; }
pass() {
  q '{"query":"mutation { reconcileDepartment(input: {department: \"61\"}) { pass { status } } }"}' >/dev/null
  while true; do
    r=$(q '{"query":"{ reconcileStatus(department: \"61\") { status persons total failed seconds } }"}')
    if grep -q DONE <<<"$r"; then
      python3 - "$r" "$1" <<'PY'
import json, sys
s = json.loads(sys.argv[1])["data"]["reconcileStatus"]
print(f"| {sys.argv[2]} | {s['persons']:,} | {s['failed']} | {s['seconds']:.1f} | {s['persons'] / s['seconds']:.0f} |")
PY
      return
    fi
    sleep 1
  done
}
up; down; up   # seeded, then restarted: every grain cold
rows=$(pass "cold (after a restart)"; pass "warm"; pass "warm again")
down
cpu=$(nproc); mem=$(free -g | awk '/Mem:/{print $2}'); os=$(. /etc/os-release; echo "$PRETTY_NAME")
cat >"$out" <<MD
# Reconcile pass benchmark

Produced by \`bash bench/reconcile/run.sh $persons\`: \`listes360 up\` (one silo, Azurite on this machine) with the
**SIMULATED** Orne ($persons persons, demo seed), the département's pass (\`reconcileDepartment\`) run three times;
\`seconds\` is the pass's own measure (\`reconcileStatus\`). Default batching (200 persons a step, a sliding window of 16 persons in flight, 1 s between steps).

Machine: $cpu cores, $mem GiB, $os, $(dotnet --version), commit $(git -C "$root" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg) (shared machine: compare passes of one run, not runs).

| pass | persons | failed | seconds | persons per second |
| --- | ---: | ---: | ---: | ---: |
$rows
MD
cat "$out"
