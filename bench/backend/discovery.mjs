/*
 * Backend benchmark: cluster discovery of a large fleet.
 *
 *   yarn workspace bench backend:discovery [options]
 *
 * A fake ARM (fake-arm-list.mjs, https, its own process) lists
 * `--subscriptions` subscriptions of `--per-subscription` managed clusters
 * each (the published ManagedClustersGet example under its own id, name and
 * tags), in pages of `--page-size` linked by nextLink. This process builds
 * the plugin's fleet from `aksBaseline.discovery.azure` (createClusterFleet,
 * the real @azure/arm-containerservice client, `managedClusters.list` per
 * subscription) and times `refresh()`: every subscription listed, every
 * page followed, the clusters selected, named and turned into sources.
 * `--runs` refreshes: the first builds every cluster's source, the later
 * ones find the same fleet (what the schedule's refreshes do).
 *
 * Options: --subscriptions 20 --per-subscription 100 --page-size 25
 *          --runs 5 --target-ms 10000 --out FILE
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs, usageOf } from '../lib/args.mjs';
import {
  countingLogger,
  fakeAzureCredential,
  trustFakeArm,
} from './azure-fleet.mjs';
import { memorySampler } from './memory.mjs';
import { ask, nextMessage } from './processes.mjs';
import {
  describeMachine,
  load,
  log,
  machine,
  MB,
  table,
  writeResults,
} from './report.mjs';
import { summary } from './stats.mjs';
import { selfSignedCertificate } from './tls.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const TOKEN = 'bench-entra-token';

const opts = parseArgs(
  process.argv.slice(2),
  {
    subscriptions: 20,
    perSubscription: 100,
    pageSize: 25,
    runs: 5,
    targetMs: 10000,
    out: '',
  },
  usageOf(import.meta.url),
);

const tlsCert = selfSignedCertificate();
trustFakeArm(tlsCert.cert);
const fake = fork(
  join(here, 'fake-arm-list.mjs'),
  [
    JSON.stringify({
      subscriptions: opts.subscriptions,
      perSubscription: opts.perSubscription,
      pageSize: opts.pageSize,
      token: TOKEN,
      certFile: tlsCert.certFile,
      keyFile: tlsCert.keyFile,
    }),
  ],
  { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] },
);
process.once('exit', () => fake.kill('SIGKILL'));
const { port, subscriptionIds } = await nextMessage(fake, 'ready');
const expected = opts.subscriptions * opts.perSubscription;

const { ConfigReader } = require('@backstage/config');
const {
  createClusterFleet,
} = require('@aks-baseline/plugin-aks-baseline-backend/src/sources/discovery');
const logCounts = { warn: 0, error: 0 };
const logger = countingLogger(logCounts);
const config = new ConfigReader({
  aksBaseline: {
    includeKubernetesPluginClusters: false,
    discovery: { azure: { subscriptions: subscriptionIds } },
  },
});
const fleet = createClusterFleet(config, logger, {
  azureCredential: fakeAzureCredential(TOKEN),
  arm: { endpoint: `https://127.0.0.1:${port}` },
});

const runs = [];
try {
  for (let run = 1; run <= opts.runs; run++) {
    await ask(fake, { type: 'reset' });
    const loadBefore = load();
    const sampler = memorySampler(25);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const refresh = await fleet.refresh();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const sampled = sampler.stop();
    const served = await ask(fake, { type: 'stats' });
    const result = {
      run,
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      clusters: refresh.clusters.length,
      added: refresh.added.length,
      failures: refresh.failures.length,
      requests: served.requests,
      mbReceived: MB(served.bytes),
      peakRssMb: MB(sampled.peakRss),
      loadAverage: loadBefore,
    };
    runs.push(result);
    log(
      `run ${run}: ${(wallMs / 1000).toFixed(2)} s, ${
        result.clusters
      } clusters, ${result.requests} requests, load ${loadBefore.join(' ')}`,
    );
  }
} finally {
  fake.kill();
  tlsCert.cleanup();
}

const m = machine();
console.log(
  `\nDiscovery: ${opts.subscriptions} subscriptions x ${
    opts.perSubscription
  } managed clusters, pages of ${opts.pageSize}; ${describeMachine(m)}\n`,
);
table(
  [
    'run',
    'wall s',
    'CPU s',
    'clusters',
    'new',
    'failed scopes',
    'requests',
    'MB recv',
    'peak RSS MB',
    'load avg',
  ],
  runs.map(r => [
    r.run,
    (r.wallMs / 1000).toFixed(2),
    (r.cpuMs / 1000).toFixed(2),
    r.clusters,
    r.added,
    r.failures,
    r.requests,
    r.mbReceived,
    r.peakRssMb,
    r.loadAverage.join(' '),
  ]),
);
const wall = summary(runs.map(r => r.wallMs));
const ok =
  wall.worst < opts.targetMs &&
  runs.every(r => r.clusters === expected && r.failures === 0) &&
  logCounts.error === 0;
console.log(
  `\n  wall best ${(wall.best / 1000).toFixed(2)} s, median ${(
    wall.median / 1000
  ).toFixed(2)} s, worst ${(wall.worst / 1000).toFixed(2)} s (target < ${
    opts.targetMs / 1000
  } s); ${expected} clusters every run: ${
    runs.every(r => r.clusters === expected) ? 'yes' : 'NO'
  } -> ${ok ? 'OK' : 'MISSED'}`,
);
const file = writeResults(
  'backend-discovery',
  {
    benchmark: 'backend-discovery',
    date: new Date().toISOString(),
    machine: m,
    options: opts,
    runs,
    verdict: { wallMs: wall, ok },
  },
  opts.out || undefined,
);
console.log(`  results: ${file}`);
process.exit(ok ? 0 : 1);
