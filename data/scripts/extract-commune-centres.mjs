#!/usr/bin/env node
// Writes the approximate centre of every commune in force of one département, from the npm package
// @etalab/fr-bounding-boxes (IGN ADMIN EXPRESS bounding boxes, version pinned in package.json /
// package-lock.json), for the communes listed by ../territories/communes-<dep>.csv (run
// extract-territories.mjs first).
//
//   cd data/scripts && npm ci && node extract-commune-centres.mjs 61
//
// Output (UTF-8, ';'-separated, one header row, LF, sorted by INSEE code: byte-identical on a re-run):
//   ../geography/commune-centres-<dep>.csv  insee_code;name;latitude;longitude;source
// The centre is the middle of the commune's bounding box (WGS 84, 4 decimals as the package gives):
// within a few kilometres of the town hall for a rural commune, enough for proximity bands. A commune
// nouvelle absent from the package's vintage gets the box enclosing its former communes ('union').
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

const boxes = new Map(require('@etalab/fr-bounding-boxes/dist/communes.json')
  .map((c) => [c.id.replace('fr:commune:', ''), c.bbox]));

const lines = readFileSync(join(here, '..', 'territories', `communes-${dep}.csv`), 'utf8').split('\n').filter((l) => l.length > 0);
const header = lines[0].split(';');
const col = (name) => header.indexOf(name);
const parse = (l) => {
  // names may be quoted; the columns used here (code, type, parent) never are
  const out = []; let cur = ''; let q = false;
  for (let i = 0; i < l.length; i++) {
    const ch = l[i];
    if (q) { if (ch === '"') { if (l[i + 1] === '"') { cur += '"'; i++; } else q = false; } else cur += ch; }
    else if (ch === '"') q = true; else if (ch === ';') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur); return out;
};
const communes = lines.slice(1).map(parse);
const inForce = communes.filter((c) => c[col('type')] === 'actuelle');

const field = (v) => (/[;"\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const rows = [];
const missing = [];
for (const c of inForce) {
  const code = c[col('insee_code')];
  let box = boxes.get(code);
  let source = 'bbox';
  if (!box) {
    const parts = communes.filter((d) => d[col('parent_insee_code')] === code).map((d) => boxes.get(d[col('insee_code')])).filter(Boolean);
    if (parts.length > 0) {
      box = [Math.min(...parts.map((b) => b[0])), Math.min(...parts.map((b) => b[1])), Math.max(...parts.map((b) => b[2])), Math.max(...parts.map((b) => b[3]))];
      source = 'union';
    }
  }
  if (!box) { missing.push(code); continue; }
  const lon = ((box[0] + box[2]) / 2).toFixed(4);
  const lat = ((box[1] + box[3]) / 2).toFixed(4);
  rows.push([code, field(c[col('name')]), lat, lon, source].join(';'));
}
rows.sort();
const outDir = join(here, '..', 'geography');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `commune-centres-${dep}.csv`), ['insee_code;name;latitude;longitude;source', ...rows].join('\n') + '\n');
console.log(`${rows.length} communes écrites, ${missing.length} sans coordonnées${missing.length ? ' : ' + missing.join(', ') : ''}`);
