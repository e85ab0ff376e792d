/*
 * The block-style fast path against the `yaml`-based path: wherever the
 * fast path answers, both give the same values and lines (their agreement
 * with kubectl is ./yaml-kubectl.test.ts). Also the parser's entry point
 * and the JSON line scan.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { jsonLines } from './json-lines';
import { parseSourceDocuments as parseSource } from './source-documents';
import { parseYamlFast } from './yaml-fast';
import { parseYamlWithLibrary } from './yaml-library';

const MANIFESTS = path.resolve(__dirname, '__fixtures__/manifests');

/** What `yaml` makes of a text: values and first-key lines. */
function slow(text: string) {
  return parseYamlWithLibrary(text, 'x.yaml').map(d => ({
    value: d.value,
    line: d.line,
    itemLines: d.itemLines,
  }));
}

function fast(text: string) {
  const docs = parseYamlFast(text);
  return docs
    ?.filter(d => d.value !== null && d.value !== undefined)
    .map(d => ({ value: d.value, line: d.line, itemLines: d.itemLines }));
}

/** Texts the fast path must handle, and agree with `yaml` on. */
const HANDLED: Record<string, string> = {
  scalars: `a: 1
b: -2
c: +3
d: 0o17
e: 0x1F
f: 1.5
g: 1e3
h: .5
i: 1.
m: ~
n: null
o: Null
p: true
q: False
r: TRUE
s: "007"
t: '1.0'
u: 010
v: 1_000
w: yes
x: 2026-03-31
y: 12:30
z:
`,
  strings: `plain: hello world
url: http://example.com:8080/path?q=1#frag
colon: a:b
hash: a#b
comment: value # trailing comment
quoted: "a \\"quoted\\" \\\\ \\t\\u00e9 \\x41"
single: 'it''s'
dash: --flag=value
empty-quoted: ""
spaces: "  padded  "
unicode: 한국어
`,
  keys: `"quoted key": 1
'single key': 2
key with spaces: 3
80: http
true: t
1.10: x
app.kubernetes.io/name: shop
`,
  flow: `a: []
b: {}
c: ["ALL", NET_BIND_SERVICE]
d: {cpu: 100m, memory: "128Mi"}
e: [1, [2, 3], {x: y}]
f: [a, b, ]
g: { k: }
`,
  sequences: `containers:
- name: a
  image: x
- name: b
  ports:
    - containerPort: 80
      protocol: TCP
args:
  - --one
  - "--two"
  -
    nested: map
`,
  literal: `data:
  script: |
    #!/bin/sh
    echo "hi"  # not a comment

      indented
  stripped: |-
    a
    b


  after: x
`,
  documents: `# leading comment
---
apiVersion: v1
kind: A
--- # a comment after the marker
apiVersion: v1
kind: B
---
# only a comment
---
...
---
apiVersion: v1
kind: List
items:
- kind: C
  metadata:
    name: c
-   kind: D
- # comment
  kind: E
`,
  rootSequence: `- a: 1
- b: 2
`,
  indentedRoot: `  a: 1
  b:
    c: 2
`,
};

/** Texts the fast path must give up on (and leave to `yaml`). */
const BAILS: Record<string, string> = {
  anchors: 'a: &x 1\nb: *x\n',
  mergeKey: 'a:\n  <<: {b: 1}\n',
  infinity: 'a: .inf\n',
  nullKey: '~: 1\n',
  bigKey: '18446744073709551615: 1\n',
  slashEscape: 'a: "\\/"\n',
  surrogateEscape: 'a: "\\ud800"\n',
  beyondUnicode: 'a: "\\U00110000"\n',
  questionInFlow: 'a: [b?c]\n',
  deepFlow: `a: ${'['.repeat(300)}${']'.repeat(300)}\n`,
  deepBlock: `${Array.from(
    { length: 300 },
    (_, i) => `${' '.repeat(i)}k:`,
  ).join('\n')} 1\n`,
  tags: 'a: !!str 1\n',
  folded: 'a: >\n  folded\n  text\n',
  keep: 'a: |+\n  kept\n\n',
  indentIndicator: 'a: |2\n   x\n',
  multiLinePlain: 'a: one\n  two\n',
  multiLineQuoted: 'a: "one\n  two"\n',
  multiLineFlow: 'a: [1,\n  2]\n',
  duplicateKey: 'a: 1\na: 2\n',
  crlf: 'a: 1\r\nb: 2\r\n',
  tabIndent: 'a:\n\tb: 1\n',
  complexKey: '? a\n: b\n',
  directive: '%YAML 1.2\n---\na: 1\n',
  badIndent: 'a:\n    b: 1\n  c: 2\n',
  rootScalar: 'just text\n',
  valueAfterKey: 'a: b: c\n',
  protoKey: '__proto__: x\n',
  nestedCompactSequence: 'a:\n  - - 1\n    - 2\n',
  dashValue: 'a: -\n',
};

describe('fast YAML path', () => {
  for (const [name, text] of Object.entries(HANDLED)) {
    it(`handles ${name} exactly as yaml does`, () => {
      const f = fast(text);
      expect(f).toBeDefined();
      expect(f).toEqual(slow(text));
    });
  }

  for (const [name, text] of Object.entries(BAILS)) {
    it(`leaves ${name} to yaml`, () => {
      expect(parseYamlFast(text)).toBeUndefined();
    });
  }

  it('agrees with yaml on every fixture', () => {
    const dirs = [
      path.resolve(__dirname, '__fixtures__'),
      path.resolve(__dirname, '../__fixtures__'),
    ];
    const fastResults: unknown[] = [];
    const slowResults: unknown[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e.name)) {
          const text = fs.readFileSync(p, 'utf8');
          const f = fast(text);
          if (f) {
            fastResults.push([p, f]);
            slowResults.push([p, slow(text)]);
          }
        }
      }
    };
    dirs.forEach(walk);
    const handled = fastResults.length;
    expect(fastResults).toEqual(slowResults);
    expect(handled).toBeGreaterThanOrEqual(5);
  });
});

describe('fast YAML path under mutation', () => {
  // Deterministic fuzzing: mutated fixtures must either be left to yaml or
  // give exactly yaml's values and lines (and never pass where yaml fails).
  it('agrees with yaml or gives up on 2,000 mutated manifests', () => {
    const seeds = [
      'noncompliant.yaml',
      'helm-template.yaml',
      'storefront.yaml',
    ].map(f => fs.readFileSync(path.join(MANIFESTS, f), 'utf8'));
    const pieces = [
      ':',
      ' ',
      '-',
      '#',
      '"',
      "'",
      '\n',
      '  ',
      '[',
      ']',
      '{',
      '}',
      ',',
      '|',
      '|-',
      '>',
      '&a',
      '*a',
      '!',
      '?',
      '\t',
      '---\n',
      '...',
      '~',
      '0x1',
      '1e2',
      ': ',
      ' #',
      '- ',
      '\\',
      '%',
    ];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let agreed = 0;
    const disagreements: string[] = [];
    for (let k = 0; k < 2000; k++) {
      let text = seeds[random(seeds.length)];
      for (let e = 1 + random(3); e > 0; e--) {
        const pos = random(text.length);
        const op = random(3);
        if (op === 0)
          text = text.slice(0, pos) + text.slice(pos + 1 + random(3));
        else if (op === 1)
          text =
            text.slice(0, pos) +
            pieces[random(pieces.length)] +
            text.slice(pos);
        else {
          const lines = text.split('\n');
          const i = random(lines.length);
          lines[i] = ' '.repeat(random(4)) + lines[i].trimStart();
          text = lines.join('\n');
        }
      }
      const f = fast(text);
      if (!f) continue;
      let s;
      try {
        s = slow(text);
      } catch {
        disagreements.push(text);
        continue;
      }
      if (isDeepStrictEqual(f, s)) agreed++;
      else disagreements.push(text);
    }
    expect(disagreements).toEqual([]);
    expect(agreed).toBeGreaterThan(300);
  });
});

describe('parseSource', () => {
  it('gives every document its first key line, comments and markers skipped', () => {
    const docs = parseSource(
      '# c\n---\n\napiVersion: v1\nkind: A\n---\n---\nkind: B\n',
      'x.yaml',
    );
    expect(docs.map(d => [d.line, (d.value as any).kind])).toEqual([
      [4, 'A'],
      [8, 'B'],
    ]);
  });

  it('falls back to yaml for what the fast path leaves, with the same lines', () => {
    const text =
      'kind: Z\n---\nkind: A\nbase: &b\n  x: 1\nref: *b\nitems:\n  - a: 1\n';
    expect(parseYamlFast(text)).toBeUndefined();
    const docs = parseSource(text, 'x.yaml');
    expect(docs.map(d => d.line)).toEqual([1, 3]);
    expect(docs[1].value).toEqual({
      kind: 'A',
      base: { x: 1 },
      ref: { x: 1 },
      items: [{ a: 1 }],
    });
    expect(docs[1].itemLines).toEqual([8]);
  });

  it('reports YAML errors with the line', () => {
    expect(() => parseSource('a: 1\nb: [\n', 'bad.yaml')).toThrow(
      /^bad\.yaml:\d+: not valid YAML/,
    );
    expect(() => parseSource('a: 1\na: 2\n', 'dup.yaml')).toThrow(
      /^dup\.yaml:2: duplicate key "a" \(first at line 1\)/,
    );
  });

  it('reports JSON errors with the line', () => {
    expect(() => parseSource('{\n  "a": 1,\n  "b": \n}\n', 'bad.json')).toThrow(
      /^bad\.json:4: not valid JSON/,
    );
    expect(() =>
      parseSource('{\n  "a": 1,\n  "b": 2,\n}\n', 'comma.json'),
    ).toThrow(/^comma\.json:4: not valid JSON/);
    expect(() => parseSource('[\n  {"a": "x\\q"}\n]', 'escape.json')).toThrow(
      /^escape\.json:2: not valid JSON/,
    );
    expect(() => parseSource('{\n  "a": [1, 2\n', 'end.json')).toThrow(
      /^end\.json:(2|3): not valid JSON/,
    );
  });

  it('strips a byte order mark', () => {
    expect(parseSource('\ufeffkind: A\n', 'x.yaml')[0].value).toEqual({
      kind: 'A',
    });
    expect(parseSource('\ufeff{"kind": "A"}', 'x.json')[0].value).toEqual({
      kind: 'A',
    });
  });
});

describe('jsonLines', () => {
  it('finds the first key of the root and of each List item', () => {
    const text =
      '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n    {\n      "kind": "Pod"\n    },\n    {"kind": "Service", "x": "]}\\""},\n    {\n\n      "kind": "Job"\n    }\n  ]\n}\n';
    expect(JSON.parse(text).items).toHaveLength(3);
    expect(jsonLines(text)).toEqual({ line: 2, itemLines: [6, 8, 11] });
  });

  it('ignores nested items keys and handles root arrays', () => {
    const text = '{"kind": "X", "spec": {"items": [{"a": 1}]}}';
    expect(jsonLines(text)).toEqual({ line: 1 });
    expect(jsonLines('[\n  {"a": 1},\n  2,\n  {}\n]')).toEqual({
      line: 1,
      itemLines: [2, 3, 4],
    });
  });

  it('matches the lines yaml computes for the same JSON', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [{ kind: 'A', metadata: { name: 'a' } }, { kind: 'B' }],
      },
      null,
      2,
    );
    const viaYaml = parseYamlWithLibrary(text, 'x.json')[0];
    expect(jsonLines(text)).toEqual({
      line: viaYaml.line,
      itemLines: viaYaml.itemLines,
    });
  });
});
