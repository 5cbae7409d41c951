#!/usr/bin/env bash
# Starts Azurite's Table service on loopback only, in the foreground.
# Usage: infra/azurite/start.sh [DATA_DIR] [TABLE_PORT]
#   DATA_DIR   where Azurite keeps its data (default: <repo>/.data/azurite, git-ignored)
#   TABLE_PORT the Table service port (default: 10002)
# Installs the pinned azurite (package-lock.json) with `npm ci` when it is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-$root/.data/azurite}
port=${2:-10002}
if [[ ! -x "$here/node_modules/.bin/azurite-table" ]]; then
  echo "Installation d'Azurite (npm ci dans infra/azurite)…" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
mkdir -p "$data"
# Entities found by their key and rewritten in place, as Azure Table does (point-lookup.cjs and rewrite-in-place.cjs say why).
export NODE_OPTIONS="${NODE_OPTIONS:-} --require \"$here/point-lookup.cjs\" --require \"$here/rewrite-in-place.cjs\""
exec "$here/node_modules/.bin/azurite-table" \
  --tableHost 127.0.0.1 --tablePort "$port" \
  --location "$data" --skipApiVersionCheck --disableProductStyleUrl --disableTelemetry --silent
