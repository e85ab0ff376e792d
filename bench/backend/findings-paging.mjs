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
import { createRequire } from 'node:module';
import { setPriority, tmpdir } from 'node:os';
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
  MB,
  parseArgs,
  postgresUrl,
  recreateDatabase,
  RESULTS,
  startFakeFleet,
  summary,
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
    objects: 81000,
    entities: 4000,
    clients: 8,
    limit: 500,
    duration: 20,
    warmup: 3,
    idle: 10,
    interval: 10,
    runs: 3,
    pg: '',
    logLevel: 'info',
    profile: false,
    niceClients: 10,
    gzip: true,
    think: 0,
    out: '',
  },
  usage,
);
const PREFIX = 'aks_baseline_bench_paging_';
const PLUGIN_DB = `${PREFIX}aks-baseline`;
const K8S_TOKEN = 'bench-service-account-token';
const API_TOKEN = randomBytes(24).toString('hex');
const HEALTH = '/api/aks-baseline/health';
const pgUrl = postgresUrl(opts.pg, true);
const work = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-paging-'));
const serverLog = join(RESULTS, 'findings-paging-server.log');
mkdirSync(RESULTS, { recursive: true });

/**
 * Runs a bench script in its own process, at `priority` (nice); resolves
 * with its JSON line.
 */
function child(script, options, priority = 0) {
  return new Promise((resolve, reject) => {
    const proc = fork(join(here, script), [JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      execArgv: [],
    });
    if (priority) setPriority(proc.pid, priority);
    let out = '';
    proc.stdout.on('data', d => (out += d));
    proc.once('exit', code =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

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
    recreateDatabase(require, pgUrl, PLUGIN_DB, false),
  ]);
  const [clusterName] = fake.clusters;
  const port = await freePort();
  const pg = new URL(withDatabase(pgUrl, 'postgres'));
  const config = {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: {
        client: 'pg',
        connection: {
          host: pg.hostname,
          port: Number(pg.port || 5432),
          user: decodeURIComponent(pg.username),
          password: decodeURIComponent(pg.password),
        },
        prefix: PREFIX,
      },
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
      // Once, at start; nothing runs while measuring.
      schedule: {
        frequency: { hours: 24 },
        timeout: { minutes: 30 },
        initialDelay: { seconds: 1 },
      },
      clusterTimeout: { minutes: 20 },
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
  const proc = fork(join(here, 'server.mjs'), [jobFile], {
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: opts.logLevel },
    execArgv: ['--require', '@backstage/cli/config/nodeTransform.cjs'],
  });
  closeSync(logFd);
  const exit = new Promise(r => proc.once('exit', code => r(code)));
  server = { child: proc, exit };
  const ready = await Promise.race([
    new Promise(r => {
      const onMessage = m => {
        if (m?.type !== 'ready') return;
        proc.off('message', onMessage);
        r(m);
      };
      proc.on('message', onMessage);
    }),
    exit.then(code => new Error(`the backend exited (${code})`)),
  ]);
  if (ready instanceof Error) throw ready;
  const api = `http://127.0.0.1:${port}/api/aks-baseline`;
  const headers = { authorization: `Bearer ${API_TOKEN}` };

  // ------------------------------------------------------ seed by evaluating
  log(`backend listening on ${port}; evaluating the cluster...`);
  const seedStart = performance.now();
  let detail;
  for (;;) {
    // Done when the plugin logs the end of the run (after the entity rows).
    const runs = await (
      await fetch(`${api}/evaluations?limit=1`, { headers })
    ).json();
    const last = runs.items?.[0];
    if (last?.status === 'failed') {
      throw new Error(`the evaluation failed: ${last.error}`);
    }
    if (/Evaluated 1 cluster\(s\) in/.test(readFileSync(serverLog, 'utf8'))) {
      detail = await (
        await fetch(`${api}/clusters/${clusterName}`, { headers })
      ).json();
      break;
    }
    if (performance.now() - seedStart > 30 * 60_000) {
      throw new Error('the evaluation did not finish within 30 minutes');
    }
    await new Promise(r => setTimeout(r, 1000));
  }
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
    const idle = await child('loadgen.mjs', {
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
      child(
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
      child('loadgen.mjs', {
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
      serverCpuS:
        Math.round(
          (usageAfter.cpu.user +
            usageAfter.cpu.system -
            usageBefore.cpu.user -
            usageBefore.cpu.system) /
            1e5,
        ) / 10,
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
    `\n${opts.clients} clients paging through the findings of one cluster (${seed.objects} objects, ${seed.totalFindings} findings, PostgreSQL), ${opts.limit} a page, ${opts.duration} s per run after ${opts.warmup} s; /health probed every ${opts.interval} ms; ${m.cpus} CPUs (${m.model}), Node ${m.node}\n`,
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
  const file = writeResults(
    'backend-findings-paging',
    {
      benchmark: 'backend-findings-paging',
      date: new Date().toISOString(),
      machine: m,
      options: { ...opts, pg: opts.pg ? '(given)' : '' },
      seed,
      runs,
      summary: { loopDelayP99: loopP99, healthRatio: ratio, ok },
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
  await recreateDatabase(require, pgUrl, PLUGIN_DB, false).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
