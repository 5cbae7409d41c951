#!/usr/bin/env bash
# Onboarding a département through the running service, timed: `bash bench/onboarding/run.sh [department] [persons]`.
# Starts `listes360 up` (one silo, Azurite in a temporary folder, no demo population) on its own ports,
# loads the département's real ESMS from the national FINESS extract in ../shared/data (benchmarks may read it),
# then times `listes360 seed --department D --persons N`: the SIMULATED lists written as CSV files and imported
# together through the same path as import-lists (identity resolution, per-row errors, idempotent).
# Writes bench/results/onboarding-D-N.md with the machine's description. Azurite's own CPU profile: see azurite-profiler.cjs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
department=${1:-59}
persons=${2:-20000}
finess=${FINESS_FILE:-$(cd "$root/.." && pwd)/shared/data/finess/finess_esms_ph_france_20210108.csv}
port=${PORT:-5391}; storage=${STORAGE_PORT:-10093}; silo=${SILO_PORT:-11192}; gateway=${GATEWAY_PORT:-30092}   # other ports: two runs side by side
data=$(mktemp -d); log=$(mktemp); seedlog=$(mktemp); csv=$(mktemp -d)
out="$root/bench/results/onboarding-$department-$persons${AZURITE_IN_MEMORY:+-in-memory}.md"
[[ -f "$finess" ]] || { echo "extrait FINESS introuvable : $finess (FINESS_FILE=…)" >&2; exit 1; }
down() {
  [[ -n "${pid:-}" ]] || return 0
  kill -TERM $pid 2>/dev/null || true
  for _ in $(seq 1 90); do kill -0 $pid 2>/dev/null || break; sleep 1; done
  pkill -KILL -P $pid 2>/dev/null || true; kill -KILL $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
}
trap 'down; rm -rf "$data" "$log" "$seedlog" "$csv"' EXIT
"$root/listes360" --help >/dev/null   # builds the CLI first, outside the timings
# AZURITE_IN_MEMORY=1: Azurite keeps nothing on disk (`up --in-memory`); by default it saves its whole database every few
# seconds, a cost that grows with the département and that Azure Table does not have.
"$root/listes360" up --urls "http://127.0.0.1:$port" --storage-port $storage --data "$data" --seed-persons 0 \
  --silo-port $silo --gateway-port $gateway ${AZURITE_IN_MEMORY:+--in-memory} >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do grep -q "Listes360 est prêt" "$log" && break; kill -0 $pid 2>/dev/null || { tail -20 "$log" >&2; exit 1; }; sleep 1; done
grep -q "Listes360 est prêt" "$log" || { echo "listes360 up n'a pas démarré" >&2; tail -20 "$log" >&2; exit 1; }
"$root/listes360" import-esms "$finess" --department "$department" --gateway-port $gateway | tail -3 || true   # the national extract has a few lines refused (control characters): reported, not fatal
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# TRACE=file.nettrace: a CPU sampling trace of the silo during the first TRACE_SECONDS (30) of the import
# (dotnet-trace, `dotnet tool install -g dotnet-trace`; it ignores SIGINT without a terminal, hence a duration).
if [[ -n "${TRACE:-}" ]]; then
  ~/.dotnet/tools/dotnet-trace collect -p $pid --profile dotnet-sampled-thread-time --duration "00:00:00:${TRACE_SECONDS:-30}" -o "$TRACE" >/dev/null 2>&1 &
  tracer=$!; sleep 3
fi
curl -s "http://127.0.0.1:$port/metrics" >"$data/metrics-before.txt"
start=$(date +%s.%N)
set +e
"$root/listes360" seed --department "$department" --persons "$persons" --output "$csv" --gateway-port $gateway | tee "$seedlog"
status=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)
if [[ -n "${tracer:-}" ]]; then wait $tracer 2>/dev/null || true; fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# What the import asked of storage, by grain type: the silo's counters on /metrics (listes360.storage.operations;
# they include import-esms before the timing, listed apart as the "before" scrape).
curl -s "http://127.0.0.1:$port/metrics" >"$data/metrics-after.txt"
storage_table=$(python3 - "$data/metrics-before.txt" "$data/metrics-after.txt" <<'PY2'
import re, sys
def parse(text):
    out = {}
    # Requests by operation, and the bytes the writes sent (listes360.storage.written): a state that grows and is written whole shows there.
    for metric, operation in ((r'listes360_storage_operations_total', None), (r'listes360_storage_written\w*', "bytes")):
        for m in re.finditer(r'^' + metric + r'\{([^}]*)\} (\S+)', text, re.M):
            tags = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            key = (tags.get("grain", "?"), operation or tags.get("operation", "?"))
            out[key] = out.get(key, 0) + float(m.group(2))
    return out
before, after = (parse(open(f, encoding="utf-8").read()) for f in sys.argv[1:3])
grains = sorted({g for g, _ in after}, key=lambda g: -sum(after.get((g, o), 0) - before.get((g, o), 0) for o in ("read", "write", "clear")))
total = {"read": 0, "write": 0, "clear": 0, "bytes": 0}
for g in grains:
    d = {o: int(after.get((g, o), 0) - before.get((g, o), 0)) for o in total}
    if sum(d.values()) == 0: continue
    for o in total: total[o] += d[o]
    print(f"| {g} | {d['read']} | {d['write']} | {d['clear']} | {d['bytes'] / 1e6:.1f} |")
print(f"| **total** | {total['read']} | {total['write']} | {total['clear']} | {total['bytes'] / 1e6:.1f} |")
PY2
)
# Where the processor time went: the silo (dotnet serve/up), Azurite (node), the seed client — cumulative CPU seconds.
cpu_table=$(ps -eo pid,ppid,times,args --sort=-times | awk -v up=$pid 'NR>1 && ($3 > 0) && /listes360|azurite/ {a=""; for(i=4;i<=NF && i<9;i++) a=a" "$i; printf "| %s | %d |\n", a, $3}' | head -6)
seconds=$(python3 -c "print(f'{$end - $start:.1f}')")
rows=$(python3 - "$seedlog" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"Import des listes SIMULÉES : (\d+) lignes", text)
print(m.group(1) if m else "0")
PY
)
rate=$(python3 -c "print(f'{$rows / ($end - $start):.0f}')")
summary=$(grep -E "^Population SIMULÉE|^Import des listes SIMULÉES" "$seedlog" || true)
if [[ -n "${AZURITE_IN_MEMORY:-}" ]]; then azurite_mode='**in memory only** (`up --in-memory`: nothing saved to disk)'; else azurite_mode='saving its whole database to disk every few seconds'; fi
cpu=$(nproc); mem=$(free -g | awk '/Mem:/{print $2}'); os=$(. /etc/os-release; echo "$PRETTY_NAME")
cat >"$out" <<MD
# Onboarding benchmark: département $department, $persons SIMULATED persons

Produced by \`${AZURITE_IN_MEMORY:+AZURITE_IN_MEMORY=1 }bash bench/onboarding/run.sh $department $persons\`: \`listes360 up\` (one silo, Azurite on this machine
$azurite_mode, no demo population), the département's real ESMS loaded from the national FINESS extract (\`import-esms --department $department\`),
then \`listes360 seed --department $department --persons $persons\` timed end to end (CSV generation, reading, identity
resolution, every row written through the service). Exit status of seed: $status (non-zero when rows were rejected).

Machine: $cpu cores, $mem GiB, $os, $(dotnet --version), commit $(git -C "$root" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'),
load before $load_before, after $load_after (shared machine: compare runs of the same hour, not across days).

| rows imported | seconds | rows per second |
| ---: | ---: | ---: |
| $rows | $seconds | $rate |

Processor time of the service's processes at the end of the import (seconds since each started; the silo's includes its start):

| process | CPU seconds |
| --- | ---: |
$cpu_table

Grain states read and written in storage during the import (each is one Azure Table request; \`listes360.storage.operations\`
on the silo's \`/metrics\`; MB: \`listes360.storage.written\`, the states or rows the writes sent), by grain type:

| grain | reads | writes | clears | MB written |
| --- | ---: | ---: | ---: | ---: |
$storage_table

\`\`\`
$summary
\`\`\`
MD
cat "$out"
