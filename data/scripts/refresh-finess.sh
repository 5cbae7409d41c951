#!/usr/bin/env bash
# Copies the FINESS reference files Listes360 ships into data/finess/ from a given folder (by default
# the team's shared data folder) and verifies them against the sha256 recorded in
# data/finess/PROVENANCE.md. The product never reads that folder at run time: it reads the copies
# (embedded in the Listes360.Domain assembly).
#
#   data/scripts/refresh-finess.sh [SOURCE_DIR]       copy, then verify
#   data/scripts/refresh-finess.sh --check            verify the copies in place only
#
# A new extract (other date, other sha256) is a deliberate change: update PROVENANCE.md (source,
# date, sha256) in the same commit, then run this script.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="$here/../finess"
provenance="$dest/PROVENANCE.md"
files=(finess_esms_ph_orne61_20210108.csv finess_categories_nomenclature.csv)

expected_sha() {
  # PROVENANCE.md lists lines like: - `file.csv`: <sha256>
  grep -E "^- \`$1\`: [0-9a-f]{64}" "$provenance" | sed -E 's/.*: ([0-9a-f]{64}).*/\1/'
}

verify() {
  local dir="$1" status=0
  for f in "${files[@]}"; do
    local want got
    want="$(expected_sha "$f")"
    if [[ -z "$want" ]]; then echo "pas de sha256 pour $f dans $provenance" >&2; status=1; continue; fi
    if [[ ! -f "$dir/$f" ]]; then echo "fichier absent : $dir/$f" >&2; status=1; continue; fi
    got="$(sha256sum "$dir/$f" | cut -d' ' -f1)"
    if [[ "$got" != "$want" ]]; then
      echo "sha256 différent pour $dir/$f : attendu $want, obtenu $got" >&2; status=1
    else
      echo "ok  $f  $got"
    fi
  done
  return $status
}

if [[ "${1:-}" == "--check" ]]; then
  verify "$dest"
  exit $?
fi

src="${1:-$here/../../../shared/data/finess}"
if [[ ! -d "$src" ]]; then
  echo "dossier source introuvable : $src (usage : $0 [DOSSIER_SOURCE] | --check)" >&2
  exit 2
fi
# Verify the source before copying anything, so a wrong source leaves the copies untouched.
verify "$src"
for f in "${files[@]}"; do
  install -m 0644 "$src/$f" "$dest/$f"
done
verify "$dest"
