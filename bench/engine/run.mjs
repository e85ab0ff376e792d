/*
 * Engine benchmark, one process: JSON.parse of N generated objects, our
 * evaluate() over them, @monokle/validation (pod-security-standards and
 * practices plugins) on the same workloads, and the heap while evaluating.
 *
 * Run from the repository root (see bench/README.md):
 *   yarn workspace bench engine --objects 100000
 * which is
 *   node --expose-gc --max-old-space-size=8192 \
 *     --require @backstage/cli/config/nodeTransform.cjs bench/engine/run.mjs
 *
 * The engine is TypeScript, transpiled on require by Backstage's node
 * transform; that happens once, before any timing, and is reported apart.
 *
 * Options: --objects N (100000)  --runs R (5)  --seed S (42)
 *          --monokle-objects M (10000; 0 skips Monokle)  --monokle-runs (2)
 *          --monokle-text none|yaml (none: Monokle gets the parsed objects only,
 *            its fastest mode; yaml: also their YAML text, as from files)
 *          --last-applied F (0.3: share of kubectl-applied workloads)
 *          --compliant F (0.45) --legacy F (0.2): shares of compliant and of
 *            legacy workloads (the rest are typical)
 *          --out FILE (bench/results/engine-<date>.json)
 *          --compare DIR: also load the engine of the checkout DIR (a git
 *            worktree of another commit, e.g. `git worktree add --detach
 *            /tmp/aks-before <commit>`), transpiled the same way, and run it
 *            and this checkout's engine alternately on the same objects:
 *            evaluate(), rendering and heap for each, and whether their
 *            findings are the same (Monokle is skipped unless
 *            --monokle-objects is given)
 *          --engine DIR: run the benchmark above with the engine of the
 *            checkout DIR instead of this one (loaded as for --compare)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import {
  dirname,
  isAbsolute,
  join,
  relative,
  resolve as resolvePath,
  sep,
} from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { generateObjects, toList } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// ------------------------------------------------------------------ options
const opts = parseArgs(
  process.argv.slice(2),
  {
    objects: 100000,
    runs: 5,
    seed: 42,
    // 10000, or 0 (Monokle skipped) with --compare; see below.
    monokleObjects: undefined,
    monokleRuns: 2,
    lastApplied: 0.3,
    compliant: undefined,
    legacy: undefined,
    monokleText: 'none',
    out: undefined,
    compare: undefined,
    engine: undefined,
  },
  usageOf(import.meta.url),
  { monokleObjects: 'number', compliant: 'number', legacy: 'number' },
);
for (const k of ['out', 'compare', 'engine']) {
  if (opts[k] === true) {
    console.error(`--${k} needs a value`);
    process.exit(2);
  }
}
if (opts.monokleText !== 'none' && opts.monokleText !== 'yaml') {
  console.error('--monokle-text is none or yaml');
  process.exit(2);
}
opts.monokleObjects ??= opts.compare ? 0 : 10000;
for (const k of ['objects', 'runs', 'monokleRuns']) {
  if (!Number.isInteger(opts[k]) || opts[k] < 1) {
    console.error(`--${k} must be a positive integer`);
    process.exit(2);
  }
}

if (typeof globalThis.gc !== 'function') {
  console.error(
    'run with --expose-gc (use `yarn workspace bench engine`, see bench/README.md)',
  );
  process.exit(2);
}
const gc = () => {
  globalThis.gc();
  globalThis.gc();
};
const heapUsed = () => v8.getHeapStatistics().used_heap_size;
/**
 * Before each timed run: a full collection, then a pause so that the
 * concurrent sweeper threads are done (else the run pays for the previous
 * run's garbage).
 */
const settle = async () => {
  gc();
  await sleep(250);
};
const MB = bytes => bytes / 1048576;
const log = msg => process.stderr.write(`[bench] ${msg}\n`);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    best: sorted[0],
    median,
    runs: samples.map(s => Math.round(s * 10) / 10),
  };
}

/**
 * Writes the report to --out, else bench/results/<name>-<date>.json, and
 * says where; the file.
 */
function writeReport(name, report) {
  const out =
    opts.out ??
    join(
      here,
      '..',
      'results',
      `${name}-${report.date.replace(/[:.]/g, '-')}.json`,
    );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n  results: ${relative(process.cwd(), out)}`);
  return out;
}

// ------------------------------------------------------------ engine (TS)
let t = performance.now();
const engine = opts.engine
  ? loadEngineFrom(resolvePath(opts.engine))
  : loadEngine();
const engineLoadMs = performance.now() - t;
let before;
let beforeLoadMs;
if (opts.compare) {
  t = performance.now();
  before = loadEngineFrom(resolvePath(opts.compare));
  beforeLoadMs = performance.now() - t;
}

/** This checkout's engine, through the package's public entry (src/index.ts). */
function loadEngine() {
  const api = require('@aks-baseline/plugin-aks-baseline-node');
  return {
    label: 'this checkout',
    evaluate: api.evaluate,
    readSnapshot: api.readSnapshot,
    catalog: api.RULE_CATALOG,
    workloadKinds: api.WORKLOAD_KINDS,
    entry: 'package entry',
    commit: gitCommit(dirname(here)),
  };
}

/**
 * The engine of another checkout (`--compare DIR`): its own workspace
 * packages (-node and -common) are loaded from DIR, everything else (yaml,
 * the transform) from this checkout's node_modules, so that only the
 * engine differs.
 */
function loadEngineFrom(dir) {
  const own = new Map();
  for (const group of ['plugins', 'packages']) {
    let names = [];
    try {
      names = readdirSync(join(dir, group));
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        const pkg = JSON.parse(
          readFileSync(join(dir, group, name, 'package.json'), 'utf8'),
        );
        own.set(pkg.name, join(dir, group, name));
      } catch {
        // not a package
      }
    }
  }
  if (!own.has('@aks-baseline/plugin-aks-baseline-node')) {
    console.error(`--compare ${dir}: no plugins/aks-baseline-node there`);
    process.exit(2);
  }
  const inside = dir + sep;
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveInCheckout(
    request,
    parent,
    ...rest
  ) {
    if (
      parent?.filename?.startsWith(inside) &&
      !request.startsWith('.') &&
      !isAbsolute(request) &&
      !Module.isBuiltin(request)
    ) {
      const parts = request.split('/');
      const name = request.startsWith('@')
        ? parts.slice(0, 2).join('/')
        : parts[0];
      const pkgDir = own.get(name);
      if (pkgDir) {
        const rest2 = request.slice(name.length);
        return resolveFilename.call(
          this,
          rest2 ? join(pkgDir, rest2) : pkgDir,
          parent,
          ...rest,
        );
      }
      return require.resolve(request, { paths: [here] });
    }
    return resolveFilename.call(this, request, parent, ...rest);
  };
  const api = require(join(
    own.get('@aks-baseline/plugin-aks-baseline-node'),
    'src/index.ts',
  ));
  return {
    label: dir,
    evaluate: api.evaluate,
    readSnapshot: api.readSnapshot,
    catalog: api.RULE_CATALOG,
    workloadKinds: api.WORKLOAD_KINDS,
    entry: `${dir}/plugins/aks-baseline-node/src/index.ts`,
    commit: gitCommit(dir),
  };
}

function gitCommit(dir) {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

const pkgDir = dirname(
  require.resolve('@aks-baseline/plugin-aks-baseline-node/package.json'),
);
const azureFixture = name => {
  const file = join(pkgDir, 'src/__fixtures__/azure', name);
  return {
    file: relative(process.cwd(), file),
    value: JSON.parse(readFileSync(file, 'utf8')),
  };
};
// A typical production cluster (az aks show and friends), so that the ARM
// rules run too; they are a handful of checks next to the workload ones.
const armInput = {
  managedCluster: azureFixture('aks-show-typical.json'),
  maintenanceConfigurations: azureFixture(
    'aks-maintenanceconfiguration-list.json',
  ),
  upgradeProfile: azureFixture('aks-get-upgrades-typical.json'),
  kubernetesVersions: azureFixture('aks-get-versions.json'),
};
const NOW = new Date('2026-03-01T00:00:00Z');

function snapshotOf(list, eng = engine) {
  return eng.readSnapshot({
    ...armInput,
    name: 'aks-bench',
    kubernetes: [{ file: 'kubectl-get-all.json', value: list }],
    mode: 'cluster',
  });
}

// The engine's own list of pod-producing kinds.
const WORKLOAD_KINDS = new Set(engine.workloadKinds);
const countWorkloads = items =>
  items.reduce((n, o) => n + (WORKLOAD_KINDS.has(o.kind) ? 1 : 0), 0);

/** One evaluation with the engine's whole catalog, as the CLI and backend run it. */
const evaluateWith = (eng, snap, rules = eng.catalog) =>
  eng.evaluate(snap, { now: NOW, rules });

async function timeEvaluate(snapshot, runs, warmups = 1, eng = engine) {
  await settle();
  // Warm-up, excluded (the optimising compiler needs a few runs on a
  // small input to settle).
  for (let i = 0; i < warmups; i++) evaluateWith(eng, snapshot);
  const samples = [];
  const cpu = [];
  let result;
  for (let i = 0; i < runs; i++) {
    result = undefined;
    await settle();
    const c0 = cpuMs();
    const t0 = performance.now();
    result = evaluateWith(eng, snapshot);
    samples.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { ...stats(samples), cpu: stats(cpu), result };
}

const loadAtStart = os.loadavg()[0];

// ------------------------------------------------------------- generation
// In a function, so that the generated objects are garbage once it returns
// (temporaries of this module's top level live on across its awaits).
function makeTexts() {
  const t0 = performance.now();
  const objects = generateObjects(opts.objects, {
    seed: opts.seed,
    lastApplied: opts.lastApplied,
    compliant: opts.compliant,
    legacy: opts.legacy,
  });
  return {
    text: JSON.stringify(toList(objects)),
    sampleText:
      opts.monokleObjects > 0
        ? JSON.stringify(objects.slice(0, opts.monokleObjects))
        : undefined,
    generateMs: performance.now() - t0,
  };
}
log(`generating ${opts.objects} objects (seed ${opts.seed})`);
let { text, sampleText, generateMs } = makeTexts();

// ---------------------------------------------------------------- Monokle
// First, while the heap is small: Monokle and ours on the same objects (the
// first N of the cluster, a complete slice: namespaces and whole apps).
let monokle;
if (sampleText) monokle = await runMonokle(JSON.parse(sampleText));
sampleText = undefined;

// --------------------------------------------------------------- JSON.parse
log(`JSON.parse of ${(text.length / 1e6).toFixed(1)} MB, ${opts.runs} runs`);
await settle();
const heapWithText = heapUsed();
let list;
const parseSamples = [];
const parseCpu = [];
JSON.parse(
  JSON.stringify(toList(generateObjects(300, { seed: opts.seed + 1 }))),
); // warm the parser
for (let i = 0; i < opts.runs; i++) {
  list = undefined;
  await settle();
  const c0 = cpuMs();
  const t0 = performance.now();
  list = JSON.parse(text);
  parseSamples.push(performance.now() - t0);
  parseCpu.push(cpuMs() - c0);
}
const parse = { ...stats(parseSamples), cpu: stats(parseCpu) };
const textBytes = text.length;
await settle();
// What holding the parsed objects costs (the text is still held on both sides).
const parsedBytes = heapUsed() - heapWithText;
text = undefined;
await settle();

// ----------------------------------------------------- read (normalise)
const items = list.items;
const workloadCount = countWorkloads(items);
const readSamples = [];
let snapshot;
for (let i = 0; i < Math.min(opts.runs, 3); i++) {
  snapshot = undefined;
  const t0 = performance.now();
  snapshot = snapshotOf(list);
  readSamples.push(performance.now() - t0);
}
const read = stats(readSamples);

if (before) {
  await runComparison();
  process.exit(0);
}

// ---------------------------------------------------------------- evaluate
log(
  `evaluate(): warm-up + ${opts.runs} runs over ${items.length} objects (${workloadCount} workloads)`,
);
const evaluation = await timeEvaluate(snapshot, opts.runs);
const result = evaluation.result;
delete evaluation.result;
const statuses = {};
for (const f of result.findings)
  statuses[f.status] = (statuses[f.status] ?? 0) + 1;
let passed = 0;
let failed = 0;
for (const tally of Object.values(result.summary.totals ?? {})) {
  passed += tally.passed ?? 0;
  failed += tally.failed ?? 0;
}

// ---------------------------------------------------------- render words
// evaluate() decides every check and keeps each failure without its words;
// a finding renders its message and evidence (the check run again in
// explain mode) when they are first read. Timed apart, on fresh results, so
// that the work moved out of evaluate() is in the report too.
log(
  `rendering every finding's message and evidence, ${Math.min(
    opts.runs,
    3,
  )} runs`,
);
const render = await timeRender(snapshot, Math.min(opts.runs, 3));

async function timeRender(snap, runs, eng = engine) {
  const samples = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    let fresh = evaluateWith(eng, snap);
    await settle();
    const c0 = cpuMs();
    const t0 = performance.now();
    let evidence = 0;
    for (const f of fresh.findings) {
      if (f.message.length === 0) throw new Error(`empty message: ${f.ruleId}`);
      evidence += f.evidence?.length ?? 0;
    }
    samples.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
    if (evidence === 0) throw new Error('no evidence rendered');
    fresh = undefined;
  }
  return { ...stats(samples), cpu: stats(cpu) };
}

// ------------------------------------------------------------------ memory
// Heap while evaluating, sampled every 64 checks through wrapped rules (the
// wrapper only reads the heap size), plus what the result retains.
log('memory: evaluate() with heap sampling');
const memory = measureMemory(snapshot);

function measureMemory(snap, eng = engine) {
  let calls = 0;
  let peak = 0;
  let peakRss = 0;
  const sample = () => {
    if ((++calls & 63) === 0) {
      const used = heapUsed();
      if (used > peak) peak = used;
      if ((calls & 4095) === 0) {
        const rss = process.memoryUsage.rss();
        if (rss > peakRss) peakRss = rss;
      }
    }
  };
  // Every check function a rule has (`check`, or a container rule's
  // `container.check`), so that either rule contract is sampled.
  const rules = eng.catalog.map(rule => {
    let out = rule;
    if (typeof rule.check === 'function') {
      out = {
        ...out,
        check: (subject, ctx) => (sample(), rule.check(subject, ctx)),
      };
    }
    if (typeof rule.container?.check === 'function') {
      const check = rule.container.check;
      out = {
        ...out,
        container: {
          ...rule.container,
          check: (container, ctx) => (sample(), check(container, ctx)),
        },
      };
    }
    return out;
  });
  gc();
  const before = heapUsed();
  const rssBefore = process.memoryUsage.rss();
  let kept = evaluateWith(eng, snap, rules);
  const atReturn = heapUsed();
  if (atReturn > peak) peak = atReturn;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  gc();
  const retained = heapUsed() - before;
  const findings = kept.findings.length;
  kept = undefined;
  return {
    parsedMB: MB(parsedBytes),
    heapBeforeMB: MB(before),
    peakExtraMB: MB(peak - before),
    retainedResultMB: MB(retained),
    ratio: 1 + (peak - before) / parsedBytes,
    rssBeforeMB: MB(rssBefore),
    rssPeakMB: MB(peakRss),
    sampledChecks: calls,
    findings,
  };
}

/**
 * The floor under any evaluator of these objects: one loop that only reads
 * the fields the workload rules read (identity, labels, and per container the
 * image, security context, resources, probes and env), no rules, no index, no
 * results. What it costs bounds the throughput any engine can reach here.
 */
async function timeBareTraversal(sample, runs) {
  const read = o => {
    let n = 0;
    const m = o.metadata ?? {};
    n +=
      (o.kind?.length ?? 0) +
      (m.name?.length ?? 0) +
      (m.namespace?.length ?? 0);
    for (const k in m.labels ?? {}) n += k.length;
    for (const k in m.annotations ?? {}) n += k.length;
    const spec = o.spec ?? {};
    const pod =
      o.kind === 'Pod'
        ? spec
        : o.kind === 'CronJob'
        ? spec.jobTemplate?.spec?.template?.spec
        : spec.template?.spec;
    if (!pod) return n;
    n += pod.securityContext?.runAsNonRoot ? 1 : 0;
    for (const field of ['containers', 'initContainers']) {
      for (const c of pod[field] ?? []) {
        const sc = c.securityContext ?? {};
        n += (c.image?.length ?? 0) + (c.name?.length ?? 0);
        n += sc.runAsNonRoot ? 1 : 0;
        n += sc.allowPrivilegeEscalation === false ? 1 : 0;
        n += sc.readOnlyRootFilesystem ? 1 : 0;
        n += sc.privileged ? 1 : 0;
        n += sc.capabilities?.drop?.length ?? 0;
        n += c.resources?.requests?.cpu ? 1 : 0;
        n += c.resources?.limits?.memory ? 1 : 0;
        n += c.livenessProbe ? 1 : 0;
        n += c.readinessProbe ? 1 : 0;
        for (const e of c.env ?? []) n += e.name?.length ?? 0;
      }
    }
    return n;
  };
  let sink = 0;
  for (let i = 0; i < 5; i++) for (const o of sample) sink += read(o);
  const samples = [];
  for (let r = 0; r < runs; r++) {
    await settle();
    const t0 = performance.now();
    for (const o of sample) sink += read(o);
    samples.push(performance.now() - t0);
  }
  if (sink === 0) throw new Error('bare traversal read nothing');
  return stats(samples);
}

async function runMonokle(sample) {
  const sampleWorkloads = countWorkloads(sample);
  // Ours on exactly the same objects, first (before Monokle fills the heap).
  log(
    `ours on the first ${sample.length} objects (${sampleWorkloads} workloads)`,
  );
  const ourSnapshot = snapshotOf(toList(sample));
  const ours = await timeEvaluate(ourSnapshot, Math.max(opts.runs, 5), 5);
  const ourFindings = ours.result.findings.length;
  delete ours.result;
  const floor = await timeBareTraversal(sample, Math.max(opts.runs, 5));

  // No network: the two plugins are bundled; fail loudly if anything fetches.
  globalThis.fetch = async url => {
    throw new Error(`benchmark: unexpected network access to ${url}`);
  };
  const m = await import('@monokle/validation');
  const yaml = createRequire(require.resolve('@monokle/validation'))('yaml');
  log(
    `Monokle: ${sample.length} objects (${sampleWorkloads} workloads), text ${opts.monokleText}, ${opts.monokleRuns} runs`,
  );
  // Resources as Monokle takes them: the parsed content, and with
  // --monokle-text yaml the YAML text it locates findings in (as when it
  // reads files; much slower). Built before timing.
  const resources = sample.map((o, i) => ({
    id: o.metadata.uid ?? `r${i}`,
    fileId: `f${i}`,
    filePath: `cluster/${o.metadata.namespace ?? '_'}/${o.kind.toLowerCase()}-${
      o.metadata.name
    }.yaml`,
    fileOffset: 0,
    name: o.metadata.name,
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace,
    content: o,
    text: opts.monokleText === 'yaml' ? yaml.stringify(o) : '',
  }));
  const validator = async () => {
    const v = new m.MonokleValidator({
      loader: new m.DefaultPluginLoader(),
      parser: new m.ResourceParser(),
      suppressors: [
        new m.AnnotationSuppressor(),
        new m.FingerprintSuppressor(),
      ],
      fixer: new m.DisabledFixer(),
    });
    await v.preload({
      plugins: { 'pod-security-standards': true, practices: true },
    });
    return v;
  };
  // Warm-up on the same objects, with its own validator (its YAML cache is
  // per parser).
  const warm = await validator();
  await warm.validate({ resources });
  const loaded = warm
    .getPlugins()
    .map(p => p.metadata.name)
    .sort();
  const failedPlugins = warm.getFailedPlugins();
  if (failedPlugins.length)
    throw new Error(`Monokle plugins failed to load: ${failedPlugins}`);
  const samples = [];
  let results = 0;
  for (let i = 0; i < opts.monokleRuns; i++) {
    const v = await validator(); // fresh caches; preload outside the timing
    await settle();
    const t0 = performance.now();
    const response = await v.validate({ resources });
    samples.push(performance.now() - t0);
    results = response.runs.reduce((n, run) => n + run.results.length, 0);
  }
  const monokleStats = stats(samples);
  return {
    objects: sample.length,
    workloads: sampleWorkloads,
    plugins: loaded,
    text: opts.monokleText,
    results,
    ms: monokleStats,
    workloadsPerSecond: sampleWorkloads / (monokleStats.median / 1000),
    ours: {
      ms: ours,
      findings: ourFindings,
      workloadsPerSecond: sampleWorkloads / (ours.median / 1000),
    },
    throughputRatio: monokleStats.median / ours.median,
    bareTraversal: {
      ms: floor,
      throughputRatio: monokleStats.median / floor.median,
    },
  };
}

// ------------------------------------------------------------- comparison
/** Reads every finding's message and evidence (what a user of the result pays). */
function renderAll(result) {
  let evidence = 0;
  for (const f of result.findings) {
    if (f.message.length === 0) throw new Error(`empty message: ${f.ruleId}`);
    evidence += f.evidence?.length ?? 0;
  }
  if (evidence === 0) throw new Error('no evidence rendered');
}

/** Where two results differ: findings one by one (as JSON), then the rest. */
function differences(a, b) {
  const out = [];
  const n = Math.max(a.findings.length, b.findings.length);
  if (a.findings.length !== b.findings.length) {
    out.push(`findings: ${a.findings.length} vs ${b.findings.length}`);
  }
  let differing = 0;
  for (let i = 0; i < n; i++) {
    const x = JSON.stringify(a.findings[i]);
    const y = JSON.stringify(b.findings[i]);
    if (x === y) continue;
    differing++;
    if (out.length < 6) out.push(`finding ${i}:\n    ${x}\n    ${y}`);
  }
  if (differing) out.push(`${differing} findings differ`);
  for (const key of ['summary', 'subjects', 'stats', 'profile', 'cluster']) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
      out.push(`${key} differs`);
    }
  }
  return out;
}

/**
 * `--compare`: the other checkout's engine and this one on the same parsed
 * objects, run alternately (their order swapped every run) so that the
 * machine's load weighs on both alike. Each run is an evaluate() then the
 * rendering of every finding of that result, each after a collection.
 */
async function runComparison() {
  const engines = [before, engine];
  const snaps = engines.map(e => snapshotOf(list, e));
  log(
    `comparing ${before.label} (${before.commit}) with this checkout (${engine.commit}): warm-up, then ${opts.runs} alternating runs of evaluate() + rendering each`,
  );
  for (let k = 0; k < 2; k++) {
    for (let e = 0; e < 2; e++) renderAll(evaluateWith(engines[e], snaps[e]));
  }
  const evalMs = [[], []];
  const evalCpu = [[], []];
  const renderMs = [[], []];
  const renderCpu = [[], []];
  const totalMs = [[], []];
  const totalCpu = [[], []];
  // One result alive at a time: a rendered result left over from the other
  // engine would make every collection of the next evaluation longer.
  let result;
  for (let i = 0; i < opts.runs; i++) {
    for (const e of i % 2 === 0 ? [0, 1] : [1, 0]) {
      result = undefined;
      await settle();
      const c0 = cpuMs();
      const t0 = performance.now();
      result = evaluateWith(engines[e], snaps[e]);
      const evaluated = performance.now() - t0;
      const evaluatedCpu = cpuMs() - c0;
      await settle();
      const c1 = cpuMs();
      const t1 = performance.now();
      renderAll(result);
      const rendered = performance.now() - t1;
      const renderedCpu = cpuMs() - c1;
      evalMs[e].push(evaluated);
      evalCpu[e].push(evaluatedCpu);
      renderMs[e].push(rendered);
      renderCpu[e].push(renderedCpu);
      totalMs[e].push(evaluated + rendered);
      totalCpu[e].push(evaluatedCpu + renderedCpu);
    }
  }
  result = undefined;
  // Then both results, rendered, side by side: the same findings?
  await settle();
  const results = engines.map((eng, e) => {
    const r = evaluateWith(eng, snaps[e]);
    renderAll(r);
    return r;
  });
  const diff = differences(results[0], results[1]);
  const checks = results.map(r => r.stats.checks);
  const findings = results.map(r => r.findings.length);
  results.length = 0;
  log('memory: evaluate() with heap sampling, each engine');
  const memories = [];
  for (let e = 0; e < 2; e++) {
    await settle();
    memories.push(measureMemory(snaps[e], engines[e]));
  }
  const per = engines.map((eng, e) => ({
    engine: eng.label,
    commit: eng.commit,
    entry: eng.entry,
    evaluate: { ...stats(evalMs[e]), cpu: stats(evalCpu[e]) },
    render: { ...stats(renderMs[e]), cpu: stats(renderCpu[e]) },
    total: { ...stats(totalMs[e]), cpu: stats(totalCpu[e]) },
    totalOverParse: stats(totalMs[e]).median / parse.median,
    totalOverParseCpu: stats(totalCpu[e]).median / parse.cpu.median,
    evaluateOverParse: stats(evalMs[e]).median / parse.median,
    checks: checks[e],
    findings: findings[e],
    memory: memories[e],
  }));
  const report = {
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      cpu: os.cpus()[0]?.model,
      cpus: os.cpus().length,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: os.loadavg()[0],
    },
    options: opts,
    input: {
      objects: items.length,
      workloads: workloadCount,
      jsonMB: textBytes / 1e6,
    },
    jsonParse: parse,
    engines: per,
    sameResults: diff.length === 0,
    differences: diff,
  };
  const fmt = v => `${v.toFixed(1)} ms`;
  const rows = [
    ['engine', ...per.map(p => `${p.engine} @ ${p.commit ?? '?'}`)],
    ['evaluate() median', ...per.map(p => fmt(p.evaluate.median))],
    ['  CPU median', ...per.map(p => fmt(p.evaluate.cpu.median))],
    ['rendering every finding, median', ...per.map(p => fmt(p.render.median))],
    ['evaluate + rendering, median', ...per.map(p => fmt(p.total.median))],
    ['  CPU median', ...per.map(p => fmt(p.total.cpu.median))],
    [
      '(evaluate + rendering) / JSON.parse',
      ...per.map(p => p.totalOverParse.toFixed(3)),
    ],
    [
      '  on CPU time (load-independent)',
      ...per.map(p => p.totalOverParseCpu.toFixed(3)),
    ],
    ['evaluate / JSON.parse', ...per.map(p => p.evaluateOverParse.toFixed(3))],
    [
      'peak heap while evaluating / parsed',
      ...per.map(p => p.memory.ratio.toFixed(3)),
    ],
    ['checks / findings', ...per.map(p => `${p.checks} / ${p.findings}`)],
  ];
  const w0 = Math.max(...rows.map(r => r[0].length));
  const w1 = Math.max(...rows.map(r => r[1].length));
  console.log(
    `\nAKS Baseline engine, before and after — ${report.machine.cpu} x${
      report.machine.cpus
    }, Node ${process.version}, load average ${loadAtStart.toFixed(
      1,
    )} → ${report.machine.loadAverageAtEnd.toFixed(1)}`,
  );
  console.log(
    `  ${items.length} objects, ${workloadCount} workloads, ${(
      textBytes / 1e6
    ).toFixed(1)} MB JSON; JSON.parse median ${fmt(parse.median)} (best ${fmt(
      parse.best,
    )}, CPU ${fmt(parse.cpu.median)})`,
  );
  for (const [k, a, b] of rows) {
    console.log(`  ${k.padEnd(w0)}  ${a.padEnd(w1)}  ${b}`);
  }
  console.log(
    `  targets: (evaluate + rendering) / JSON.parse <= 0.7, peak heap / parsed <= 1.5`,
  );
  console.log(
    diff.length === 0
      ? '  results: identical (every finding as JSON, subjects, summary, stats)'
      : `  results DIFFER:\n  ${diff.join('\n  ')}`,
  );
  writeReport('engine-compare', report);
  if (diff.length > 0) process.exitCode = 1;
}

// ----------------------------------------------------------------- report
const evalParse = evaluation.median / parse.median;
// The whole cost a user pays (issue #13): deciding, then wording every finding.
const wholeCostCpu =
  (evaluation.cpu.median + render.cpu.median) / parse.cpu.median;
const wholeCostWall = (evaluation.median + render.median) / parse.median;
const report = {
  date: new Date().toISOString(),
  machine: {
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cpus: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 1e9),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg()[0],
  },
  options: opts,
  engine: { entry: engine.entry, commit: engine.commit, loadMs: engineLoadMs },
  input: {
    objects: items.length,
    workloads: workloadCount,
    namespaces: result.subjects.filter(s => s.scope === 'namespace').length,
    jsonMB: textBytes / 1e6,
    generateMs,
  },
  jsonParse: parse,
  readSnapshot: read,
  renderFindings: render,
  evaluate: {
    ...evaluation,
    checks: result.stats.checks,
    rules: result.stats.rules,
    findings: statuses,
    passedChecks: passed,
    failedChecks: failed,
    score: result.summary.score,
    grade: result.summary.grade,
  },
  memory,
  monokle,
  ratios: {
    wholeCostOverParseCpu: wholeCostCpu,
    wholeCostOverParseWall: wholeCostWall,
    evaluateOverParse: evalParse,
    throughputVsMonokle: monokle?.throughputRatio,
    peakMemoryOverParsed: memory.ratio,
  },
  targets: {
    wholeCostOverParseCpu: { target: '<= 0.7', met: wholeCostCpu <= 0.7 },
    wholeCostOverParseWall: { target: '<= 0.7', met: wholeCostWall <= 0.7 },
    evaluateOverParse: { target: '<= 0.5', met: evalParse <= 0.5 },
    throughputVsMonokle: monokle
      ? { target: '>= 100', met: monokle.throughputRatio >= 100 }
      : undefined,
    peakMemoryOverParsed: { target: '<= 1.5', met: memory.ratio <= 1.5 },
  },
};

const ms = v => `${v.toFixed(1)} ms`;
const rows = [
  [
    'input',
    `${items.length} objects, ${workloadCount} workloads, ${
      report.input.namespaces
    } namespaces, ${report.input.jsonMB.toFixed(1)} MB JSON`,
  ],
  [
    'engine (load: transpile, not timed)',
    `${engine.label} @ ${engine.commit ?? '?'} (${ms(engineLoadMs)})`,
  ],
  ['JSON.parse (best / median)', `${ms(parse.best)} / ${ms(parse.median)}`],
  ['readSnapshot (best / median)', `${ms(read.best)} / ${ms(read.median)}`],
  [
    'evaluate() (best / median)',
    `${ms(evaluation.best)} / ${ms(evaluation.median)}`,
  ],
  [
    '  CPU time, median (parse / evaluate)',
    `${ms(parse.cpu.median)} / ${ms(evaluation.cpu.median)} (ratio ${(
      evaluation.cpu.median / parse.cpu.median
    ).toFixed(3)}; includes GC threads)`,
  ],
  [
    '  checks / findings',
    `${result.stats.checks} checks, ${
      result.findings.length
    } findings (${Object.entries(statuses)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  ],
  [
    '  throughput',
    `${Math.round(
      workloadCount / (evaluation.median / 1000),
    )} workloads/s, ${Math.round(
      items.length / (evaluation.median / 1000),
    )} objects/s`,
  ],
  [
    '  rendering every finding (not in evaluate)',
    `${ms(render.median)} median (CPU ${ms(
      render.cpu.median,
    )}); evaluate + rendering / JSON.parse ${(
      (evaluation.median + render.median) /
      parse.median
    ).toFixed(3)} (on CPU time ${(
      (evaluation.cpu.median + render.cpu.median) /
      parse.cpu.median
    ).toFixed(3)})`,
  ],
  ['heap: parsed objects', `${memory.parsedMB.toFixed(1)} MB`],
  [
    'heap: peak extra while evaluating',
    `${memory.peakExtraMB.toFixed(
      1,
    )} MB (result retains ${memory.retainedResultMB.toFixed(1)} MB)`,
  ],
  [
    'RSS before / peak while evaluating',
    `${memory.rssBeforeMB.toFixed(0)} MB / ${memory.rssPeakMB.toFixed(0)} MB`,
  ],
];
if (monokle) {
  rows.push(
    [
      `Monokle on first ${monokle.objects} objects (text: ${monokle.text})`,
      `${ms(monokle.ms.best)} / ${ms(monokle.ms.median)} (best / median), ${
        monokle.results
      } results, ${Math.round(monokle.workloadsPerSecond)} workloads/s`,
    ],
    [
      `ours on the same ${monokle.objects}`,
      `${ms(monokle.ours.ms.best)} / ${ms(monokle.ours.ms.median)}, ${
        monokle.ours.findings
      } findings, ${Math.round(monokle.ours.workloadsPerSecond)} workloads/s`,
    ],
    [
      `  floor: a bare loop reading the rules' fields`,
      `${ms(
        monokle.bareTraversal.ms.median,
      )} median, ${monokle.bareTraversal.throughputRatio.toFixed(
        0,
      )}x Monokle (no rules, no index, no results)`,
    ],
  );
}
const verdict = ok => (ok ? 'met' : 'NOT MET');
const ratioRows = [
  [
    '(evaluate + rendering) / JSON.parse, CPU',
    wholeCostCpu.toFixed(3),
    '<= 0.7',
    verdict(wholeCostCpu <= 0.7),
  ],
  [
    '(evaluate + rendering) / JSON.parse, wall',
    wholeCostWall.toFixed(3),
    '<= 0.7',
    verdict(wholeCostWall <= 0.7),
  ],
  [
    'evaluate / JSON.parse (median)',
    evalParse.toFixed(3),
    '<= 0.5',
    verdict(evalParse <= 0.5),
  ],
  [
    'throughput vs Monokle (median)',
    monokle ? `${monokle.throughputRatio.toFixed(0)}x` : 'skipped',
    '>= 100x',
    monokle ? verdict(monokle.throughputRatio >= 100) : '-',
  ],
  [
    'peak heap while evaluating / parsed',
    memory.ratio.toFixed(3),
    '<= 1.5',
    verdict(memory.ratio <= 1.5),
  ],
];
const width = Math.max(
  ...rows.map(r => r[0].length),
  ...ratioRows.map(r => r[0].length),
);
console.log(
  `\nAKS Baseline engine benchmark — ${report.machine.cpu} x${
    report.machine.cpus
  }, Node ${process.version}, load average ${loadAtStart.toFixed(
    1,
  )} → ${report.machine.loadAverageAtEnd.toFixed(1)}`,
);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
console.log('');
console.log(
  `  ${'ratio'.padEnd(width)}  ${'value'.padStart(8)}  ${'target'.padEnd(
    8,
  )}  result`,
);
for (const [k, v, target, ok] of ratioRows)
  console.log(
    `  ${k.padEnd(width)}  ${v.padStart(8)}  ${target.padEnd(8)}  ${ok}`,
  );

const out = writeReport('engine', report);
writeFileSync(
  join(dirname(out), 'engine-latest.json'),
  `${JSON.stringify(report, null, 2)}\n`,
);
