/*
 * The parser's limits and the bytes it accepts: nesting depth on every path
 * (refused with the line, never a stack overflow), alias expansion, byte
 * order marks and undecodable files, and the snapshot readers' entry point.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseDocuments } from './parse';
import { SnapshotReadError } from './errors';
import { jsonErrorOffset } from './json-source';
import { MAX_NESTING_DEPTH, SourceTextError } from './source-errors';
import { parseSourceDocuments } from './source-documents';
import { decodeSourceBytes } from './source-text';
import { parseYamlFast } from './yaml-fast';
import { parseYamlWithLibrary } from './yaml-library';

const DEEP = 20_000;

function refusal(read: () => unknown): { reason: string; line?: number } {
  try {
    read();
  } catch (error) {
    if (error instanceof SourceTextError) {
      return { reason: error.reason, line: error.line };
    }
    throw error;
  }
  throw new Error('not refused');
}

describe('nesting depth', () => {
  const cases: Record<string, string> = {
    'flow sequences': `kind: X\nspec:\n  a: ${'['.repeat(DEEP)}${']'.repeat(
      DEEP,
    )}\n`,
    'flow mappings': `kind: X\nspec:\n  a: ${'{a: '.repeat(DEEP)}1${'}'.repeat(
      DEEP,
    )}\n`,
    // A dedent after them makes the parser unwind every level at once.
    'compact block sequences': `kind: X\nspec:\n  a:\n  ${'- '.repeat(
      5 * DEEP,
    )}x\n  b: 1\n`,
    'indented block mappings': `kind: X\nspec:\n${Array.from(
      { length: 400 },
      (_, i) => `${' '.repeat(i + 2)}k${i}:`,
    ).join('\n')} 1\n`,
    'a JSON array': `{"kind": "X",\n "spec": ${'['.repeat(DEEP)}${']'.repeat(
      DEEP,
    )}}`,
    'JSON objects': `{"kind": "X",\n "spec": ${'{"a":'.repeat(
      DEEP,
    )}1${'}'.repeat(DEEP)}}`,
    'invalid JSON': `{"kind": "X",\n "spec": ${'['.repeat(DEEP)}`,
  };

  const tooDeep = {
    reason: expect.stringContaining(
      `nested deeper than ${MAX_NESTING_DEPTH} levels`,
    ),
    line: expect.any(Number),
  };
  const invalidJson = {
    reason: expect.stringMatching(/^not valid JSON/),
    line: 2,
  };
  for (const [name, text] of Object.entries(cases)) {
    const want = name === 'invalid JSON' ? invalidJson : tooDeep;
    it(`refuses ${name} ${DEEP} levels deep with the line`, () => {
      expect(refusal(() => parseSourceDocuments(text, 'deep.yaml'))).toEqual(
        want,
      );
    });
  }

  it('refuses deep YAML on the yaml-based path alone too', () => {
    const text = cases['flow sequences'];
    expect(parseYamlFast(text)).toBeUndefined();
    expect(refusal(() => parseYamlWithLibrary(text, 'deep.yaml'))).toEqual({
      reason: expect.stringContaining('nested deeper'),
      line: 3,
    });
  });

  it('takes block sequences at the limit on the yaml-based path', () => {
    // The root mapping and `a`'s sequence, then compact sequences.
    const at = (n: number) => `a:\n- ${'- '.repeat(n - 2)}x\nb: 1\n`;
    expect(parseYamlWithLibrary(at(MAX_NESTING_DEPTH), 'x.yaml')).toHaveLength(
      1,
    );
    expect(() =>
      parseYamlWithLibrary(at(MAX_NESTING_DEPTH + 1), 'x.yaml'),
    ).toThrow(/nested deeper/);
  });

  it('takes the limit itself and refuses one level more, on every path', () => {
    // The root mapping is one level: `a` holds the rest.
    const at = (n: number) => `a: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`;
    const json = (n: number) =>
      `{"a": ${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
    expect(parseYamlFast(at(MAX_NESTING_DEPTH))).toBeDefined();
    expect(parseYamlFast(at(MAX_NESTING_DEPTH + 1))).toBeUndefined();
    expect(parseYamlWithLibrary(at(MAX_NESTING_DEPTH), 'x.yaml')).toHaveLength(
      1,
    );
    expect(() =>
      parseYamlWithLibrary(at(MAX_NESTING_DEPTH + 1), 'x.yaml'),
    ).toThrow(/nested deeper/);
    expect(
      parseSourceDocuments(json(MAX_NESTING_DEPTH), 'x.json'),
    ).toHaveLength(1);
    expect(() =>
      parseSourceDocuments(json(MAX_NESTING_DEPTH + 1), 'x.json'),
    ).toThrow(/^x\.json:1: nested deeper/);
  });

  it('counts the depth an alias brings along', () => {
    const half = MAX_NESTING_DEPTH - 10;
    const text = `a: &deep ${'['.repeat(half)}${']'.repeat(
      half,
    )}\nb: ${'['.repeat(20)}*deep${']'.repeat(20)}\n`;
    expect(refusal(() => parseSourceDocuments(text, 'x.yaml')).reason).toMatch(
      /nested deeper/,
    );
  });

  it('refuses exponential alias expansion', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    }
    expect(
      refusal(() => parseSourceDocuments(`${lines.join('\n')}\n`, 'x.yaml')),
    ).toEqual({
      reason: expect.stringContaining('too many aliases'),
      line: expect.any(Number),
    });
  });

  it('finds JSON syntax errors without recursion', () => {
    expect(jsonErrorOffset('[1, 2]')).toBe(-1);
    expect(jsonErrorOffset('{"a": [1, {"b": null}], "c": "\\u00e9"}')).toBe(-1);
    expect(jsonErrorOffset('{"a": [1,, 2]}')).toBe(9);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset(`${'['.repeat(DEEP)}1${']'.repeat(DEEP - 1)}`)).toBe(
      2 * DEEP,
    );
  });
});

describe('mutated manifests', () => {
  it('either parse or are refused with a SourceTextError, never anything else', () => {
    const dir = path.resolve(__dirname, '__fixtures__/manifests');
    const seeds = fs
      .readdirSync(dir)
      .map(f => fs.readFileSync(path.join(dir, f), 'utf8'));
    seeds.push(
      JSON.stringify(
        JSON.parse('{"kind":"List","items":[{"a":[1,{"b":null}]}]}'),
        null,
        2,
      ),
    );
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
      '>',
      '&a ',
      '*a',
      '!!int ',
      '!x ',
      '? ',
      '\t',
      '---\n',
      '...',
      '~',
      '<<: ',
      '<<: *a',
      'yes',
      '.inf',
      '0x',
      '\\u',
      '\\/',
      '%YAML 1.1\n',
      '\r',
      '\r\n',
      '\u2028',
      '\u0085',
      '\ufeff',
      '\u0000',
      '😀',
      '\ud800',
      '['.repeat(300),
      '- '.repeat(300),
    ];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let parsed = 0;
    let refused = 0;
    for (let k = 0; k < 3000; k++) {
      let text = seeds[random(seeds.length)];
      for (let e = 1 + random(4); e > 0; e--) {
        const pos = random(text.length);
        if (random(2) === 0) {
          text = text.slice(0, pos) + text.slice(pos + 1 + random(4));
        } else {
          text =
            text.slice(0, pos) +
            pieces[random(pieces.length)] +
            text.slice(pos);
        }
      }
      try {
        parseSourceDocuments(text, 'm.yaml');
        parsed++;
      } catch (error) {
        if (!(error instanceof SourceTextError)) {
          throw new Error(
            `${String(error)} on ${JSON.stringify(text.slice(0, 200))}`,
          );
        }
        refused++;
      }
    }
    expect(parsed).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
  });
});

describe('decodeSourceBytes', () => {
  const manifest = 'kind: Pod\nspec:\n  hostNetwork: yes\n';
  const utf16le = (s: string) => Buffer.from(s, 'utf16le');
  const utf16be = (s: string) => utf16le(s).swap16();

  it('decodes UTF-8 with or without a byte order mark', () => {
    expect(decodeSourceBytes(Buffer.from(manifest), 'a.yaml')).toBe(manifest);
    expect(decodeSourceBytes(Buffer.from(`\ufeff${manifest}`), 'a.yaml')).toBe(
      manifest,
    );
  });

  it('decodes UTF-16 little- and big-endian by their byte order mark', () => {
    expect(decodeSourceBytes(utf16le(`\ufeff${manifest}`), 'a.yaml')).toBe(
      manifest,
    );
    expect(decodeSourceBytes(utf16be(`\ufeff${manifest}é`), 'a.yaml')).toBe(
      `${manifest}é`,
    );
  });

  it('refuses what it cannot decode, naming the file', () => {
    const refused = (bytes: Buffer) =>
      refusal(() => decodeSourceBytes(bytes, 'bad.yaml'));
    expect(refused(Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28]))).toEqual({
      reason: expect.stringMatching(/^not valid UTF-8 text/),
    });
    expect(refused(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]))).toEqual({
      reason: expect.stringMatching(/UTF-32/),
    });
    expect(refused(Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]))).toEqual({
      reason: expect.stringMatching(/UTF-32/),
    });
    // UTF-16 without a BOM reads as UTF-8 full of NUL characters.
    expect(refused(utf16le(manifest))).toEqual({
      reason: expect.stringMatching(/NUL characters/),
      line: 1,
    });
    // An odd number of bytes is no UTF-16.
    expect(refused(Buffer.from([0xff, 0xfe, 0x61, 0, 0x62]))).toEqual({
      reason: expect.stringMatching(/^not valid UTF-16/),
    });
    expect(refused(Buffer.from('a: 1\nb: "x\0y"\n'))).toEqual({
      reason: expect.stringMatching(/NUL/),
      line: 2,
    });
    expect(() => decodeSourceBytes(Buffer.from([0xc3]), 'bad.yaml')).toThrow(
      /^bad\.yaml: /,
    );
  });
});

describe('parseDocuments (snapshot readers, scaffolder)', () => {
  it('reads YAML as kubectl does', () => {
    const [pod] = parseDocuments(
      [
        'kind: Pod',
        'spec:',
        '  hostNetwork: yes',
        '  containers:',
        '  - name: a',
        '    securityContext: {<<: {privileged: on}}',
        '',
      ].join('\n'),
      'pod.yaml',
    ) as any[];
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.containers[0].securityContext).toEqual({
      privileged: true,
    });
  });

  it('refuses with the file and line as a SnapshotReadError', () => {
    let error: unknown;
    try {
      parseDocuments('kind: Pod\nspec:\n  replicas: .inf\n', 'pod.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SnapshotReadError);
    expect((error as Error).message).toMatch(
      /^pod\.yaml: line 3: \.inf is not a number JSON can hold/,
    );
  });
});
