/*
 * Fuzzing the whole scan, in-process: a few thousand seeded mutations of
 * the example cluster snapshots and of this package's manifests (text
 * edits, YAML 1.1 scalars, wrong types at random paths, deep nesting, huge
 * strings, byte order marks and UTF-16) are scanned as files, as folders
 * and as snapshot folders. Each scan must end in a report or in an
 * InputError naming a file (exit 2), never in another exception, and
 * quickly. CI runs a fixed seed so that a landing never depends on luck;
 * AKS_BASELINE_FUZZ_SEED=<seed> replays a run, AKS_BASELINE_FUZZ_SEED=random
 * explores new ones, AKS_BASELINE_FUZZ_RUNS=<n> changes how many it makes.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseSourceDocuments } from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from './errors';
import { scan } from './scan';
import { FIXTURES, NOW } from './testing';
import { fuzzSeed, mutate, seededRandom } from './__testUtils__/mutations';

const ROOT = path.resolve(__dirname, '../../..');
const CLUSTERS = path.join(ROOT, 'examples/clusters');
const SEED = fuzzSeed(process.env.AKS_BASELINE_FUZZ_SEED);
const RUNS = Number(process.env.AKS_BASELINE_FUZZ_RUNS ?? 2500);
/** A scan slower than this is a hang in the making (generous: CI is shared). */
const SLOW_MS = 10000;

interface Source {
  /** Where it comes from (for messages). */
  name: string;
  text: string;
  values?: unknown[];
  /** The snapshot folder it belongs to, if any. */
  folder?: string;
}

function manifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    // The adversarial corpus is scanned as it is by its own test.
    if (entry.isDirectory()) {
      if (entry.name !== 'golden' && entry.name !== 'adversarial')
        out.push(...manifestFiles(full));
    } else if (/\.(ya?ml|json)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

function sources(): Source[] {
  const out: Source[] = [];
  const add = (file: string, folder?: string) => {
    const text = fs.readFileSync(file, 'utf8');
    let values: unknown[] | undefined;
    try {
      values = parseSourceDocuments(text, file).map(d => d.value);
    } catch {
      values = undefined; // a template: text edits only
    }
    out.push({ name: path.relative(ROOT, file), text, values, folder });
  };
  for (const cluster of fs.readdirSync(CLUSTERS).sort()) {
    const folder = path.join(CLUSTERS, cluster);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const name of fs.readdirSync(folder).sort())
      add(path.join(folder, name), folder);
  }
  for (const file of manifestFiles(FIXTURES)) add(file);
  return out;
}

describe(`scan fuzzing (AKS_BASELINE_FUZZ_SEED=${SEED})`, () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-fuzz-'));
    // eslint-disable-next-line no-console
    console.log(
      `scan fuzzing: seed ${SEED}, ${RUNS} mutations (replay with AKS_BASELINE_FUZZ_SEED=${SEED})`,
    );
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ends every scan in a report or an input error naming a file', async () => {
    const rand = seededRandom(SEED);
    const all = sources();
    const outcomes = { report: 0, inputError: 0, folder: 0 };
    for (let i = 0; i < RUNS; i++) {
      const source = all[Math.floor(rand() * all.length)];
      const mutation = mutate(source.text, source.values, rand);
      const ext = path.extname(source.name);
      const runDir = path.join(tmp, String(i));
      let input: string;
      if (source.folder && rand() < 0.3) {
        // The snapshot folder with this one file mutated.
        fs.cpSync(source.folder, runDir, { recursive: true });
        fs.writeFileSync(
          path.join(runDir, path.basename(source.name)),
          mutation.bytes,
        );
        input = runDir;
        outcomes.folder++;
      } else {
        fs.mkdirSync(runDir);
        input = path.join(runDir, `mutated${ext}`);
        fs.writeFileSync(input, mutation.bytes);
        // Found by walking a folder, or named.
        if (rand() < 0.3) input = runDir;
      }
      const started = Date.now();
      const what = () =>
        `mutation ${i} of ${source.name} (${mutation.what}); replay with AKS_BASELINE_FUZZ_SEED=${SEED}`;
      try {
        await scan({
          inputs: [input],
          cwd: tmp,
          readStdin: async () => '',
          now: new Date(NOW),
        });
        outcomes.report++;
      } catch (error) {
        if (!(error instanceof InputError) || !error.file) {
          throw new Error(
            `${what()}: ${
              error instanceof InputError
                ? `an input error without a file: ${error.message}`
                : `not an input error: ${(error as Error)?.stack ?? error}`
            }`,
          );
        }
        outcomes.inputError++;
      }
      const took = Date.now() - started;
      if (took > SLOW_MS) throw new Error(`${what()}: took ${took} ms`);
      fs.rmSync(runDir, { recursive: true, force: true });
    }
    // Both ends are reached: some mutations are harmless, some refused.
    expect(outcomes.report).toBeGreaterThan(RUNS / 10);
    expect(outcomes.inputError).toBeGreaterThan(RUNS / 10);
    expect(outcomes.folder).toBeGreaterThan(0);
  }, 120_000);
});
