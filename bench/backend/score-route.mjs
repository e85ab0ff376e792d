/*
 * Backend benchmark 2: the entity score route under load.
 *
 *   yarn workspace bench backend:score-route [options]
 *
 * 1. Seeds PostgreSQL through the plugin's own evaluation: a real backend
 *    (server.mjs: createBackend() with the AKS Baseline plugin, PostgreSQL,
 *    the scheduler, the production middleware) evaluates 50 generated
 *    clusters served by fake-fleet.mjs (Kubernetes sources over http, real
 *    @kubernetes/client-node) against an in-memory catalog of 10,000
 *    Components (plus the 50 cluster Resources), triggered by
 *    `POST /api/aks-baseline/evaluations`. The fake is stopped afterwards.
 * 2. A separate load-generator process (loadgen.mjs) holds 50 keep-alive
 *    connections, each sending
 *    `GET /api/aks-baseline/entities/default/component/<random>/score` with
 *    a static service token and waiting for the answer (closed loop, like
 *    `wrk -c50`), `--runs` times for `--duration` seconds after a warm-up.
 *
 * 3. With --replicas N, N such backends (each its own process and port, all
 *    on the same PostgreSQL database, as replicas behind a Kubernetes
 *    Service): the first one seeds (or opens a kept database), the others
 *    start once it is done, with an initial delay of an hour for the
 *    scheduler's worker, so none of them evaluates again (the evaluation is
 *    a global task: one replica at a time in any case). The load generator
 *    spreads its connections evenly over the replicas and primes each
 *    replica's own answer cache with every entity once.
 *
 * Reports p50/p95/p99 latency (over all requests), the combined throughput
 * and the servers' CPU per request (summed over the replicas) for every run,
 * the best and the median, and the load average (the machine may be
 * shared). Results: bench/results/backend-score-route-*.json.
 *
 * Options: --entities 10000 --clusters 50 --objects 2000
 *          --connections 50 --duration 20 --warmup 3 --runs 3
 *          --replicas 1 (backend processes sharing the database; the
 *            connections are spread over them)
 *          --pg URL (default: the env var, else postgres@localhost:5432)
 *          --no-gzip (clients send no Accept-Encoding; by default they send
 *            `gzip, deflate, br` as browsers and Node's fetch do)
 *          --no-prime (measure from a cold start; by default every entity is
 *            requested once first, as a long-running backend has seen them)
 *          --path TEMPLATE (another route to compare, `{name}` is replaced;
 *            e.g. /api/aks-baseline/health: the framework's floor)
 *          --log-level info (the backend's LOG_LEVEL; request logs included)
 *          --profile (a CPU profile of the (first) server during the first
 *            run, bench/results/score-route-server.cpuprofile)
 *          --keep-db (leave the seeded database aks_baseline_bench_aks-baseline)
 *          --reuse-db (measure a kept database again, without seeding)
 *          --target-p99-ms 25 --out FILE
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { BACKEND, FLEET, LOAD_RUNS } from './defaults.mjs';
import {
  backendSection,
  newApiToken,
  pluginSection,
} from './backend-config.mjs';
import {
  cpuMsBetween,
  cpuMsPerRequest,
  launchBackend,
  printLogTail,
} from './backend-process.mjs';
import {
  evaluationFinished,
  evaluationsLogged,
  requestEvaluation,
} from './evaluations.mjs';
import {
  backendDatabase,
  postgresUrl,
  recreateDatabase,
  withDatabase,
} from './postgres.mjs';
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
    ...FLEET,
    connections: 50,
    replicas: 1,
    ...LOAD_RUNS,
    gzip: true,
    prime: true,
    path: '/api/aks-baseline/entities/default/component/{name}/score',
    keepDb: false,
    reuseDb: false,
    targetP99Ms: 25,
    ...BACKEND,
  },
  usageOf(import.meta.url),
);
if (
  !Number.isInteger(opts.replicas) ||
  opts.replicas < 1 ||
  opts.replicas > opts.connections
) {
  console.error('--replicas must be an integer from 1 to --connections');
  process.exit(2);
}
const pgUrl = postgresUrl(opts.pg, true);
const PREFIX = 'aks_baseline_bench_';
const PLUGIN_DB = `${PREFIX}aks-baseline`;
const API_TOKEN = newApiToken();
const t0 = performance.now();
const work = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-score-'));
/** The log of replica i (0-based); the first keeps the name it always had. */
const serverLogOf = i =>
  join(RESULTS, `score-route-server${i ? `-${i + 1}` : ''}.log`);
const serverLog = serverLogOf(0);
mkdirSync(RESULTS, { recursive: true });

/** What a seeded plugin database holds, or undefined when there is none. */
async function readSeeded() {
  const db = new (require('pg').Client)({
    connectionString: withDatabase(pgUrl, PLUGIN_DB),
  });
  try {
    await db.connect();
  } catch {
    return undefined;
  }
  try {
    const one = async sql => (await db.query(sql)).rows[0];
    // The answers are stored gzip-compressed (`response_gzip`).
    const entityRows = (
      await one(
        `select count(*)::int n from aks_baseline_entities where response_gzip is not null`,
      )
    ).n;
    if (!entityRows) return undefined;
    const sizes = await one(
      `select pg_total_relation_size('aks_baseline_entities') bytes,
              avg(octet_length(response_gzip))::int avg_gzip,
              max(octet_length(response_gzip)) max_gzip
         from aks_baseline_entities`,
    );
    const sample = await one(
      `select response_gzip from aks_baseline_entities
        where response_gzip is not null order by entity_ref limit 1`,
    );
    const seed = {
      clusterRuns: (
        await one(
          `select count(*)::int n from aks_baseline_runs where status <> 'running'`,
        )
      ).n,
      failedRuns: (
        await one(
          `select count(*)::int n from aks_baseline_runs where status = 'failed'`,
        )
      ).n,
      entityRows,
      avgResponseGzipBytes: sizes.avg_gzip,
      maxResponseGzipBytes: Number(sizes.max_gzip),
      sampleResponseBytes: gunzipSync(sample.response_gzip).length,
      sampleResponseGzipBytes: sample.response_gzip.length,
      entitiesTableMb: MB(Number(sizes.bytes)),
    };
    await db.query('ANALYZE');
    const clusterNames = (
      await db.query(
        'select cluster from aks_baseline_cluster_results order by cluster',
      )
    ).rows.map(r => r.cluster);
    const components = (
      await db.query(
        `select entity_ref from aks_baseline_entities
          where entity_ref like 'component:default/%' and response_gzip is not null`,
      )
    ).rows.map(r => r.entity_ref.slice('component:default/'.length));
    return { seed, clusterNames, components, entityRows };
  } finally {
    await db.end();
  }
}

let fake;
/** The backend replicas: { child, port, exit } each; [0] seeds. */
const servers = [];
let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    fake?.stop();
    for (const s of servers) s.child.kill('SIGKILL');
    process.exit(130);
  });
}
try {
  // ------------------------------------------- the fleet, or a kept database
  let reused;
  if (opts.reuseDb) reused = await readSeeded();
  let clusterNames;
  let components;
  if (reused) {
    ({ clusterNames, components } = reused);
    log(
      `reusing ${PLUGIN_DB}: ${reused.entityRows} entity answers of ${clusterNames.length} clusters`,
    );
  } else {
    [fake] = await Promise.all([
      startFleet({
        clusters: opts.clusters,
        objects: opts.objects,
        entities: opts.entities,
        templates: opts.templates,
      }),
      recreateDatabase(require, pgUrl, PLUGIN_DB, false),
    ]);
    clusterNames = fake.clusters;
    components = fake.entities
      .filter(e => e.kind === 'Component')
      .map(e => e.metadata.name);
    log(`fake fleet ready in ${(fake.setupMs / 1000).toFixed(1)} s`);
  }
  const namesFile = join(work, 'names.json');
  writeFileSync(namesFile, JSON.stringify(components));

  // ------------------------------------------------------------ the backends
  const catalogEntities = fake?.entities ?? [];
  /**
   * Starts replica i (0-based) of the backend on a port of its own; all of
   * them use the same database (same prefix, same plugin).
   */
  const startReplica = async (i, initialDelay) => {
    const port = await freePort();
    const config = {
      backend: backendSection({
        port,
        database: backendDatabase(pgUrl, PREFIX),
        apiToken: API_TOKEN,
      }),
      aksBaseline: pluginSection({
        clusters: fleetClusters(clusterNames, fake?.k8sPort ?? 9),
        timeout: { minutes: 15 },
        // The scheduler's worker starts after the initial delay (a manual
        // trigger before then waits for it). A reused database is not
        // evaluated again, nor is a seeded one by the other replicas.
        initialDelay,
      }),
    };
    const replica = launchBackend({
      job: { config, entities: catalogEntities },
      jobFile: join(work, `server-${i + 1}.json`),
      logFile: serverLogOf(i),
      logLevel: opts.logLevel,
      name: `backend replica ${i + 1}`,
    });
    replica.port = port;
    servers[i] = replica;
    await replica.ready;
    log(
      `backend${
        opts.replicas > 1 ? ` replica ${i + 1}/${opts.replicas}` : ''
      } listening on ${port}`,
    );
    return replica;
  };
  const { port } = await startReplica(
    0,
    reused ? { hours: 1 } : { seconds: 1 },
  );
  const base = `http://127.0.0.1:${port}/api/aks-baseline`;
  const headers = { authorization: `Bearer ${API_TOKEN}` };

  // ------------------------------------------------------ seed by evaluating
  let seed = reused?.seed;
  if (!reused) {
    log('evaluating the fleet through the backend...');
    const seedStart = performance.now();
    await requestEvaluation(base, headers);
    // Done when the plugin logs the end of the run (after the entity refresh).
    await evaluationFinished(
      () => evaluationsLogged(serverLog, opts.clusters).length > 0,
      { minutes: 15, pollMs: 500 },
    );
    const seedMs = performance.now() - seedStart;
    await fake.stop();
    fake = undefined;
    seed = { ms: Math.round(seedMs), ...(await readSeeded()).seed };
    log(
      `seeded in ${(seedMs / 1000).toFixed(1)} s: ${
        seed.clusterRuns
      } cluster runs (${seed.failedRuns} failed), ${
        seed.entityRows
      } entity answers stored (gzip avg ${
        seed.avgResponseGzipBytes
      } bytes, max ${seed.maxResponseGzipBytes})`,
    );
  }
  const entityRows = seed.entityRows;

  // The other replicas, on the seeded database: their scheduler's worker
  // waits an hour, and the evaluation's next run is a day away anyway.
  for (let i = 1; i < opts.replicas; i++) {
    await startReplica(i, { hours: 1 });
  }
  const ports = servers.map(s => s.port);

  // Sanity, on every replica: one answer, one request without a token.
  for (const p of ports) {
    const url = `http://127.0.0.1:${p}/api/aks-baseline/entities/default/component/${encodeURIComponent(
      components[0],
    )}/score`;
    const sample = await fetch(url, { headers });
    const sampleBody = await sample.json();
    if (sample.status !== 200 || !sampleBody.entityRef) {
      throw new Error(
        `the score route on ${p} answered ${sample.status}: ${JSON.stringify(
          sampleBody,
        ).slice(0, 300)}`,
      );
    }
    const unauthorized = await fetch(url);
    if (unauthorized.status !== 401) {
      throw new Error(
        `without a token the route on ${p} answered ${unauthorized.status}`,
      );
    }
  }

  // ------------------------------------------------------------------- load
  const loadgen = options =>
    runJsonProcess('loadgen.mjs', {
      ports,
      token: API_TOKEN,
      names: namesFile,
      connections: opts.connections,
      gzip: opts.gzip,
      pathTemplate: opts.path,
      ...options,
    });
  let primed;
  if (opts.prime) {
    primed = await loadgen({ prime: true });
    log(
      `primed: each of the ${components.length} entities requested once${
        opts.replicas > 1 ? ` on each of the ${opts.replicas} replicas` : ''
      } (${primed.requests} requests, ${primed.throughput} req/s, p99 ${
        primed.latencyMs.p99
      } ms, cold)`,
    );
  }
  const runs = [];
  for (let run = 1; run <= opts.runs; run++) {
    const profileFile = join(RESULTS, 'score-route-server.cpuprofile');
    const profiling = opts.profile && run === 1;
    if (profiling) await ask(servers[0].child, { type: 'profile-start' });
    const loadBefore = load();
    const usage = () =>
      Promise.all(servers.map(s => ask(s.child, { type: 'usage' })));
    const before = await usage();
    const result = await loadgen({
      duration: opts.duration,
      warmup: opts.warmup,
      seed: run,
    });
    const after = await usage();
    if (profiling) {
      await ask(servers[0].child, { type: 'profile-stop', file: profileFile });
      log(`server CPU profile: ${relative(process.cwd(), profileFile)}`);
    }
    // Server CPU (summed over the replicas) over warm-up + measured window,
    // per request of both.
    const cpuMsOf = servers.map((_, i) => cpuMsBetween(before[i], after[i]));
    const serverCpuMs = cpuMsOf.reduce((a, b) => a + b, 0);
    const row = {
      run,
      ...result,
      serverCpuPerRequestMs: cpuMsPerRequest(
        serverCpuMs,
        result.requests,
        opts,
      ),
      replicas: opts.replicas,
      serverCpuS: cpuMsOf.map(ms => Math.round(ms / 100) / 10),
      serverRssMb: MB(after.reduce((sum, a) => sum + a.memory.rss, 0)),
      loadAverage: { before: loadBefore, after: load() },
    };
    runs.push(row);
    log(
      `run ${run}: ${result.throughput} req/s, p50 ${
        result.latencyMs.p50
      } ms, p95 ${result.latencyMs.p95} ms, p99 ${
        result.latencyMs.p99
      } ms, statuses ${JSON.stringify(result.statuses)}, load ${loadBefore.join(
        ' ',
      )}`,
    );
    for (const p of result.problems) log(`  problem: ${p}`);
  }

  // ----------------------------------------------------------------- report
  const m = machine();
  console.log(
    `\nEntity score route: ${entityRows} entities in PostgreSQL, ${
      opts.replicas > 1 ? `${opts.replicas} backend replicas sharing it, ` : ''
    }${opts.connections} concurrent keep-alive clients (separate process${
      opts.replicas > 1 ? ', spread evenly over the replicas' : ''
    }), ${opts.duration} s per run after ${
      opts.warmup
    } s warm-up; ${describeMachine(m)}; clients ${
      opts.gzip ? 'accept gzip' : 'send no Accept-Encoding'
    }${
      opts.prime
        ? '; every entity requested once before (warm)'
        : '; cold start'
    }\n`,
  );
  table(
    [
      'run',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'p99.9 ms',
      'max ms',
      'non-200',
      opts.replicas > 1 ? 'servers CPU ms/req' : 'server CPU ms/req',
      ...(opts.replicas > 1 ? ['requests per replica'] : []),
      'loadgen CPU s',
      'load avg',
    ],
    runs.map(r => [
      r.run,
      r.throughput,
      r.latencyMs.p50,
      r.latencyMs.p95,
      r.latencyMs.p99,
      r.latencyMs.p999,
      r.latencyMs.max,
      r.requests - (r.statuses['200'] ?? 0),
      r.serverCpuPerRequestMs,
      ...(opts.replicas > 1
        ? [r.perPort.map(p => p.requests).join(' / ')]
        : []),
      (r.loadgenCpuMs / 1000).toFixed(1),
      r.loadAverage.before.join(' '),
    ]),
  );
  const p99 = summary(runs.map(r => r.latencyMs.p99));
  const p95 = summary(runs.map(r => r.latencyMs.p95));
  const p50 = summary(runs.map(r => r.latencyMs.p50));
  const rps = summary(runs.map(r => r.throughput));
  const allOk = runs.every(r => r.requests === (r.statuses['200'] ?? 0));
  const ok = p99.median < opts.targetP99Ms && allOk;
  if (!ok) exitCode = 1;
  console.log(
    `\np50 best ${p50.best} / median ${p50.median} ms; p95 best ${
      p95.best
    } / median ${p95.median} ms; p99 best ${p99.best} / median ${
      p99.median
    } ms (target < ${opts.targetP99Ms} ms); throughput best ${
      rps.worst
    } / median ${rps.median} req/s -> ${ok ? 'OK' : 'MISSED'}`,
  );
  saveReport(
    'backend-score-route',
    {
      options: { ...opts, pg: '(given)' },
      out: opts.out,
      logs: servers.map((_, i) => serverLogOf(i)),
    },
    {
      seed,
      primed: primed ?? null,
      runs,
      summary: { p50, p95, p99, throughput: rps, ok },
      totalMs: Math.round(performance.now() - t0),
    },
  );
} catch (error) {
  exitCode = 2;
  console.error(error);
  for (let i = 0; i < Math.max(1, servers.length); i++) {
    printLogTail(serverLogOf(i), `backend log ${i + 1}`);
  }
} finally {
  await fake?.stop();
  await Promise.all(servers.map(s => s.stop()));
  if (!opts.keepDb) {
    await recreateDatabase(require, pgUrl, PLUGIN_DB, false).catch(() => {});
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
