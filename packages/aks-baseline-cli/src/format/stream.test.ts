/*
 * Reports are written piece by piece: the JSON pieces join into exactly what
 * JSON.stringify gives, and a large report reaches standard output in
 * bounded blocks, never as one string.
 */
import { Readable, Writable } from 'stream';
import { main } from '../cli';
import { BLOCK_SIZE } from '../output';
import { NOW, runCli } from '../testing';
import { jsonChunks, lazyList } from './json-stream';

const POD = (i: number) => `apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
  namespace: apps
spec:
  containers:
    - name: c
      image: nginx:latest
`;

describe('jsonChunks', () => {
  const cases: Record<string, unknown> = {
    scalar: 'a "quoted"\nline',
    empty: { a: [], b: {} },
    nested: { a: { b: [1, { c: null, d: undefined }], e: 'x' }, f: true },
    arrayWithHoles: [1, undefined, () => 1, 'ü'],
  };
  it.each(Object.entries(cases))(
    '%s: the same bytes as JSON.stringify',
    (_, value) => {
      expect([...jsonChunks(value)].join('')).toBe(
        JSON.stringify(value, null, 2),
      );
    },
  );

  it('writes lazy lists item by item, at any depth, as the arrays they stand for', () => {
    const items = [{ a: 1, b: [2, 3] }, 'two', null];
    const plain = {
      x: 1,
      runs: [{ results: items, empty: [], more: { list: items } }],
      skip: undefined,
    };
    const lazy = {
      x: 1,
      runs: [
        {
          results: lazyList(items, i => i),
          empty: lazyList([], i => i),
          more: { list: lazyList(items, i => i) },
        },
      ],
      skip: undefined,
    };
    const chunks = [...jsonChunks(lazy)];
    expect(chunks.join('')).toBe(JSON.stringify(plain, null, 2));
    // Each item is its own piece.
    expect(chunks).toContain('"two"');
  });
});

describe('a large report', () => {
  const stdin = Array.from({ length: 1500 }, (_, i) => POD(i)).join('---\n');

  const parse: Record<string, (text: string) => unknown> = {
    json: JSON.parse,
    sarif: JSON.parse,
    junit: text => text.match(/<testcase /g)?.length,
    table: text => text.match(/^Score /m),
  };

  it.each(Object.keys(parse))(
    'reaches standard output in blocks as %s',
    async format => {
      const run = await runCli(
        ['scan', '-', '--format', format, '--now', NOW],
        { stdin },
      );
      expect(run.code).toBe(0);
      expect(run.stdout.length).toBeGreaterThan(4 * BLOCK_SIZE);
      expect(run.stdoutWrites.length).toBeGreaterThan(4);
      // A block closes at the first piece past the block size.
      expect(Math.max(...run.stdoutWrites)).toBeLessThan(2 * BLOCK_SIZE);
      // Whole: it parses, or has its parts.
      expect(parse[format](run.stdout)).toBeTruthy();
    },
  );
});

describe('standard output that fails', () => {
  /** A stream whose second write fails with `code`. */
  function failingStdout(code: string) {
    let writes = 0;
    return Object.assign(
      new Writable({
        write(_chunk, _encoding, callback) {
          writes++;
          if (writes < 2) callback();
          else callback(Object.assign(new Error(`write ${code}`), { code }));
        },
      }),
      { isTTY: false },
    );
  }
  const stdin = Array.from({ length: 300 }, (_, i) => POD(i)).join('---\n');
  const run = async (stdout: Writable, gate: string[]) => {
    let stderr = '';
    const code = await main(['scan', '-', '-f', 'json', ...gate], {
      stdout,
      stderr: { write: (t: string) => (stderr += t) },
      stdin: Object.assign(Readable.from([Buffer.from(stdin)]), {
        isTTY: false,
      }),
      cwd: process.cwd(),
      env: {},
    });
    return { code, stderr };
  };

  it('keeps the gate verdict when the reader goes away (EPIPE)', async () => {
    expect(await run(failingStdout('EPIPE'), ['--fail-below', '99'])).toEqual({
      code: 1,
      stderr: '',
    });
    expect(await run(failingStdout('EPIPE'), [])).toEqual({
      code: 0,
      stderr: '',
    });
  });

  it('is an error naming the cause otherwise', async () => {
    const { code, stderr } = await run(failingStdout('EIO'), []);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'aks-baseline: cannot write the report to standard output (write EIO)\n',
    );
  });
});
