#!/usr/bin/env node
/*
 * Writes the YAML 1.1 corpus and kubectl's decoding of it:
 *
 *   node plugins/aks-baseline-node/src/readers/__fixtures__/yaml-1.1/generate.mjs
 *
 * Every scalar form of YAML 1.1 (booleans in every letter case, nulls, ints
 * in every base, floats, timestamps, sexagesimal) and their neighbours, as
 * plain, quoted and tagged values and keys, in block and flow style, plus
 * merge keys, anchors and structural neighbours. Cases go into one document
 * per group (`group-*.yaml`, each hand-written case under a key of its own);
 * a case kubectl refuses, or one marked `alone`, gets a document of its own
 * (`case-*.yaml`) so that it cannot hide the others. `expected.json` holds,
 * per file, what `kubectl label --local -f FILE x=y -o json` gives (the `x`
 * label removed): `{ "value": ... }`, `{ "error": "..." }` when kubectl
 * refuses the file, or `{ "values": [...] }` when repeated runs differ
 * (kubectl keeps one of two keys with the same JSON name at random).
 * Needs kubectl on PATH (client only; nothing goes to a cluster).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Every upper/lower-case spelling of a word. */
function letterCases(word) {
  let out = [''];
  for (const c of word) {
    const forms =
      c.toLowerCase() === c.toUpperCase()
        ? [c]
        : [c.toLowerCase(), c.toUpperCase()];
    out = out.flatMap(prefix => forms.map(f => prefix + f));
  }
  return out;
}

const BOOLEAN_AND_NULL_WORDS = [
  'y',
  'n',
  'yes',
  'no',
  'on',
  'off',
  'true',
  'false',
  'null',
];

const NUMBERS = [
  // integers in every base, signs, underscores, ranges
  '0',
  '00',
  '-0',
  '+0',
  '7',
  '07',
  '0777',
  '08',
  '09',
  '010',
  '0777_7',
  '0_7',
  '0o17',
  '0O17',
  '0o8',
  '0o',
  '0x1F',
  '0X1f',
  '0x_1F',
  '0x',
  '0xG',
  '+0x1F',
  '-0x1F',
  '0b1010',
  '0B11',
  '0b2',
  '0b',
  '-0b11',
  '+0b11',
  '0b_1',
  '1_000',
  '1__0',
  '_1',
  '1_',
  '+12',
  '-12',
  '++1',
  '+-1',
  '1-',
  '12abc',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '18446744073709551615',
  '18446744073709551616',
  '12345678901234567890',
  '9007199254740993',
  '0x8000000000000000',
  '0xFFFFFFFFFFFFFFFF',
  '0x10000000000000000',
  '1234567890123456789012345',
  // sexagesimal (YAML 1.1 has them; go-yaml does not)
  '190:20:30',
  '1:30',
  '-1:30',
  '190:20:30.15',
  '12:30',
  '08:00',
  // floats
  '1.5',
  '1.',
  '.5',
  '-.5',
  '+.5',
  '5.',
  '-5.',
  '1e3',
  '1E3',
  '1e+3',
  '1e-3',
  '1.0e+3',
  '6.8523015e+5',
  '685.230_15e+03',
  '1_000.5',
  '.5_0',
  '._5',
  '5._0',
  '.5e3',
  '.e3',
  '.',
  '..',
  '1e400',
  '-1e400',
  '1e-400',
  '0.1',
  '0.0',
  '-0.0',
  '1e',
  'e3',
  '1.2.3',
  '1e3_0',
  '0x1p3',
  '1_e3',
  '3.14159265358979323846',
  '123456789.0',
  '1e21',
  '1e-7',
  '0.000001',
  // infinities and NaN in their YAML spellings and neighbours
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '-.inf',
  '-.INF',
  '.iNF',
  'inf',
  '-inf',
  'Infinity',
  '.nan',
  '.NaN',
  '.NAN',
  '.nAn',
  'nan',
  'NaN',
];

const STRINGS_NEARBY = [
  // timestamps: strings in JSON either way
  '2001-12-14',
  '2002-1-2',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14T21:59:43Z',
  '2001-12-14 21:59:43.10',
  '1234-',
  '20011-12-14',
  // look-alikes that stay strings
  'yes!',
  'y.',
  'Yes please',
  'on-call',
  'nullable',
  '~~',
  'no_root',
  'ONE',
  'nO_',
  '1Gi',
  '100m',
  '0.5Gi',
  '1.0.0',
  'v1',
  '080:00',
  '1_2_3_',
  '+',
  '.x',
  '-x',
  '=',
  '<<',
  'true.',
  'True!',
  'TRUE ',
  '0x1F-abc',
  '12 34',
  '0 1',
];

/** Plain scalars: booleans and nulls in every letter case, numbers, look-alikes. */
const SCALARS = [
  ...BOOLEAN_AND_NULL_WORDS.flatMap(letterCases),
  '~',
  '',
  ...NUMBERS,
  ...STRINGS_NEARBY,
];

const cases = [];
/**
 * `group`: the file the case goes to; `body`: lines under `spec:`, whose
 * keys are unique in the group when `unique` (else the case is nested under
 * a key of its own in the group's document).
 */
function add(group, body, options = {}) {
  cases.push({
    group,
    body,
    alone: options.alone === true || options.random === true,
    unique: options.unique === true,
    random: options.random === true,
  });
}

const quoteDouble = s => JSON.stringify(s);
const quoteSingle = s => `'${s.replace(/'/g, "''")}'`;

SCALARS.forEach((s, i) => {
  const n = String(i).padStart(3, '0');
  const unique = { unique: true };
  add('block-values', `  v${n}: ${s}`, unique);
  add('block-keys', `  k${n}:\n    ${s}: x`, unique);
  add('flow-values', `  v${n}: [${s}]\n  m${n}: {v: ${s}}`, unique);
  add('flow-keys', `  k${n}: {${s}: x}`, unique);
  add(
    'quoted',
    `  d${n}: ${quoteDouble(s)}\n  s${n}: ${quoteSingle(s)}`,
    unique,
  );
  add(
    'quoted-keys',
    `  k${n}:\n    ${quoteDouble(s)}: x\n    ${quoteSingle(`${s}.`)}: y`,
    unique,
  );
  add('tagged-str', `  t${n}: !!str ${s}`, unique);
});

// Tags kubectl resolves, and ones it refuses.
[
  ['int', '12'],
  ['int', '"12"'],
  ['int', '0x1F'],
  ['int', 'yes'],
  ['int', '1.5'],
  ['float', '1'],
  ['float', '"1e3"'],
  ['float', '.inf'],
  ['float', 'x'],
  ['bool', 'yes'],
  ['bool', '"on"'],
  ['bool', 'true'],
  ['bool', '1'],
  ['null', '~'],
  ['null', '""'],
  ['null', 'x'],
  ['str', '"12"'],
  ['str', '~'],
].forEach(([tag, s], i) =>
  add('tags', `  t${i}: !!${tag} ${s}`, { unique: true }),
);
add('tags-other', '  a: !custom x', { alone: true });
add('tags-other', '  a: !!binary aGVsbG8=', { alone: true });
add('tags-other', '  a: !!timestamp 2001-12-14', { alone: true });
add('tags-other', '  a: ! 12', { alone: true });
add('tags-other', '  a: !<tag:yaml.org,2002:str> 12');
add('tags-other', '  b: !!map {a: 1}\n  c: !!seq [1]');

// Merge keys: maps, lists of maps, aliases, order against explicit keys.
add('merge', '  a:\n    <<: {x: 1, y: 2}\n    y: 3');
add('merge', '  b:\n    y: 3\n    <<: {x: 1, y: 2}');
add('merge', '  c:\n    <<: [{x: 1}, {x: 2, z: 3}]');
add('merge', '  d:\n    <<:\n      - {x: 1}\n      - {x: 2, z: 3}\n    w: 0');
add(
  'merge',
  '  base: &base\n    privileged: yes\n    runAsUser: 0\n  e:\n    <<: *base\n    runAsUser: 1000',
);
add('merge', '  f:\n    securityContext: {<<: {privileged: true}}');
add(
  'merge',
  '  one: &one {a: 1}\n  two: &two {b: 2, a: 3}\n  g:\n    <<: [*one, *two]',
);
add('merge', '  h:\n    "<<": {a: 1}');
add('merge', "  i:\n    '<<': {a: 1}");
add('merge', '  j:\n    <<: {a: {<<: {deep: on}}}');
add('merge', '  k:\n    <<: {}\n    a: 1');
add('merge', '  l:\n    <<: {y: 1}\n    <<: {y: 2}', { alone: true });
add('merge', '  m:\n    <<: 5', { alone: true });
add('merge', '  n:\n    <<: [{a: 1}, 5]', { alone: true });
add('merge', '  o:\n    <<: *missing', { alone: true });
add('merge', '  p: &p\n    <<: *p', { alone: true });
add('merge', '  q:\n    <<: ~', { alone: true });
add('merge', '  r:\n    !!merge <<: {a: 1}', { alone: true });

// Anchors and aliases.
add(
  'anchors',
  '  a: &a yes\n  b: *a\n  c: &c [on, off]\n  d: *c\n  e: &e {k: 0777}\n  f: *e',
);
add('anchors', '  g: &g x\n  g2: &g y\n  h: *g');
add('anchors', '  i: &i\n    - &j 1\n    - *j\n  k: *i');
add('anchors', '  l: *nope', { alone: true });
add('anchors', '  m: &m [*m]', { alone: true });

// Keys: duplicates, collisions after conversion to JSON names, odd kinds.
add('keys', '  a: 1\n  a: 2', { alone: true });
add('keys', '  yes: 1\n  true: 2', { alone: true });
add('keys', '  1: a\n  "1": b', { random: true });
add('keys', '  1: a\n  0x1: b', { alone: true });
add('keys', '  1.0: a\n  1: b', { random: true });
add('keys', '  y: 1\n  n: 2\n  "y": 3');
add('keys', '  [a]: 1', { alone: true });
add('keys', '  {a: 1}: 1', { alone: true });
add('keys', '  ? a\n  : b\n  ? [x]\n  : c', { alone: true });
add('keys', '  ? k\n  : v');
add('keys', '  : novalue', { alone: true });
add('keys', '  __proto__: {polluted: yes}\n  constructor: x');

// Escapes in double-quoted strings.
add(
  'escapes',
  String.raw`  a: "tab\there"
  b: "nl\nnul\0bell\a"
  c: "\x41\u00e9\U0001F600"
  d: "\N\_\L\P"
  e: "\e\v\f\r\b"
  f: "a\ b"
  g: "q\"q"
  h: "back\\slash"
  i: 'it''s'`,
);
add('escapes', String.raw`  a: "\/"`, { alone: true });
add('escapes', String.raw`  a: "\'"`, { alone: true });
add('escapes', String.raw`  a: "\ud800"`, { alone: true });
add('escapes', String.raw`  a: "\U00110000"`, { alone: true });
add('escapes', String.raw`  a: "\q"`, { alone: true });

// Structural neighbours: multi-line scalars, block scalars, flow oddities.
add(
  'structure',
  '  a: one\n    two\n  b: "one\n    two"\n  c: >\n    folded\n    text\n\n    para\n  d: |\n    keep\n     indented\n  e: |-\n    strip\n  f: |+\n    kept\n\n  g: >-\n    x\n    y',
);
add(
  'structure',
  '  a: [a:b, {a:1}, http://x/y, "q:"]\n  b: {url: http://x, t: a#b, c: a #comment}',
);
add('structure', '  a: [a?b]', { alone: true });
add('structure', '  a: [b?, c]', { alone: true });
add('structure', '  a: {k: v?}', { alone: true });
add('structure', '  a: x?y\n  b: ?x\n  c: "?"');
add(
  'structure',
  '  a:\n  - x\n  - - y\n    - z\n  b: [1, [2, [3, [4]]]]\n  c: []\n  d: {}',
);
add('structure', '  a: 1 # yes\n  b: on # off\n  c: "on" # yes');
add('structure', '  a: [1,\n    yes]\n  b: {k: on,\n    l: off}');
add('structure', '  a: x\ty\n  b: "x\ty"');
add('structure', '  a:\n\tb: 1', { alone: true });
add('structure', '  a: -', { alone: true });
add('structure', '  a: x\u0085y', { alone: true });
add('structure', '  a: x\u2028y', { alone: true });
add('structure', '  a: "x\u0001y"', { alone: true });
add('structure', '  a: "x\u007fy"', { alone: true });
add('structure', '  a: x\ufeffy', { alone: true });
add('structure', '  a: x\ry', { alone: true });
add(
  'structure',
  '  a: yes\r\n  b: 0777\r\n  c: |\r\n    two\r\n    lines\r\n',
  { alone: true },
);

// Values JSON cannot hold, one per document.
for (const s of ['.inf', '-.Inf', '.nan', '+.INF']) {
  add('not-json', `  a: ${s}`, { alone: true });
  add('not-json', `  a: [${s}]`, { alone: true });
}

/** The documents of one file. */
function fileText(name, bodies) {
  return [
    'apiVersion: example.com/v1',
    'kind: Corpus',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...bodies,
    '',
  ].join('\n');
}

/** The case bodies of a group's document. */
function groupBodies(group) {
  return group.map((c, i) =>
    c.unique
      ? c.body
      : `  c${String(i).padStart(2, '0')}:\n${c.body.replace(/^/gm, '  ')}`,
  );
}

/** kubectl's decoding of a text: `{ value }` or `{ error }`. */
function kubectlOnce(text) {
  const path = join(here, '.kubectl-probe.yaml');
  writeFileSync(path, text);
  const r = spawnSync(
    'kubectl',
    ['label', '--local', '-f', path, 'x=y', '-o', 'json'],
    {
      encoding: 'utf8',
    },
  );
  rmSync(path, { force: true });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    return { error: r.stderr.trim().replace(/error parsing \S+: /, '') };
  }
  const value = JSON.parse(r.stdout);
  delete value.metadata.labels.x;
  if (Object.keys(value.metadata.labels).length === 0)
    delete value.metadata.labels;
  return { value };
}

/** kubectlOnce, run `runs` times (or until two results differ). */
function kubectl(text, runs = 1) {
  const results = [];
  for (let i = 0; i < runs && results.length < 2; i++) {
    const r = kubectlOnce(text);
    if (!results.some(x => JSON.stringify(x) === JSON.stringify(r)))
      results.push(r);
  }
  if (results.length === 1) return results[0];
  return { values: results.map(r => r.value) };
}

/** Splits a group into the cases kubectl accepts together and the rest. */
function accepted(name, group) {
  if (group.length === 0) return { ok: [], alone: [] };
  const r = kubectl(fileText(name, groupBodies(group)));
  if (!r.error) return { ok: group, alone: [] };
  if (group.length === 1) return { ok: [], alone: group };
  const half = Math.ceil(group.length / 2);
  const a = accepted(name, group.slice(0, half));
  const b = accepted(name, group.slice(half));
  return { ok: [...a.ok, ...b.ok], alone: [...a.alone, ...b.alone] };
}

for (const f of readdirSync(here)) {
  if (/^(group|case)-.*\.yaml$/.test(f)) rmSync(join(here, f));
}
const expected = {};
const groups = [...new Set(cases.map(c => c.group))];
let single = 0;
for (const group of groups) {
  const mine = cases.filter(c => c.group === group);
  const { ok, alone } = accepted(
    `group-${group}`,
    mine.filter(c => !c.alone),
  );
  if (ok.length > 0) {
    const name = `group-${group}`;
    const text = fileText(name, groupBodies(ok));
    writeFileSync(join(here, `${name}.yaml`), text);
    expected[`${name}.yaml`] = kubectl(text);
  }
  for (const c of [...alone, ...mine.filter(x => x.alone)]) {
    const name = `case-${String(++single).padStart(3, '0')}-${group}`;
    const text = fileText(name, [c.body]);
    writeFileSync(join(here, `${name}.yaml`), text);
    expected[`${name}.yaml`] = kubectl(text, c.random ? 64 : 1);
  }
}
const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], {
  encoding: 'utf8',
});
writeFileSync(
  join(here, 'expected.json'),
  `${JSON.stringify(
    {
      kubectl: JSON.parse(version.stdout).clientVersion.gitVersion,
      files: expected,
    },
    null,
    2,
  )}\n`,
);
console.log(
  `${cases.length} cases: ${
    Object.keys(expected).length
  } files, ${single} of them single cases`,
);
