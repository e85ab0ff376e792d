/*
 * What storing each finding's fix costs the backend: building the finding
 * rows of one evaluated cluster (findingRows.ts, what saveClusterSuccess
 * does before its transaction) with the fix in each row's JSON, against
 * the same evaluation's floor in the same run.
 *
 *   yarn workspace bench backend:finding-fixes [--objects 2000] [--runs 5]
 *
 * One process; the engine benchmark's generator makes --objects objects
 * (bench/engine/generate.mjs, seed 1) with the engine's typical ARM
 * fixtures. Each run evaluates the snapshot afresh (findings are read
 * once, as the backend's rows read them) and times:
 * - evaluate: evaluate() with the built-in catalog (the floor);
 * - rows without fixes: clusterFindingRows() on the findings as plain
 *   objects (their JSON, which has no fix), what the rows cost before;
 * - rows: clusterFindingRows() on the engine's findings, every row with its
 *   fix (fixOf, its YAML);
 * and prints each against the floor, with the median of the runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { generateObjects, toList } from '../engine/generate.mjs';

const opts = parseArgs(
  process.argv.slice(2),
  { objects: 2000, runs: 5 },
  usageOf(import.meta.url),
);
const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const engine = require(join(root, 'plugins/aks-baseline-node/src/index.ts'));
const rows = require(join(
  root,
  'plugins/aks-baseline-backend/src/database/findingRows.ts',
));

const azure = name => ({
  file: name,
  value: JSON.parse(
    readFileSync(
      join(root, 'plugins/aks-baseline-node/src/__fixtures__/azure', name),
      'utf8',
    ),
  ),
});
const snapshot = engine.readSnapshot({
  managedCluster: azure('aks-show-typical.json'),
  maintenanceConfigurations: azure('aks-maintenanceconfiguration-list.json'),
  upgradeProfile: azure('aks-get-upgrades-typical.json'),
  kubernetesVersions: azure('aks-get-versions.json'),
  name: 'aks-bench',
  kubernetes: [
    {
      file: 'kubectl-get-all.json',
      value: toList(generateObjects(opts.objects, { seed: 1 })),
    },
  ],
  mode: 'cluster',
});
const now = new Date('2026-03-01T00:00:00Z');
const evaluate = () =>
  engine.evaluate(snapshot, { now, rules: engine.RULE_CATALOG });
const timed = fn => {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
};
const median = list => [...list].sort((a, b) => a - b)[list.length >> 1];

evaluate(); // warm-up
const results = [];
for (let run = 0; run < opts.runs; run++) {
  const floor = timed(evaluate);
  const findings = floor.value.findings;
  // Words are rendered on first read: read them outside both timings.
  for (const f of findings) void f.evidence;
  const plain = findings.map(f => JSON.parse(JSON.stringify(f)));
  const without = timed(() => rows.clusterFindingRows('aks-bench', plain));
  const withFixes = timed(() => rows.clusterFindingRows('aks-bench', findings));
  results.push({
    findings: findings.length,
    fixes: withFixes.value.rows.filter(r => r.body.includes('"fix":')).length,
    evaluateMs: Math.round(floor.ms),
    withoutFixesMs: Math.round(without.ms),
    rowsMs: Math.round(withFixes.ms),
    'without / evaluate': +(without.ms / floor.ms).toFixed(2),
    'rows / evaluate': +(withFixes.ms / floor.ms).toFixed(2),
  });
}
console.table(results);
console.log(
  `median: rows with fixes / evaluate ${median(
    results.map(r => r['rows / evaluate']),
  )}, rows without fixes / evaluate ${median(
    results.map(r => r['without / evaluate']),
  )}`,
);
