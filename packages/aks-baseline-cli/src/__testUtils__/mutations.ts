/*
 * Seeded mutations of manifest and snapshot texts for the fuzz test: the
 * edits people and tools make by mistake (flipped characters, truncation,
 * lost or doubled lines, wrong indentation), YAML 1.1's tricky scalars,
 * values of the wrong type at random paths, deep nesting, huge strings and
 * byte order marks. Each mutation says what it did, so a failure reads.
 */
import { stringify } from 'yaml';

/** A small, fast, seedable generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

/** The seed a fuzz run uses: fixed unless given, `random` for a new one each run. */
export function fuzzSeed(given: string | undefined): number {
  if (given === 'random') return Math.floor(Math.random() * 2 ** 31);
  return given ? Number(given) : 20261202;
}

const pick = <T>(rand: Random, list: readonly T[]): T =>
  list[Math.floor(rand() * list.length)];
const int = (rand: Random, n: number) => Math.floor(rand() * n);

/** Scalars YAML 1.1 (kubectl) and YAML 1.2 read differently, and other traps. */
export const TRICKY_SCALARS = [
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'n',
  '~',
  'null',
  'Null',
  '0777',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '+12',
  '1e3',
  '.inf',
  '-.Inf',
  '.nan',
  '2001-12-14',
  '1:30',
  '9223372036854775808',
  '"\\u0000"',
  '"\\/"',
  "'it''s'",
  '!!str 5',
  '!!binary aGk=',
  '!custom x',
  '&anchor x',
  '*missing',
  '<<',
  '{}',
  '[]',
  '{a: [b, {c: d}]}',
  '|',
  '>-',
  '? x',
  '- x',
  '${IMAGE}',
  '"{{ .Values.image }}"',
  '${{ values.name }}',
  '$(POD_IP)',
  '"\\uD800"',
  '"\u2028"',
];

/** Values of every JSON type, for type confusion at a path. */
const CONFUSED_VALUES: unknown[] = [
  null,
  0,
  -1,
  2.5,
  1e308,
  true,
  false,
  '',
  'two',
  'ALL',
  '100%',
  [],
  [null],
  ['*'],
  [{}],
  {},
  { name: 'x' },
  { kind: 'List', items: [] },
  { '': '' },
  { constructor: { prototype: 1 }, toString: 'x', hasOwnProperty: 1 },
];

type TextMutation = (text: string, rand: Random) => [string, string];

const LINE_MUTATIONS: Record<string, TextMutation> = {
  flip(text, rand) {
    const chars = '{}[]":,\n\t -#&*!|>\'\\%@`?0aZ\r\u00a0\u0085';
    let out = text;
    const n = 1 + int(rand, 5);
    for (let i = 0; i < n; i++) {
      const at = int(rand, out.length + 1);
      const c = pick(rand, chars.split(''));
      const op = rand();
      if (op < 0.4) out = out.slice(0, at) + c + out.slice(at + 1);
      else if (op < 0.7) out = out.slice(0, at) + c + out.slice(at);
      else out = out.slice(0, at) + out.slice(at + 1);
    }
    return [out, `${n} character edits`];
  },
  truncate(text, rand) {
    const at = int(rand, text.length);
    return [text.slice(0, at), `truncated at ${at}`];
  },
  duplicateLine(text, rand) {
    const lines = text.split('\n');
    const i = int(rand, lines.length);
    lines.splice(i, 0, lines[i]);
    return [lines.join('\n'), `line ${i + 1} doubled`];
  },
  deleteLines(text, rand) {
    const lines = text.split('\n');
    const i = int(rand, lines.length);
    const n = 1 + int(rand, 3);
    lines.splice(i, n);
    return [lines.join('\n'), `${n} lines deleted at ${i + 1}`];
  },
  indent(text, rand) {
    const lines = text.split('\n');
    const i = int(rand, lines.length);
    const n = 1 + int(rand, 4);
    const shift = pick(rand, [-4, -2, -1, 1, 2, 4]);
    for (let k = i; k < Math.min(lines.length, i + n); k++) {
      lines[k] =
        shift > 0
          ? ' '.repeat(shift) + lines[k]
          : lines[k].replace(new RegExp(`^ {0,${-shift}}`), '');
    }
    return [lines.join('\n'), `lines ${i + 1}-${i + n} shifted ${shift}`];
  },
  trickyScalar(text, rand) {
    // Replaces the value of a `key: value` line (YAML) or `"key": value` (JSON).
    const lines = text.split('\n');
    const candidates = lines
      .map((l, i) => (/:\s*\S/.test(l) ? i : -1))
      .filter(i => i >= 0);
    if (candidates.length === 0) return [text, 'no scalar to swap'];
    const i = pick(rand, candidates);
    const scalar = pick(rand, TRICKY_SCALARS);
    lines[i] = lines[i].replace(/:\s*\S.*$/, `: ${scalar}`);
    return [lines.join('\n'), `line ${i + 1} value → ${scalar}`];
  },
  deepNesting(text, rand) {
    const depth = pick(rand, [100, 255, 257, 1000, 5000]);
    const flow = rand() < 0.5;
    const value = flow
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `\n${Array.from(
          { length: Math.min(depth, 600) },
          (_, d) => `${'  '.repeat(d + 1)}k:`,
        ).join('\n')} x`;
    const lines = text.split('\n');
    const i = int(rand, lines.length);
    lines.splice(i, 0, `deep: ${value}`);
    return [lines.join('\n'), `${depth} levels (${flow ? 'flow' : 'block'})`];
  },
  hugeString(text, rand) {
    const size = pick(rand, [70_000, 300_000, 1_000_000]);
    const lines = text.split('\n');
    const i = int(rand, lines.length);
    lines.splice(i, 0, `huge: ${'x'.repeat(size)}`);
    return [lines.join('\n'), `${size}-character string at line ${i + 1}`];
  },
  bom(text, rand) {
    const at = rand() < 0.7 ? 0 : int(rand, text.length);
    return [
      `${text.slice(0, at)}\ufeff${text.slice(at)}`,
      `byte order mark at ${at}`,
    ];
  },
};

/** One random node of a parsed document, replaced by a value of another type or deleted. */
function confuse(root: unknown, rand: Random): string {
  let node: any = root;
  const path: string[] = [];
  for (let depth = 0; depth < 16; depth++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = pick(rand, keys);
    const child = node[key];
    path.push(key);
    if (rand() < 0.2 || child === null || typeof child !== 'object') {
      if (rand() < 0.15) {
        delete node[key];
        return `${path.join('.')} deleted`;
      }
      const value = pick(rand, CONFUSED_VALUES);
      node[key] = typeof value === 'object' ? structuredClone(value) : value;
      return `${path.join('.')} → ${JSON.stringify(value)}`;
    }
    node = child;
  }
  return 'nothing changed';
}

export interface Mutation {
  text: string;
  /** What was done, for the failure message. */
  what: string;
  /** Bytes to write: UTF-8, or UTF-16 with a byte order mark. */
  bytes: Buffer;
}

/**
 * A mutation of `text`: a text edit, or (for text that parses, given as
 * `values`) values of the wrong type at random paths, written back as YAML
 * or JSON.
 */
export function mutate(
  text: string,
  values: unknown[] | undefined,
  rand: Random,
): Mutation {
  let out: string;
  let what: string;
  if (values && rand() < 0.3) {
    const copy = structuredClone(values);
    const edits: string[] = [];
    const n = 1 + int(rand, 3);
    for (let i = 0; i < n; i++) edits.push(confuse(pick(rand, copy), rand));
    out =
      rand() < 0.5
        ? copy.map(v => JSON.stringify(v, null, 1)).join('\n')
        : copy
            .map(v => stringify(v, { aliasDuplicateObjects: false }))
            .join('---\n');
    what = `types: ${edits.join('; ')}`;
  } else {
    const names = Object.keys(LINE_MUTATIONS);
    const rounds = 1 + int(rand, 2);
    out = text;
    const done: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const name = pick(rand, names);
      const [next, said] = LINE_MUTATIONS[name](out, rand);
      out = next;
      done.push(`${name}: ${said}`);
    }
    what = done.join('; ');
  }
  const r = rand();
  let bytes: Buffer;
  if (r < 0.05) {
    bytes = Buffer.from(`\ufeff${out}`, 'utf16le');
    what += '; UTF-16 LE';
  } else if (r < 0.08) {
    bytes = Buffer.from(`\ufeff${out}`, 'utf16le').swap16();
    what += '; UTF-16 BE';
  } else if (r < 0.1) {
    bytes = Buffer.from(out, 'utf16le');
    what += '; UTF-16 without BOM';
  } else {
    bytes = Buffer.from(out, 'utf8');
  }
  return { text: out, what, bytes };
}
