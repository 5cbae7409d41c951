// Bundles src/main.jsx (GraphiQL, React, graphql-js) into one JS and one CSS file, with no
// reference to any other server, into src/Listes360.Api/wwwroot/graphiql/. Run after `npm ci`:
//   npm run build
import { build } from 'esbuild';
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../src/Listes360.Api/wwwroot/graphiql');
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: { graphiql: path.join(here, 'src/main.jsx') },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  jsx: 'automatic',
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none', // the licences go to LICENSES.txt, below
  metafile: true,
  logLevel: 'warning',
});

// The page must work offline: no script, style, font or image from another server.
for (const file of ['graphiql.js', 'graphiql.css']) {
  const text = await readFile(path.join(out, file), 'utf8');
  const remote = [...text.matchAll(/(?:@import\s+(?:url\()?|url\(\s*)["']?(https?:)?\/\//g)];
  if (remote.length > 0)
    throw new Error(`${file} charge encore une ressource distante (${remote.length} fois) : ${text.slice(remote[0].index, remote[0].index + 120)}`);
}

// Every package that ended up in the bundle, with its licence and its licence text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
  if (!match) continue;
  const dir = input.slice(0, input.lastIndexOf(match[match.length - 1]) + match[match.length - 1].length);
  packages.set(dir, true);
}
const permissive = new Set(['MIT', 'ISC', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0']);
const licences = [];
for (const dir of [...packages.keys()].sort()) {
  const pkg = JSON.parse(await readFile(path.join(here, dir, 'package.json'), 'utf8'));
  let text = '';
  for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'license.md', 'LICENCE']) {
    try { text = await readFile(path.join(here, dir, name), 'utf8'); break; } catch { /* next */ }
  }
  const licence = typeof pkg.license === 'string' ? pkg.license : pkg.license?.type ?? 'inconnue';
  if (!permissive.has(licence))
    throw new Error(`${pkg.name} est sous licence ${licence} : à examiner avant de l'embarquer.`);
  licences.push(`${pkg.name} ${pkg.version} — ${licence}\n\n${text.trim() || '(pas de fichier de licence dans le paquet)'}\n`);
}
await writeFile(path.join(out, 'LICENSES.txt'),
  `Paquets npm embarqués dans graphiql.js et graphiql.css (${licences.length}), avec leur licence.\n\n` + licences.join('\n' + '-'.repeat(72) + '\n\n'));
console.log(`${licences.length} paquets embarqués, licences dans LICENSES.txt`);

const versions = {};
for (const name of ['graphiql', '@graphiql/react', '@graphiql/toolkit', 'graphql', 'react', 'react-dom', 'codemirror', 'esbuild']) {
  versions[name] = JSON.parse(await readFile(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}
await writeFile(path.join(out, 'versions.json'), JSON.stringify(versions, null, 2) + '\n');
for (const file of ['graphiql.js', 'graphiql.css'])
  console.log(`${file}: ${((await stat(path.join(out, file))).size / 1024).toFixed(0)} Kio`);
console.log(JSON.stringify(versions));
