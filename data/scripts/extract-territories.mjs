#!/usr/bin/env node
// Writes the territories (EPCI à fiscalité propre) and communes of one département from the npm
// package @etalab/decoupage-administratif (version pinned in package.json / package-lock.json).
//
//   cd data/scripts && npm ci && node extract-territories.mjs 61
//
// Outputs (UTF-8, ';'-separated, one header row, LF line ends, sorted by code so that a re-run on
// the same package version is byte-identical):
//   ../territories/territories-<dep>.csv  epci_code;epci_name;epci_type;communes_in_department;communes_total
//   ../territories/communes-<dep>.csv     insee_code;name;type;parent_insee_code;postcodes;epci_code;arrondissement_code;arrondissement_name
// 'type' is 'actuelle' (commune in force) or 'deleguee' (former commune merged into a commune
// nouvelle: FINESS addresses often still use these names). A delegated commune takes the EPCI of its
// parent (chef-lieu) commune; the package gives it no postcodes, so its 'postcodes' column repeats
// the parent's. The package carries no coordinates: no latitude/longitude columns are written.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const dep = process.argv[2] ?? '61';
if (!/^(\d{2}|2A|2B|97\d)$/.test(dep)) {
  console.error(`département code attendu (ex. 61), reçu « ${dep} »`);
  process.exit(2);
}

const pkgDir = dirname(require.resolve('@etalab/decoupage-administratif/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const communes = require('@etalab/decoupage-administratif/data/communes.json');
const epcis = require('@etalab/decoupage-administratif/data/epci.json');
const arrondissements = require('@etalab/decoupage-administratif/data/arrondissements.json');

const field = (v) => {
  const s = v == null ? '' : String(v);
  return /[;"\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};
const line = (values) => values.map(field).join(';');

const ofDep = communes.filter((c) => c.departement === dep && (c.type === 'commune-actuelle' || c.type === 'commune-deleguee'));
const actual = new Map(ofDep.filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c]));

const epciOfCommune = new Map();
const depEpcis = [];
for (const e of epcis) {
  const inDep = e.membres.filter((m) => actual.has(m.code));
  if (inDep.length === 0) continue;
  depEpcis.push({ code: e.code, nom: e.nom, type: e.type, inDep: inDep.length, total: e.membres.length });
  for (const m of inDep) epciOfCommune.set(m.code, e.code);
}
depEpcis.sort((a, b) => a.code.localeCompare(b.code));

const arrName = new Map(arrondissements.filter((a) => a.departement === dep).map((a) => [a.code, a.nom]));

const rows = [];
const missing = [];
for (const c of ofDep) {
  const parent = c.type === 'commune-deleguee' ? actual.get(c.chefLieu) : null;
  const reference = parent ?? c;
  const epci = epciOfCommune.get(reference.code) ?? '';
  if (c.type === 'commune-actuelle' && epci === '') missing.push(`${c.code} ${c.nom}`);
  rows.push({
    code: c.code,
    line: line([
      c.code,
      c.nom,
      c.type === 'commune-actuelle' ? 'actuelle' : 'deleguee',
      parent ? parent.code : '',
      (c.codesPostaux ?? reference.codesPostaux ?? []).join('|'),
      epci,
      c.arrondissement ?? reference.arrondissement ?? '',
      arrName.get(c.arrondissement ?? reference.arrondissement) ?? '',
    ]),
    type: c.type,
  });
}
rows.sort((a, b) => a.code.localeCompare(b.code) || a.type.localeCompare(b.type));

const outDir = join(here, '..', 'territories');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, `territories-${dep}.csv`),
  [line(['epci_code', 'epci_name', 'epci_type', 'communes_in_department', 'communes_total']),
    ...depEpcis.map((e) => line([e.code, e.nom, e.type, e.inDep, e.total]))].join('\n') + '\n',
);
writeFileSync(
  join(outDir, `communes-${dep}.csv`),
  [line(['insee_code', 'name', 'type', 'parent_insee_code', 'postcodes', 'epci_code', 'arrondissement_code', 'arrondissement_name']),
    ...rows.map((r) => r.line)].join('\n') + '\n',
);
console.log(`${pkg.name}@${pkg.version}: département ${dep}, ${depEpcis.length} EPCI, ${actual.size} communes actuelles, ${rows.length - actual.size} communes déléguées.`);
if (missing.length > 0) {
  console.error(`Communes sans EPCI : ${missing.join(', ')}`);
  process.exit(1);
}
