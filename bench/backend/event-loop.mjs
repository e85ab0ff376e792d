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
import { fork } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  ask,
  freePort,
  load,
  log,
  machine,
  parseArgs,
  postgresUrl,
  recreateDatabase,
  RESULTS,
  startFakeFleet,
  table,
  withDatabase,
  writeResults,
} from './util.mjs';

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
const usage = readFileSync(fileURLToPath(import.meta.url), 'utf8').split(
  '*/',
)[0];
const opts = parseArgs(
  process.argv.slice(2),
  {
    objects: 20000,
    entities: 4000,
    runs: 3,
    idle: 5,
    interval: 10,
    db: 'pg',
    pg: '',
    logLevel: 'info',
    profile: false,
    out: '',
  },
  usage,
);
if (!['pg', 'sqlite'].includes(opts.db)) {
  console.error('--db must be pg or sqlite');
  process.exit(2);
}
const PREFIX = 'aks_baseline_bench_loop_';
const PLUGIN_DB = `${PREFIX}aks-baseline`;
const K8S_TOKEN = 'bench-service-account-token';
const API_TOKEN = randomBytes(24).toString('hex');
const pgUrl = opts.db === 'pg' ? postgresUrl(opts.pg, true) : undefined;
const work = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-loop-'));
const serverLog = join(RESULTS, 'event-loop-server.log');
mkdirSync(RESULTS, { recursive: true });

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return Math.round(sorted[Math.max(0, i)] * 10) / 10;
}

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
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        maxMs: percentile(sorted, 100),
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

const evaluatedLines = () =>
  [
    ...readFileSync(serverLog, 'utf8').matchAll(
      /Evaluated 1 cluster\(s\) in (\d+) ms/g,
    ),
  ].map(m => Number(m[1]));

let fake;
let server;
let exitCode = 0;
try {
  log(
    `generating one cluster of ${opts.objects} objects and ${opts.entities} entities in the fake fleet process...`,
  );
  [fake] = await Promise.all([
    startFakeFleet({
      clusters: 1,
      objects: opts.objects,
      entities: opts.entities,
      templates: 1,
      token: K8S_TOKEN,
    }),
    pgUrl
      ? recreateDatabase(require, pgUrl, PLUGIN_DB, false)
      : Promise.resolve(),
  ]);
  const [clusterName] = fake.clusters;

  const port = await freePort();
  const pg = pgUrl ? new URL(withDatabase(pgUrl, 'postgres')) : undefined;
  const database = pg
    ? {
        client: 'pg',
        connection: {
          host: pg.hostname,
          port: Number(pg.port || 5432),
          user: decodeURIComponent(pg.username),
          password: decodeURIComponent(pg.password),
        },
        prefix: PREFIX,
      }
    : {
        client: 'better-sqlite3',
        connection: { directory: join(work, 'sqlite') },
      };
  const config = {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database,
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: API_TOKEN, subject: 'aks-baseline-bench' },
          },
        ],
      },
    },
    aksBaseline: {
      includeKubernetesPluginClusters: false,
      // Once at start (the warm-up), then only the runs asked for.
      schedule: {
        frequency: { hours: 24 },
        timeout: { minutes: 15 },
        initialDelay: { seconds: 1 },
      },
      clusters: [
        {
          name: clusterName,
          kubernetes: {
            url: `http://127.0.0.1:${fake.k8sPort}/c/${clusterName}`,
            skipTLSVerify: true,
            serviceAccountToken: K8S_TOKEN,
          },
        },
      ],
    },
  };
  const jobFile = join(work, 'server.json');
  writeFileSync(
    jobFile,
    JSON.stringify({ config, entities: fake.entities, fastCatalog: true }),
  );
  const logFd = openSync(serverLog, 'w');
  const child = fork(join(here, 'server.mjs'), [jobFile], {
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: opts.logLevel },
    execArgv: ['--require', '@backstage/cli/config/nodeTransform.cjs'],
  });
  closeSync(logFd);
  const exit = new Promise(r => child.once('exit', code => r(code)));
  server = { child, exit };
  const ready = await Promise.race([
    new Promise(r => {
      const onMessage = m => {
        if (m?.type !== 'ready') return;
        child.off('message', onMessage);
        r(m);
      };
      child.on('message', onMessage);
    }),
    exit.then(code => new Error(`the backend exited (${code})`)),
  ]);
  if (ready instanceof Error) throw ready;
  log(`backend listening on ${port} (${opts.db})`);
  const healthPath = '/api/aks-baseline/health';
  const api = `http://127.0.0.1:${port}/api/aks-baseline`;
  const headers = { authorization: `Bearer ${API_TOKEN}` };
  const runIds = async () =>
    (
      await (await fetch(`${api}/evaluations?limit=20`, { headers })).json()
    ).items.map(r => r.id);
  const finished = async count => {
    const t = performance.now();
    let lines = evaluatedLines();
    while (lines.length < count) {
      if (performance.now() - t > 10 * 60_000) {
        throw new Error('the evaluation did not finish within 10 minutes');
      }
      await new Promise(r => setTimeout(r, 100));
      lines = evaluatedLines();
    }
    return lines[lines.length - 1];
  };
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
    const accepted = await fetch(`${api}/evaluations`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    if (accepted.status !== 202) {
      throw new Error(
        `POST /evaluations answered ${
          accepted.status
        }: ${await accepted.text()}`,
      );
    }
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
    const cpuMs = Math.round(
      (usageAfter.cpu.user +
        usageAfter.cpu.system -
        usageBefore.cpu.user -
        usageBefore.cpu.system) /
        1000,
    );
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
    `\nEvent loop during the evaluation of one cluster of ${opts.objects} objects, ${opts.entities} entities, ${opts.db}; ${m.cpus} CPUs (${m.model}), Node ${m.node}\n`,
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
  const file = writeResults(
    'backend-event-loop',
    {
      benchmark: 'backend-event-loop',
      date: new Date().toISOString(),
      machine: m,
      options: { ...opts, pg: opts.pg ? '(given)' : '' },
      idle,
      runs,
    },
    opts.out || undefined,
  );
  console.log(
    `\n  results: ${file}\n  backend log: ${relative(
      process.cwd(),
      serverLog,
    )}`,
  );
} catch (error) {
  exitCode = 2;
  console.error(error);
  try {
    const tail = readFileSync(serverLog, 'utf8').split('\n').slice(-15);
    console.error(`--- backend log (last lines) ---\n${tail.join('\n')}`);
  } catch {
    // no log
  }
} finally {
  await fake?.stop();
  if (server && server.child.exitCode === null) {
    server.child.kill();
    await server.exit;
  }
  if (pgUrl) {
    await recreateDatabase(require, pgUrl, PLUGIN_DB, false).catch(() => {});
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
