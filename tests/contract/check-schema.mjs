#!/usr/bin/env node
// Contract check with graphql-js, the reference GraphQL implementation:
//   node check-schema.mjs URL TOKEN SCHEMA_FILE
// 1. parses SCHEMA_FILE with buildSchema and validates it (it must be valid SDL for graphql-js);
// 2. runs the standard introspection query (getIntrospectionQuery) against URL with the bearer TOKEN
//    ("-" reads it from the LISTES360_TOKEN environment variable, to keep it out of `ps`);
// 3. rebuilds the served schema with buildClientSchema and compares both: breaking and dangerous
//    changes in either direction, and the printed SDL of both (types and fields sorted, so that only
//    the order of declarations may differ).
// Exit codes: 0 same schema, 1 the file and the server differ, 2 anything else (usage, network, invalid SDL).
import { readFile } from 'node:fs/promises';
import {
  GraphQLSchema,
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  getIntrospectionQuery,
  isSpecifiedDirective,
  lexicographicSortSchema,
  printSchema,
  specifiedDirectives,
  validateSchema,
} from 'graphql';

function fail(code, message) {
  console.error(message);
  process.exit(code);
}

const [url, tokenArgument, schemaFile] = process.argv.slice(2);
if (!url || !tokenArgument || !schemaFile)
  fail(2, 'Usage : node check-schema.mjs URL TOKEN SCHEMA_FILE   (TOKEN « - » : lu dans LISTES360_TOKEN)');
const token = tokenArgument === '-' ? process.env.LISTES360_TOKEN : tokenArgument;
if (!token)
  fail(2, 'Aucun jeton : passez-le en argument ou dans LISTES360_TOKEN.');

// 1. The checked-in contract, as graphql-js reads it.
let fileSchema;
try {
  fileSchema = buildSchema(await readFile(schemaFile, 'utf8'));
} catch (e) {
  fail(2, `${schemaFile} n'est pas un SDL valide pour graphql-js : ${e.message}`);
}
const fileErrors = validateSchema(fileSchema);
if (fileErrors.length > 0)
  fail(2, `${schemaFile} n'est pas un schéma valide pour graphql-js :\n${fileErrors.map((e) => '  - ' + e.message).join('\n')}`);

// 2. The served schema, through the standard introspection query.
let response;
try {
  response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
      Authorization: `Bearer ${token}`,
    },
    // The standard query plus the schema's own description, which the file carries. GraphQL.NET 8
    // does not serve the newer optional fields (specifiedByURL, isRepeatable, deprecated arguments).
    body: JSON.stringify({
      query: getIntrospectionQuery({
        descriptions: true,
        schemaDescription: true,
      }),
      operationName: 'IntrospectionQuery',
    }),
    signal: AbortSignal.timeout(60_000),
  });
} catch (e) {
  fail(2, `Le serveur ${url} ne répond pas : ${e.message}`);
}
const body = await response.text();
let result;
try {
  result = JSON.parse(body);
} catch {
  fail(2, `Réponse non JSON de ${url} (HTTP ${response.status}) :\n${body.slice(0, 2000)}`);
}
if (!response.ok || result.errors?.length || !result.data)
  fail(2, `L'introspection a échoué (HTTP ${response.status}) :\n${JSON.stringify(result, null, 2).slice(0, 4000)}`);

let servedSchema;
try {
  servedSchema = buildClientSchema(result.data);
} catch (e) {
  fail(2, `graphql-js ne peut pas reconstruire le schéma servi : ${e.message}`);
}

// 3. Compare. The built-in directives (@skip, @include, @deprecated, @specifiedBy, @oneOf) are
// never printed in a schema file, so they cannot differ there: how the server declares them is
// reported as a remark, and both sides are compared with graphql-js' own.
const remarks = [];
for (const builtIn of specifiedDirectives) {
  const served = servedSchema.getDirective(builtIn.name);
  if (!served) {
    remarks.push(`@${builtIn.name} n'est pas déclarée par le serveur.`);
    continue;
  }
  const missing = builtIn.locations.filter((l) => !served.locations.includes(l));
  if (missing.length > 0)
    remarks.push(`@${builtIn.name} est déclarée par le serveur sans les emplacements ${missing.join(', ')}.`);
}
const withStandardDirectives = (schema) => new GraphQLSchema({
  ...schema.toConfig(),
  directives: [...specifiedDirectives, ...schema.getDirectives().filter((d) => !isSpecifiedDirective(d))],
});
fileSchema = withStandardDirectives(fileSchema);
servedSchema = withStandardDirectives(servedSchema);
if (remarks.length > 0)
  console.log(`Remarques (directives standard, hors contrat) :\n${remarks.map((r) => '  - ' + r).join('\n')}\n`);

const problems = [];
const describe = (changes) => changes.map((c) => `  - ${c.type} : ${c.description}`).join('\n');
const servedToFile = [...findBreakingChanges(servedSchema, fileSchema), ...findDangerousChanges(servedSchema, fileSchema)];
if (servedToFile.length > 0)
  problems.push(`Du serveur au fichier (ce que le fichier ajoute ou change par rapport au serveur) :\n${describe(servedToFile)}`);
const fileToServed = [...findBreakingChanges(fileSchema, servedSchema), ...findDangerousChanges(fileSchema, servedSchema)];
if (fileToServed.length > 0)
  problems.push(`Du fichier au serveur (ce qu'un client écrit d'après le fichier verrait changer) :\n${describe(fileToServed)}`);

const printed = (schema) => printSchema(lexicographicSortSchema(schema)).split('\n');
const fileLines = printed(fileSchema);
const servedLines = printed(servedSchema);
const diff = lineDiff(fileLines, servedLines);
if (diff.length > 0)
  problems.push(`Différences du SDL imprimé par graphql-js (- ${schemaFile}, + servi par ${url}) :\n${diff.join('\n')}`);

if (problems.length > 0) {
  console.error(`Le schéma servi par ${url} diffère de ${schemaFile}.\n\n${problems.join('\n\n')}\n\n` +
    'Si le changement est voulu, regénérez le contrat avec `./listes360 schema --output schema.graphql` et relisez le diff.');
  process.exit(1);
}
console.log(`Contrat respecté : ${schemaFile} et le schéma servi par ${url} sont identiques pour graphql-js ` +
  `(${Object.keys(servedSchema.getTypeMap()).filter((n) => !n.startsWith('__')).length} types, ${fileLines.length} lignes de SDL).`);

/** Changed lines with two lines of context, from a longest common subsequence (schemas are small). */
function lineDiff(a, b) {
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { ops.push([' ', a[i]]); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { ops.push(['-', a[i]]); i++; }
    else { ops.push(['+', b[j]]); j++; }
  }
  const keep = new Set();
  ops.forEach(([op], k) => { if (op !== ' ') for (let c = k - 2; c <= k + 2; c++) keep.add(c); });
  const out = [];
  let last = -1;
  for (let k = 0; k < ops.length; k++) {
    if (!keep.has(k)) continue;
    if (last >= 0 && k > last + 1) out.push('  …');
    out.push(`${ops[k][0]} ${ops[k][1]}`);
    last = k;
  }
  return out;
}
