/*
 * Backend benchmark 3: does evaluating one large cluster stall the replica?
 *
 *   yarn workspace bench backend:event-loop [options]
 *
 * A real backend (server.mjs: createBackend() with the AKS Baseline plugin,
 * its production middleware and the scheduler) holds one cluster of
 * --objects Kubernetes objects served by fake-fleet.mjs (a `kubernetes`
 * source over http, real @kubernetes/client-node, pages of 500) and a
 * catalog of --entities Components whose workloads run there (fake-catalog,
 * so that the catalog's own work is not billed to the plugin). The database
 * is PostgreSQL (--db pg, default) or a SQLite file (--db sqlite).
 *
 * The scheduled evaluation runs once at start (a warm-up, not measured).
 * Then each run is one `POST /evaluations {}`: the whole cycle of that
 * cluster as the scheduled task runs it (read, evaluate, score the
 * entities, store, recompute the entity rows), measured from the moment its
 * run is listed by `GET /evaluations` (a manual run may wait for the
 * scheduler to pick it up first) to the plugin's log line that ends it:
 * - in the backend, the event loop's delay (perf_hooks.monitorEventLoopDelay,
 *   10 ms resolution): max is the longest time nothing else could run; and
 *   the longest garbage collection pause in that time;
 * - from this process, `GET /api/aks-baseline/health` one request after the
 *   other (a pause of --interval ms between), while idle (--idle s, once)
 *   and during each evaluation: p50, p99 and max latency;
 * - the evaluation's wall time (the plugin's own log line) and the backend's
 *   CPU time during it.
 *
 * Options: --objects 20000 --entities 4000 --runs 3 --idle 5 --interval 10
 *          --db pg|sqlite --pg URL (default: the env var, else
 *          postgres@localhost:5432) --log-level info --out FILE
 *          --profile (a V8 CPU profile of the backend during each run,
 *            bench/results/event-loop-run<N>.cpuprofile, and the longest
 *            stretches of work without a turn of the event loop in it)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { BACKEND } from './defaults.mjs';
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
import {
  evaluationFinished,
  evaluationsLogged,
  requestEvaluation,
} from './evaluations.mjs';
import { backendDatabase, postgresUrl, recreateDatabase } from './postgres.mjs';
import { fleetClusters, startFleet } from './fleet.mjs';
import { ask, freePort } from './processes.mjs';
import {
  describeMachine,
  load,
  log,
  machine,
  RESULTS,
  saveReport,
  table,
} from './report.mjs';
import { percentile } from './stats.mjs';

const require = createRequire(import.meta.url);
const opts = parseArgs(
  process.argv.slice(2),
  {
    objects: 20000,
    entities: 4000,
    runs: 3,
    idle: 5,
    interval: 10,
    db: 'pg',
    ...BACKEND,
  },
  usageOf(import.meta.url),
);
if (!['pg', 'sqlite'].includes(opts.db)) {
  console.error('--db must be pg or sqlite');
  process.exit(2);
}
const PREFIX = 'aks_baseline_bench_loop_';
const PLUGIN_DB = `${PREFIX}aks-baseline`;
const API_TOKEN = newApiToken();
const pgUrl = opts.db === 'pg' ? postgresUrl(opts.pg, true) : undefined;
const work = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-loop-'));
const serverLog = join(RESULTS, 'event-loop-server.log');
mkdirSync(RESULTS, { recursive: true });

/** Requests `path` one after the other until stopped; returns the latencies. */
function healthProbe(port, path, intervalMs) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const statuses = {};
  let running = true;
  let from = 0;
  const once = () =>
    new Promise(resolve => {
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, path, agent }, res => {
        res.resume();
        res.on('end', () => {
          // Counted when answered within the window (sent before it too).
          const ended = performance.now();
          if (ended >= from) {
            latencies.push(ended - started);
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          }
          resolve();
        });
      });
      req.on('error', error => {
        statuses[error.code ?? 'error'] =
          (statuses[error.code ?? 'error'] ?? 0) + 1;
        resolve();
      });
      req.end();
    });
  const loop = (async () => {
    while (running) {
      await once();
      await new Promise(r => setTimeout(r, intervalMs));
    }
  })();
  return {
    /** Only answers from `start` (performance.now()) on are counted. */
    window(start) {
      from = start;
    },
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        requests: latencies.length,
        statuses,
        p50Ms: percentile(sorted, 50, 1),
        p99Ms: percentile(sorted, 99, 1),
        maxMs: percentile(sorted, 100, 1),
      };
    },
  };
}

/**
 * The longest stretches of a CPU profile without an idle sample (the event
 * loop had no turn), with the functions most sampled in each. A gap between
 * samples longer than 50 ms (the process not running) ends a stretch.
 */
function longestStretches(profile, count = 3) {
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  const label = n =>
    `${n.callFrame.functionName || '(anonymous)'} ${
      n.callFrame.url.split('/').slice(-2).join('/') || ''
    }`.trim();
  const stretches = [];
  let current;
  const close = () => {
    if (current) stretches.push(current);
    current = undefined;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const node = nodes.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const name = node.callFrame.functionName;
    if (name === '(idle)' || dt > 50) {
      close();
      if (name === '(idle)') continue;
    }
    current ??= { ms: 0, counts: new Map() };
    current.ms += dt;
    const key = label(node);
    current.counts.set(key, (current.counts.get(key) ?? 0) + 1);
  }
  close();
  return stretches
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map(s => ({
      ms: Math.round(s.ms),
      top: [...s.counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, n]) => `${k} ×${n}`),
    }));
}

const evaluatedLines = () => evaluationsLogged(serverLog, 1);

let fake;
let server;
let exitCode = 0;
try {
  [fake] = await Promise.all([
    startFleet({ objects: opts.objects, entities: opts.entities }),
    pgUrl
      ? recreateDatabase(require, pgUrl, PLUGIN_DB, false)
      : Promise.resolve(),
  ]);
  const [clusterName] = fake.clusters;

  const port = await freePort();
  const database = pgUrl
    ? backendDatabase(pgUrl, PREFIX)
    : {
        client: 'better-sqlite3',
        connection: { directory: join(work, 'sqlite') },
      };
  const config = {
    backend: backendSection({ port, database, apiToken: API_TOKEN }),
    // Once at start (the warm-up), then only the runs asked for.
    aksBaseline: pluginSection({
      clusters: fleetClusters([clusterName], fake.k8sPort),
      timeout: { minutes: 15 },
    }),
  };
  server = launchBackend({
    job: { config, entities: fake.entities, fastCatalog: true },
    jobFile: join(work, 'server.json'),
    logFile: serverLog,
    logLevel: opts.logLevel,
  });
  const { child } = server;
  await server.ready;
  log(`backend listening on ${port} (${opts.db})`);
  const healthPath = '/api/aks-baseline/health';
  const api = `http://127.0.0.1:${port}/api/aks-baseline`;
  const headers = { authorization: `Bearer ${API_TOKEN}` };
  const runIds = async () =>
    (
      await (await fetch(`${api}/evaluations?limit=20`, { headers })).json()
    ).items.map(r => r.id);
  const finished = count =>
    evaluationFinished(
      () => {
        const lines = evaluatedLines();
        return lines.length >= count ? lines[lines.length - 1] : undefined;
      },
      { minutes: 10, pollMs: 100 },
    );
  log(`warm-up: the scheduled evaluation at start...`);
  log(`warm-up evaluated in ${await finished(1)} ms`);

  // ------------------------------------------------------------------ idle
  await ask(child, { type: 'loop-delay-start' });
  const idleProbe = healthProbe(port, healthPath, opts.interval);
  await new Promise(r => setTimeout(r, opts.idle * 1000));
  const idle = {
    health: await idleProbe.stop(),
    loopDelay: await ask(child, { type: 'loop-delay-stop' }),
  };
  log(
    `idle: /health p99 ${idle.health.p99Ms} ms, max ${idle.health.maxMs} ms; event loop delay max ${idle.loopDelay.maxMs} ms`,
  );

  // ------------------------------------------------------------------ runs
  const runs = [];
  for (let run = 1; run <= opts.runs; run++) {
    const before = evaluatedLines().length;
    const seen = new Set(await runIds());
    const loadBefore = load();
    const probe = healthProbe(port, healthPath, opts.interval);
    await requestEvaluation(api, headers);
    while ((await runIds()).every(id => seen.has(id))) {
      await new Promise(r => setTimeout(r, 20));
    }
    const usageBefore = await ask(child, { type: 'usage' });
    if (opts.profile) await ask(child, { type: 'profile-start' });
    await ask(child, { type: 'loop-delay-start' });
    const started = performance.now();
    probe.window(started);
    const evaluationMs = await finished(before + 1);
    const wallMs = Math.round(performance.now() - started);
    const health = await probe.stop();
    const loopDelay = await ask(child, { type: 'loop-delay-stop' });
    let longestWork;
    if (opts.profile) {
      const file = join(RESULTS, `event-loop-run${run}.cpuprofile`);
      await ask(child, { type: 'profile-stop', file });
      longestWork = longestStretches(JSON.parse(readFileSync(file, 'utf8')));
      log(
        `run ${run} profile (${relative(process.cwd(), file)}): ${longestWork
          .map(w => `${w.ms} ms (${w.top.join(', ')})`)
          .join('; ')}`,
      );
    }
    const usageAfter = await ask(child, { type: 'usage' });
    const cpuMs = Math.round(cpuMsBetween(usageBefore, usageAfter));
    const row = {
      run,
      evaluationMs,
      wallMs,
      serverCpuMs: cpuMs,
      loopDelay,
      health,
      loadAverage: { before: loadBefore, after: load() },
      ...(longestWork ? { longestWork } : {}),
    };
    runs.push(row);
    log(
      `run ${run}: evaluated in ${row.evaluationMs} ms; event loop delay max ${
        loopDelay.maxMs
      } ms, p99 ${loopDelay.p99Ms} ms (longest GC ${
        loopDelay.gc.maxMs
      } ms); /health p99 ${health.p99Ms} ms, max ${health.maxMs} ms (${
        health.requests
      } requests); load ${loadBefore.join(' ')}`,
    );
  }

  // ---------------------------------------------------------------- report
  const m = machine();
  console.log(
    `\nEvent loop during the evaluation of one cluster of ${
      opts.objects
    } objects, ${opts.entities} entities, ${opts.db}; ${describeMachine(m)}\n`,
  );
  table(
    [
      'run',
      'evaluation ms',
      'server CPU ms',
      'loop delay max ms',
      'loop delay p99 ms',
      'longest GC ms',
      '/health p50 ms',
      '/health p99 ms',
      '/health max ms',
      '/health requests',
      'load avg',
    ],
    [
      [
        'idle',
        '',
        '',
        idle.loopDelay.maxMs,
        idle.loopDelay.p99Ms,
        idle.loopDelay.gc.maxMs,
        idle.health.p50Ms,
        idle.health.p99Ms,
        idle.health.maxMs,
        idle.health.requests,
        '',
      ],
      ...runs.map(r => [
        r.run,
        r.evaluationMs,
        r.serverCpuMs,
        r.loopDelay.maxMs,
        r.loopDelay.p99Ms,
        r.loopDelay.gc.maxMs,
        r.health.p50Ms,
        r.health.p99Ms,
        r.health.maxMs,
        r.health.requests,
        r.loadAverage.before.join(' '),
      ]),
    ],
  );
  saveReport(
    'backend-event-loop',
    {
      options: { ...opts, pg: opts.pg ? '(given)' : '' },
      out: opts.out,
      logs: [serverLog],
    },
    { idle, runs },
  );
} catch (error) {
  exitCode = 2;
  console.error(error);
  printLogTail(serverLog);
} finally {
  await fake?.stop();
  await server?.stop();
  if (pgUrl) {
    await recreateDatabase(require, pgUrl, PLUGIN_DB, false).catch(() => {});
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
