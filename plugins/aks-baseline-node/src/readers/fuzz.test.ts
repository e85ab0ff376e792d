/*
 * Readers must either return or throw SnapshotReadError, whatever they are
 * given: random truncations and byte edits of real fixtures, random values
 * grafted into their trees, and random JSON values. Seeded, so a failure
 * reproduces; the failing input is printed.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  normalizeAgentPools,
  normalizeKubernetesVersions,
  normalizeMaintenanceConfigurations,
  normalizeManagedCluster,
  normalizeUpgradeProfile,
} from './arm';
import { SnapshotReadError } from './errors';
import { readKubernetesDocuments, readKubernetesText } from './kubernetes';
import { readCoverage, readSnapshot } from './snapshot';
import { evaluate } from '../engine/evaluate';
import { RULE_CATALOG } from '../rules';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIXTURES = path.resolve(__dirname, '../__fixtures__');
const CLUSTERS = path.resolve(__dirname, '../../../../examples/clusters');
/** Fixed in CI; AKS_BASELINE_FUZZ_SEED=<seed> replays a run, =random explores. */
const EVALUATE_SEED =
  process.env.AKS_BASELINE_FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.AKS_BASELINE_FUZZ_SEED ?? 20261202);

function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...fixtureFiles(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

const AZURE = fixtureFiles(path.join(FIXTURES, 'azure'));
const KUBERNETES = fixtureFiles(path.join(FIXTURES, 'kubernetes'));
const YAML_SAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { app: web }
  annotations:
    aks-baseline.io/waive.pod-run-as-non-root: "reason=vendor; expires=2026-06-30"
spec:
  replicas: 2
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: contoso.azurecr.io/web:1.4.2
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: { name: web, namespace: shop }
    spec: { selector: { app: web } }
`;

type Reader = (value: unknown) => unknown;
const VALUE_READERS: Record<string, Reader> = {
  managedCluster: v => normalizeManagedCluster(v, 'f'),
  agentPools: v => normalizeAgentPools(v, 'f'),
  maintenance: v => normalizeMaintenanceConfigurations(v, 'f'),
  upgradeProfile: v => normalizeUpgradeProfile(v, 'f'),
  versions: v => normalizeKubernetesVersions(v, 'f'),
  kubernetes: v => readKubernetesDocuments([v], 'f'),
  coverage: v => readCoverage(v, 'f'),
  snapshot: v =>
    readSnapshot({
      name: 'fuzz',
      managedCluster: { file: 'c', value: v },
      kubernetes: [{ file: 'k', value: v }],
    }),
};

/** Runs a reader: 'read' or 'rejected'; any other error fails the test. */
function expectContained(
  run: () => unknown,
  describeInput: () => string,
): 'read' | 'rejected' {
  try {
    run();
    return 'read';
  } catch (error) {
    if (!(error instanceof SnapshotReadError)) {
      throw new Error(
        `reader threw ${String(
          error,
        )} (not a SnapshotReadError) on ${describeInput().slice(0, 2000)}`,
      );
    }
    return 'rejected';
  }
}

function counter() {
  const counts = { read: 0, rejected: 0 };
  const add = (outcome: 'read' | 'rejected') => {
    counts[outcome]++;
  };
  return { counts, add };
}

function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (depth > 3 || r < 0.15) return null;
  if (r < 0.25) return undefined;
  if (r < 0.35) return Math.floor(rand() * 2000) - 1000;
  if (r < 0.4) return rand() < 0.5;
  if (r < 0.45) return Number.NaN;
  if (r < 0.6) {
    const words = [
      '',
      'name',
      'List',
      'Pod',
      'v1',
      'apps/v1',
      'kind',
      '1.31',
      '{',
      '\u0000',
      '__proto__',
    ];
    return words[Math.floor(rand() * words.length)];
  }
  if (r < 0.8) {
    const n = Math.floor(rand() * 4);
    const a: unknown[] = [];
    for (let i = 0; i < n; i++) a.push(randomValue(rand, depth + 1));
    return a;
  }
  const keys = [
    'name',
    'kind',
    'apiVersion',
    'metadata',
    'items',
    'properties',
    'value',
    'values',
    'spec',
    'labels',
    'responses',
    'Entries',
    '__proto__',
    'constructor',
  ];
  const o: Record<string, unknown> = {};
  const n = Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    o[keys[Math.floor(rand() * keys.length)]] = randomValue(rand, depth + 1);
  }
  return o;
}

/** Replaces or deletes one random node of a parsed document, in place. */
function graft(doc: unknown, rand: () => number): void {
  let node: any = doc;
  for (let depth = 0; depth < 12; depth++) {
    if (node === null || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[Math.floor(rand() * keys.length)];
    const child = node[key];
    const stop = rand() < 0.25 || child === null || typeof child !== 'object';
    if (stop) {
      if (rand() < 0.2) delete node[key];
      else node[key] = randomValue(rand);
      return;
    }
    node = child;
  }
}

function mutateText(text: string, rand: () => number): string {
  const r = rand();
  if (r < 0.3) return text.slice(0, Math.floor(rand() * text.length));
  const chars = '{}[]":,\n -#&*!|>\'\\0aZ';
  let out = text;
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * out.length);
    const c = chars[Math.floor(rand() * chars.length)];
    const op = rand();
    if (op < 0.4) out = out.slice(0, at) + c + out.slice(at + 1);
    else if (op < 0.7) out = out.slice(0, at) + c + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

describe('reader fuzzing', () => {
  it('contains truncated and edited fixture texts', () => {
    const rand = mulberry32(20260301);
    const texts = [
      ...AZURE.map(f => fs.readFileSync(f, 'utf8')),
      ...KUBERNETES.map(f => fs.readFileSync(f, 'utf8')),
      YAML_SAMPLE,
    ];
    const { counts, add } = counter();
    for (let i = 0; i < 1500; i++) {
      const text = mutateText(texts[i % texts.length], rand);
      const describeInput = () => text;
      add(
        expectContained(() => readKubernetesText(text, 'fuzz'), describeInput),
      );
      add(
        expectContained(
          () =>
            readSnapshot({
              name: 'fuzz',
              managedCluster: { file: 'cluster.json', text },
              maintenanceConfigurations: { file: 'm.json', text },
            }),
          describeInput,
        ),
      );
    }
    // Some mutations are harmless: both paths must be exercised.
    expect(counts.read).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it('contains random values grafted into fixture trees', () => {
    const rand = mulberry32(7);
    const docs = [...AZURE, ...KUBERNETES].map(f =>
      JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8'))),
    );
    const { counts, add } = counter();
    for (let i = 0; i < 3000; i++) {
      const doc = JSON.parse(docs[i % docs.length]);
      const grafts = 1 + Math.floor(rand() * 3);
      for (let g = 0; g < grafts; g++) graft(doc, rand);
      const describeInput = () => JSON.stringify(doc);
      for (const reader of Object.values(VALUE_READERS)) {
        add(expectContained(() => reader(doc), describeInput));
      }
    }
    expect(counts.read).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it('contains random JSON values', () => {
    const rand = mulberry32(99);
    const { counts, add } = counter();
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(rand);
      const describeInput = () => JSON.stringify(value);
      for (const reader of Object.values(VALUE_READERS)) {
        add(expectContained(() => reader(value), describeInput));
      }
    }
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it(`evaluates whatever the readers accept: grafted example snapshots, ARM and kubectl shapes (AKS_BASELINE_FUZZ_SEED=${EVALUATE_SEED})`, () => {
    const rand = mulberry32(EVALUATE_SEED);
    const clusters = fs
      .readdirSync(CLUSTERS)
      .map(name => path.join(CLUSTERS, name))
      .filter(dir => fs.statSync(dir).isDirectory())
      .map(dir => {
        const files: Record<string, string> = {};
        for (const name of fs.readdirSync(dir)) {
          files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
        }
        return files;
      });
    const ARM: Record<string, string> = {
      'cluster.json': 'managedCluster',
      'maintenanceconfigurations.json': 'maintenanceConfigurations',
      'upgradeprofile.json': 'upgradeProfile',
      'kubernetesversions.json': 'kubernetesVersions',
      'deploymentsafeguards.json': 'deploymentSafeguards',
      'backupinstances.json': 'backupInstances',
      'meshrevisionprofiles.json': 'meshRevisions',
    };
    const { counts, add } = counter();
    for (let i = 0; i < 600; i++) {
      const files = clusters[i % clusters.length];
      const values: Record<string, any> = {};
      for (const [name, text] of Object.entries(files)) {
        values[name] = JSON.parse(text);
      }
      // Graft into one to three documents, kubectl Lists more often.
      const names = Object.keys(values);
      const grafts = 1 + Math.floor(rand() * 3);
      for (let g = 0; g < grafts; g++) {
        const name =
          rand() < 0.6
            ? names.filter(n => !ARM[n])[
                Math.floor(rand() * names.filter(n => !ARM[n]).length)
              ]
            : names[Math.floor(rand() * names.length)];
        graft(values[name], rand);
      }
      const input: Record<string, any> = { kubernetes: [] };
      for (const [name, value] of Object.entries(values)) {
        if (ARM[name]) input[ARM[name]] = { file: name, value };
        else input.kubernetes.push({ file: name, value });
      }
      const describeInput = () =>
        `seed ${EVALUATE_SEED}, run ${i}: ${JSON.stringify(values)}`;
      let snapshot: ReturnType<typeof readSnapshot> | undefined;
      add(
        expectContained(() => {
          snapshot = readSnapshot(input);
        }, describeInput),
      );
      if (!snapshot) continue;
      for (const mode of ['cluster', 'manifests'] as const) {
        try {
          const result = evaluate(
            { ...snapshot, coverage: { ...snapshot.coverage, mode } },
            { rules: RULE_CATALOG },
          );
          // Findings are worded when read: read every one.
          for (const f of result.findings) {
            expect(typeof f.message).toBe('string');
            JSON.stringify(f.evidence);
          }
        } catch (error) {
          throw new Error(
            `evaluate threw ${
              (error as Error)?.stack ?? error
            } in ${mode} mode on ${describeInput().slice(0, 2000)}`,
          );
        }
      }
    }
    expect(counts.read).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it('contains pathological inputs', () => {
    let deep: any = {};
    const root = deep;
    for (let i = 0; i < 20000; i++) {
      deep.kind = 'List';
      deep.items = [{}];
      deep = deep.items[0];
    }
    const cases: unknown[] = [
      root,
      { kind: 'List', items: new Array(3).fill(undefined) },
      Object.create(null),
      { name: 'x', agentPoolProfiles: { length: 2 } },
    ];
    const { counts, add } = counter();
    for (const value of cases) {
      for (const reader of Object.values(VALUE_READERS)) {
        add(
          expectContained(
            () => reader(value),
            () => 'pathological',
          ),
        );
      }
    }
    expect(counts.rejected).toBeGreaterThan(0);
    const bomb =
      'a: &a [x, y]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\n'.repeat(
        1,
      );
    expect(
      expectContained(
        () =>
          readKubernetesText(
            `${bomb}d: [*c, *c, *c, *c, *c, *c, *c, *c]\n`,
            'alias.yaml',
          ),
        () => 'aliases',
      ),
    ).toBeDefined();
    expect(
      expectContained(
        () => readKubernetesText('\uFEFF{"kind":"List","items":[]}', 'bom'),
        () => 'bom',
      ),
    ).toBe('read');
  });
});
