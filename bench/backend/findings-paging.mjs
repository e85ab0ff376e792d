/*
 * Backend benchmark 4: clients paging through a large cluster's findings,
 * and what the replica's other callers feel.
 *
 *   yarn workspace bench backend:findings-paging [options]
 *
 * A real backend (server.mjs: createBackend() with the AKS Baseline plugin,
 * its production middleware, the scheduler, PostgreSQL) evaluates one
 * cluster of --objects Kubernetes objects (81,000 by default: 20,000-odd
 * Deployments) served by fake-fleet.mjs (a `kubernetes` source over http)
 * with --entities catalog Components; the fake is stopped once the
 * findings are stored. Then, --runs times:
 * - idle: `GET /api/aks-baseline/health` one request after the other with
 *   a pause of --interval ms (loadgen.mjs's probe, its own process), and
 *   the event loop's delay in the backend (perf_hooks.monitorEventLoopDelay);
 * - load: the same while --clients clients (paging-clients.mjs, another
 *   process) each walk every page of `GET /clusters/<name>/findings`
 *   (--limit a page, the cursor followed to the end, then again), with a
 *   static service token, asking for gzip as browsers do. The clients run
 *   at a lower priority (nice --nice-clients, 10): in production they are
 *   browsers elsewhere, here they share the backend's two vCPUs.
 * Targets: the event loop's delay p99 under 100 ms, and /health's p99 under
 * load within twice its idle p99.
 *
 * Options: --objects 81000 --entities 4000 --clients 8 --limit 500
 *          --duration 20 --warmup 3 --idle 10 --interval 10 --runs 3
 *          --nice-clients 10 --no-gzip (the clients ask for no compression)
 *          --think 0 (ms each client waits after a page; 0: as fast as it
 *            can, the harshest case)
 *          --pg URL (default: the env var, else postgres@localhost:5432)
 *          --log-level info --out FILE
 *          --profile (a CPU profile of the backend during the first run's
 *            paging, bench/results/findings-paging-server.cpuprofile)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { BACKEND, LOAD_RUNS } from './defaults.mjs';
import {
  backendSection,
  newApiToken,
  pluginSection,
} from './backend-config.mjs';
import {
  cpuMsBetween,
  launchBackend,
  printLogTail,
} from './backend-process.mjs';
import { evaluationFinished, evaluationsLogged } from './evaluations.mjs';
import { backendDatabase, postgresUrl, recreateDatabase } from './postgres.mjs';
import { fleetClusters, startFleet } from './fleet.mjs';
import { ask, freePort, runJsonProcess } from './processes.mjs';
import {
  describeMachine,
  load,
  log,
  machine,
  MB,
  RESULTS,
  saveReport,
  table,
} from './report.mjs';
import { summary } from './stats.mjs';

const require = createRequire(import.meta.url);
const opts = parseArgs(
  process.argv.slice(2),
  {
    objects: 81000,
    entities: 4000,
    clients: 8,
    limit: 500,
    ...LOAD_RUNS,
    idle: 10,
    interval: 10,
    niceClients: 10,
    gzip: true,
    think: 0,
    ...BACKEND,
  },
  usageOf(import.meta.url),
);
const PREFIX = 'aks_baseline_bench_paging_';
const PLUGIN_DB = `${PREFIX}aks-baseline`;
const API_TOKEN = newApiToken();
const HEALTH = '/api/aks-baseline/health';
const pgUrl = postgresUrl(opts.pg, true);
const work = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-paging-'));
const serverLog = join(RESULTS, 'findings-paging-server.log');
mkdirSync(RESULTS, { recursive: true });

let fake;
let server;
let exitCode = 0;
try {
  [fake] = await Promise.all([
    startFleet({ objects: opts.objects, entities: opts.entities }),
    recreateDatabase(require, pgUrl, PLUGIN_DB, false),
  ]);
  const [clusterName] = fake.clusters;
  const port = await freePort();
  const config = {
    backend: backendSection({
      port,
      database: backendDatabase(pgUrl, PREFIX),
      apiToken: API_TOKEN,
    }),
    // Once, at start; nothing runs while measuring.
    aksBaseline: pluginSection({
      clusters: fleetClusters([clusterName], fake.k8sPort),
      timeout: { minutes: 30 },
      clusterTimeout: { minutes: 20 },
    }),
  };
  server = launchBackend({
    job: { config, entities: fake.entities, fastCatalog: true },
    jobFile: join(work, 'server.json'),
    logFile: serverLog,
    logLevel: opts.logLevel,
  });
  const proc = server.child;
  await server.ready;
  const api = `http://127.0.0.1:${port}/api/aks-baseline`;
  const headers = { authorization: `Bearer ${API_TOKEN}` };

  // ------------------------------------------------------ seed by evaluating
  log(`backend listening on ${port}; evaluating the cluster...`);
  const seedStart = performance.now();
  const detail = await evaluationFinished(
    async () => {
      const runs = await (
        await fetch(`${api}/evaluations?limit=1`, { headers })
      ).json();
      const last = runs.items?.[0];
      if (last?.status === 'failed') {
        throw new Error(`the evaluation failed: ${last.error}`);
      }
      if (evaluationsLogged(serverLog, 1).length === 0) return undefined;
      return (
        await fetch(`${api}/clusters/${clusterName}`, { headers })
      ).json();
    },
    { minutes: 30, pollMs: 1000 },
  );
  const seedMs = Math.round(performance.now() - seedStart);
  await fake.stop();
  fake = undefined;
  const path = `/api/aks-baseline/clusters/${clusterName}/findings`;
  const detailBytes = Buffer.byteLength(JSON.stringify(detail));
  const firstPage = await (
    await fetch(`http://127.0.0.1:${port}${path}?limit=${opts.limit}`, {
      headers,
    })
  ).text();
  const seed = {
    ms: seedMs,
    objects: detail.stats?.objects,
    totalFindings: detail.totalFindings,
    detailBytes,
    pageBytes: Buffer.byteLength(firstPage),
  };
  log(
    `evaluated and stored in ${(seedMs / 1000).toFixed(1)} s: ${
      seed.objects
    } objects, ${
      seed.totalFindings
    } findings; GET /clusters/${clusterName} is ${
      seed.detailBytes
    } bytes, a page of ${opts.limit} ${seed.pageBytes} bytes`,
  );

  // ------------------------------------------------------------------- runs
  const probe = { path: HEALTH, connections: 1, intervalMs: opts.interval };
  const runs = [];
  for (let run = 1; run <= opts.runs; run++) {
    await ask(proc, { type: 'loop-delay-start' });
    const idle = await runJsonProcess('loadgen.mjs', {
      port,
      connections: 0,
      probe,
      duration: opts.idle,
      warmup: 1,
    });
    const idleLoop = await ask(proc, { type: 'loop-delay-stop' });

    const loadBefore = load();
    const usageBefore = await ask(proc, { type: 'usage' });
    const profileFile = join(RESULTS, 'findings-paging-server.cpuprofile');
    const profiling = opts.profile && run === 1;
    if (profiling) await ask(proc, { type: 'profile-start' });
    const startLoop = setTimeout(
      () => ask(proc, { type: 'loop-delay-start' }),
      opts.warmup * 1000,
    );
    const [paging, busy] = await Promise.all([
      runJsonProcess(
        'paging-clients.mjs',
        {
          port,
          token: API_TOKEN,
          path,
          clients: opts.clients,
          limit: opts.limit,
          duration: opts.duration,
          warmup: opts.warmup,
          gzip: opts.gzip,
          thinkMs: opts.think,
        },
        opts.niceClients,
      ),
      runJsonProcess('loadgen.mjs', {
        port,
        connections: 0,
        probe,
        duration: opts.duration,
        warmup: opts.warmup,
      }),
    ]);
    clearTimeout(startLoop);
    const loop = await ask(proc, { type: 'loop-delay-stop' });
    if (profiling) {
      await ask(proc, { type: 'profile-stop', file: profileFile });
      log(`backend CPU profile: ${relative(process.cwd(), profileFile)}`);
    }
    const usageAfter = await ask(proc, { type: 'usage' });
    const row = {
      run,
      idle: { health: idle.probe, loopDelay: idleLoop },
      load: { health: busy.probe, loopDelay: loop, paging },
      serverCpuS: Math.round(cpuMsBetween(usageBefore, usageAfter) / 100) / 10,
      serverRssMb: MB(usageAfter.memory.rss),
      loadAverage: { before: loadBefore, after: load() },
    };
    row.healthRatio =
      Math.round((busy.probe.latencyMs.p99 / idle.probe.latencyMs.p99) * 100) /
      100;
    runs.push(row);
    log(
      `run ${run}: ${paging.pagesPerS} pages/s (${
        paging.walks
      } walks, page p99 ${paging.pageLatencyMs.p99} ms); /health p99 ${
        idle.probe.latencyMs.p99
      } ms idle, ${busy.probe.latencyMs.p99} ms paging (x${
        row.healthRatio
      }); loop delay p99 ${loop.p99Ms} ms, max ${
        loop.maxMs
      } ms; load ${loadBefore.join(' ')}`,
    );
    for (const p of paging.problems) log(`  problem: ${p}`);
  }

  // ----------------------------------------------------------------- report
  const m = machine();
  console.log(
    `\n${opts.clients} clients paging through the findings of one cluster (${
      seed.objects
    } objects, ${seed.totalFindings} findings, PostgreSQL), ${
      opts.limit
    } a page, ${opts.duration} s per run after ${
      opts.warmup
    } s; /health probed every ${opts.interval} ms; ${describeMachine(m)}\n`,
  );
  table(
    [
      'run',
      'pages/s',
      'findings/s',
      'walks',
      'page p50 ms',
      'page p99 ms',
      '/health p99 idle ms',
      '/health p99 paging ms',
      'ratio',
      '/health max paging ms',
      'loop delay p99 ms',
      'loop delay max ms',
      'server CPU s',
      'load avg',
    ],
    runs.map(r => [
      r.run,
      r.load.paging.pagesPerS,
      r.load.paging.findingsPerS,
      r.load.paging.walks,
      r.load.paging.pageLatencyMs.p50,
      r.load.paging.pageLatencyMs.p99,
      r.idle.health.latencyMs.p99,
      r.load.health.latencyMs.p99,
      r.healthRatio,
      r.load.health.latencyMs.max,
      r.load.loopDelay.p99Ms,
      r.load.loopDelay.maxMs,
      r.serverCpuS,
      r.loadAverage.before.join(' '),
    ]),
  );
  const loopP99 = summary(runs.map(r => r.load.loopDelay.p99Ms));
  const ratio = summary(runs.map(r => r.healthRatio));
  const problems = runs.flatMap(r => r.load.paging.problems);
  const ok = loopP99.median < 100 && ratio.median <= 2 && problems.length === 0;
  if (!ok) exitCode = 1;
  console.log(
    `\nevent loop delay p99 median ${
      loopP99.median
    } ms (target < 100 ms); /health p99 under paging / idle: median x${
      ratio.median
    } (target <= 2) -> ${ok ? 'OK' : 'MISSED'}`,
  );
  saveReport(
    'backend-findings-paging',
    {
      options: { ...opts, pg: opts.pg ? '(given)' : '' },
      out: opts.out,
      logs: [serverLog],
    },
    {
      seed,
      runs,
      summary: { loopDelayP99: loopP99, healthRatio: ratio, ok },
    },
  );
} catch (error) {
  exitCode = 2;
  console.error(error);
  printLogTail(serverLog);
} finally {
  await fake?.stop();
  await server?.stop();
  await recreateDatabase(require, pgUrl, PLUGIN_DB, false).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
