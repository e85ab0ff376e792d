/*
 * Backend benchmark 1: a full evaluation cycle of the AKS Baseline backend.
 *
 *   yarn workspace bench backend:cycle [options]
 *
 * 50 AKS clusters x 2,000 Kubernetes objects (fake-fleet.mjs, a separate
 * process) are read through the plugin's REAL sources and SDK clients:
 * `createClusterSources()` builds `azure` sources, so
 * @azure/arm-containerservice reads the managed cluster, agent pools,
 * maintenance configurations, upgrade profile and versions from a local
 * https ARM fake (a throwaway certificate made with openssl, trusted in the
 * measured process only), and @kubernetes/client-node lists every kind once
 * per cluster, paged, from the local Kubernetes fake (http, skipTLSVerify,
 * the Entra token of the injected credential). Then the plugin's
 * EvaluationService evaluates, scores the 10,000 catalog entities (read
 * through readEntityTargets from fake-catalog.mjs) and stores everything
 * through AksBaselineStore: SQLite (a file; --sqlite-memory for :memory:),
 * and PostgreSQL when --pg or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * gives one.
 *
 * Each database is measured in its own process (so that one does not
 * inflate the other's memory), `--runs` times: a run is one `evaluateAll()`,
 * what the scheduled task calls. The first run of a store is cold (empty
 * tables, first SDK loads); later ones replace the results, as a running
 * backend does every 30 minutes. Peak RSS per run is the kernel's
 * high-water mark of the measured process (VmHWM, reset before each run)
 * and sampled process.memoryUsage().rss.
 *
 * Options: --clusters 50 --objects 2000 --entities 10000 --runs 3
 *          --db sqlite,pg (pg only when a connection is given)
 *          --pg [URL]   (default: the env var, else postgres@localhost:5432)
 *          --sqlite-memory (SQLite :memory:, whose data then counts in the
 *            measured RSS; default: a file in a temporary folder, as a
 *            backend with `connection.directory` keeps it)
 *          --sqlite-file PATH (that file instead)
 *          --concurrency N (aksBaseline.concurrency; plugin default 4)
 *          --templates 10 (generator seeds reused round-robin)
 *          --target-ms 30000 --target-rss-mb 1024 --out FILE --verbose
 *          --no-vacuum (PostgreSQL: measure without the plain VACUUM that
 *            otherwise runs after each run, as autovacuum would)
 *
 * Stored size: after each run, the database's bytes (SQLite: the file's
 * pages, of which the free ones are reused by later writes; PostgreSQL:
 * pg_database_size after a plain VACUUM (ANALYZE), which makes dead rows'
 * space reusable without giving it back), the growth over the previous run,
 * and the size projected after 90 days of 30-minute cycles from the median
 * growth of the runs after the first (the fake fleet does not change
 * between runs: those are unchanged cycles).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs, usageOf } from '../lib/args.mjs';
import {
  countingLogger,
  FLEET_TOKEN,
  pluginOnFakeFleet,
  trustFakeArm,
} from './azure-fleet.mjs';
import { FLEET } from './defaults.mjs';
import { memorySampler, peakRss } from './memory.mjs';
import { postgresUrl, recreateDatabase, withDatabase } from './postgres.mjs';
import { startFleet } from './fleet.mjs';
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
const self = fileURLToPath(import.meta.url);
/** 90 days of the default schedule (every 30 minutes). */
const CYCLES_90_DAYS = 90 * 48;

if (process.env.AKS_BASELINE_BENCH_CHILD === 'cycle') {
  process.once('disconnect', () => process.exit(1));
  process.once('message', job => {
    runDatabase(job).then(
      result => process.send({ type: 'result', result }, () => process.exit(0)),
      error => {
        console.error(error);
        process.send({ type: 'error', message: String(error?.stack ?? error) });
        process.exit(1);
      },
    );
  });
} else {
  await main();
}

// ================================================================== parent
async function main() {
  const opts = parseArgs(
    process.argv.slice(2),
    {
      ...FLEET,
      runs: 3,
      db: 'sqlite,pg',
      pg: '',
      sqliteFile: '',
      sqliteMemory: false,
      concurrency: 0,
      targetMs: 30000,
      targetRssMb: 1024,
      out: '',
      verbose: false,
      vacuum: true,
    },
    usageOf(import.meta.url),
  );
  const t0 = performance.now();

  const pgUrl = postgresUrl(opts.pg);
  const wanted = String(opts.db)
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  const databases = [];
  if (wanted.includes('sqlite')) databases.push('sqlite');
  if (wanted.includes('pg')) {
    if (pgUrl) databases.push('pg');
    else if (!wanted.includes('sqlite')) {
      console.error('--db pg needs --pg URL or the env var');
      process.exit(2);
    } else {
      log(
        'PostgreSQL skipped: give --pg [URL] or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
      );
    }
  }

  const tlsCert = selfSignedCertificate();
  const fake = await startFleet({
    clusters: opts.clusters,
    objects: opts.objects,
    entities: opts.entities,
    templates: opts.templates,
    token: FLEET_TOKEN,
    arm: { certFile: tlsCert.certFile, keyFile: tlsCert.keyFile },
  });
  log(
    `fake fleet ready in ${(fake.setupMs / 1000).toFixed(1)} s (${
      fake.rssMb
    } MB RSS in its own process)`,
  );

  const results = [];
  const setups = {};
  try {
    for (const db of databases) {
      const out = await runChild({
        db,
        pgUrl,
        opts,
        fake: {
          k8sPort: fake.k8sPort,
          armPort: fake.armPort,
          clusters: fake.clusters,
          entities: fake.entities,
        },
        caPem: tlsCert.cert,
      });
      setups[db] = out.setup;
      results.push(...out.runs);
    }
  } finally {
    await fake.stop();
    tlsCert.cleanup();
  }

  // ----------------------------------------------------------------- report
  const m = machine();
  console.log(
    `\nFull evaluation cycle: ${opts.clusters} clusters x ${
      opts.objects
    } objects, ${opts.entities} entities; ${describeMachine(m)}`,
  );
  console.log(
    'Real @azure/arm-containerservice (https fake) and @kubernetes/client-node (paged Lists, gzip); EvaluationService + AksBaselineStore; one process per database\n',
  );
  table(
    [
      'db',
      'run',
      'wall s',
      'CPU s',
      'peak RSS MB',
      'heap MB',
      'db MB',
      'growth KB',
      'objects',
      'entities',
      'recomputed',
      'failed',
      'requests',
      'MB recv',
      'read/eval/save/entities s',
      'load avg',
    ],
    results.map(r => [
      r.db === 'sqlite'
        ? opts.sqliteMemory
          ? 'sqlite :memory:'
          : 'sqlite file'
        : r.db,
      `${r.run}${r.cold ? ' (cold)' : ''}`,
      (r.wallMs / 1000).toFixed(2),
      (r.cpuMs / 1000).toFixed(2),
      r.peakRssMb,
      r.peakHeapUsedMb,
      r.databaseMb,
      r.growthBytes === null ? '' : (r.growthBytes / 1024).toFixed(0),
      r.objects,
      r.entitiesScored,
      r.entitiesRecomputed,
      r.failed,
      r.requests.arm + r.requests.kubernetes,
      r.requests.mbReceived,
      [
        r.phases.readMs,
        r.phases.evaluateMs,
        r.phases.saveMs,
        r.phases.refreshEntitiesMs,
      ]
        .map(v => (v / 1000).toFixed(1))
        .join('/'),
      r.loadAverage.before.join(' '),
    ]),
  );
  console.log(
    "  read/eval/save: summed over clusters (4 run at once); entities: the pass's refresh of the entity rows (wall), which recomputes only the entities whose parts changed (recomputed)",
  );
  console.log(
    `  db MB: the stored data after the run${
      opts.sqliteMemory
        ? ' (SQLite :memory: holds it in the measured process: part of its RSS)'
        : ''
    }${
      opts.vacuum ? ' (PostgreSQL: after a plain VACUUM (ANALYZE))' : ''
    }; growth KB: over the previous run`,
  );
  const growth = {};
  for (const db of databases) {
    growth[db] = projectGrowth(results.filter(r => r.db === db));
    const g = growth[db];
    if (!g) continue;
    console.log(
      `  ${db}: ${g.unchangedRuns} unchanged cycles grew the store by ${(
        g.medianBytes / 1024
      ).toFixed(0)} KB each (median; ${g.percent.toFixed(
        3,
      )} %); after 90 days of 30-minute cycles (${CYCLES_90_DAYS}): ${(
        g.projectedBytes /
        1024 ** 3
      ).toFixed(2)} GB (now ${(g.lastBytes / 1024 ** 2).toFixed(0)} MB)`,
    );
  }

  console.log(
    `  RSS before the first run (Node, modules, catalog): ${Object.entries(
      setups,
    )
      .map(([db, setup]) => `${db} ${setup.idleRssMb} MB`)
      .join(', ')}`,
  );

  let exitCode = 0;
  const verdicts = [];
  for (const db of databases) {
    const rs = results.filter(r => r.db === db);
    const wall = summary(rs.map(r => r.wallMs));
    const rss = summary(rs.map(r => r.peakRssMb));
    const ok =
      wall.median < opts.targetMs &&
      rss.worst < opts.targetRssMb &&
      rs.every(r => r.failed === 0 && r.entitiesScored > 0);
    if (!ok) exitCode = 1;
    verdicts.push({ db, wallMs: wall, peakRssMb: rss, ok });
    console.log(
      `\n${db}: wall best ${(wall.best / 1000).toFixed(2)} s, median ${(
        wall.median / 1000
      ).toFixed(2)} s (target < ${opts.targetMs / 1000} s); peak RSS max ${
        rss.worst
      } MB (target < ${opts.targetRssMb} MB) -> ${ok ? 'OK' : 'MISSED'}`,
    );
  }

  const file = writeResults(
    'backend-cycle',
    {
      benchmark: 'backend-cycle',
      date: new Date().toISOString(),
      machine: m,
      options: { ...opts, pg: pgUrl ? '(given)' : '' },
      setup: {
        fakeFleetMs: fake.setupMs,
        idSlots: fake.slots,
        perDatabase: setups,
        totalMs: Math.round(performance.now() - t0),
      },
      results,
      growth,
      verdicts,
    },
    opts.out || undefined,
  );
  console.log(`\n  results: ${file}`);
  process.exit(exitCode);
}

/** The growth per unchanged cycle (the runs after the first) and what 90 days of it make. */
function projectGrowth(runs) {
  const unchanged = runs.filter(r => !r.cold && r.growthBytes !== null);
  if (unchanged.length === 0) return undefined;
  const sorted = unchanged.map(r => r.growthBytes).sort((a, b) => a - b);
  const medianBytes = sorted[Math.floor(sorted.length / 2)];
  const lastBytes = runs[runs.length - 1].databaseBytes;
  return {
    unchangedRuns: unchanged.length,
    growthBytes: unchanged.map(r => r.growthBytes),
    medianBytes,
    percent: (100 * medianBytes) / lastBytes,
    lastBytes,
    projectedBytes: lastBytes + Math.max(0, medianBytes) * CYCLES_90_DAYS,
  };
}

function runChild(job) {
  return new Promise((resolve, reject) => {
    const child = fork(self, [], {
      env: { ...process.env, AKS_BASELINE_BENCH_CHILD: 'cycle' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', m => {
      if (m?.type === 'result') resolve(m.result);
      else if (m?.type === 'error') reject(new Error(m.message));
    });
    child.once('exit', code => {
      if (code !== 0) reject(new Error(`${job.db} run exited with ${code}`));
    });
    child.send(job);
  });
}

// =================================================================== child
async function runDatabase({ db, pgUrl, opts, fake, caPem }) {
  trustFakeArm(caPem);

  let t = performance.now();
  const knexFactory = require('knex');
  const src = '@aks-baseline/plugin-aks-baseline-backend/src';
  const { AksBaselineStore } = require(`${src}/service/AksBaselineStore`);
  const { EvaluationService } = require(`${src}/service/EvaluationService`);
  const logCounts = { warn: 0, error: 0 };
  const logger = countingLogger(logCounts, { verbose: opts.verbose });
  const plugin = pluginOnFakeFleet({
    fake,
    concurrency: opts.concurrency,
    logger,
  });
  const { settings, sources } = plugin;
  const moduleLoadMs = performance.now() - t;

  // ------------------------------------------------------------------ store
  const PG_DB = `aks_baseline_bench_cycle_${process.pid}`;
  let knex;
  let sqliteDir;
  if (db === 'sqlite') {
    let filename = opts.sqliteFile;
    if (opts.sqliteMemory) filename = ':memory:';
    else if (!filename) {
      sqliteDir = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-sqlite-'));
      filename = join(sqliteDir, 'aks-baseline.sqlite');
    }
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
  } else {
    await recreateDatabase(require, pgUrl, PG_DB);
    knex = knexFactory({
      client: 'pg',
      connection: withDatabase(pgUrl, PG_DB),
    });
  }
  const store = await AksBaselineStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
    logger,
  });

  // Where the time goes: the plugin's own seams, timed from outside.
  const phases = {};
  const timed = (name, fn) =>
    async function timedCall(...args) {
      const s = performance.now();
      try {
        return await fn.apply(this, args);
      } finally {
        phases[name] = (phases[name] ?? 0) + performance.now() - s;
      }
    };
  // How many entities each run recomputed (the rest were unchanged).
  let recomputed = 0;
  const countRecomputed = fn =>
    async function countedCall(...args) {
      const n = await fn.apply(this, args);
      recomputed += n;
      return n;
    };
  for (const source of sources) source.read = timed('readMs', source.read);
  store.saveClusterSuccess = timed('saveMs', store.saveClusterSuccess);
  store.refreshChangedEntities = timed(
    'refreshEntitiesMs',
    countRecomputed(store.refreshChangedEntities),
  );
  const readTargets = timed('catalogMs', plugin.readTargets);

  const service = new EvaluationService({
    store,
    sources,
    rules: plugin.rules,
    baseline: settings.baseline,
    readTargets,
    logger,
    clusterTimeoutMs: settings.clusterTimeoutMs,
    concurrency: settings.concurrency,
  });
  const fakeStats = async path =>
    (await fetch(`http://127.0.0.1:${fake.k8sPort}/_bench/${path}`)).json();

  const runs = [];
  let previousBytes = null;
  globalThis.gc?.();
  // Before any run: Node, the backend's modules, the catalog's entities.
  const idleRssMb = MB(process.memoryUsage.rss());
  try {
    for (let run = 1; run <= opts.runs; run++) {
      globalThis.gc?.();
      await fakeStats('reset');
      logCounts.warn = logCounts.error = 0;
      for (const k of Object.keys(phases)) phases[k] = 0;
      recomputed = 0;
      const loadBefore = load();
      const hwmReset = peakRss.reset();
      const sampler = memorySampler(25);
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const outcomes = await service.evaluateAll({ trigger: 'manual' });
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const sampled = sampler.stop();
      const hwm = hwmReset ? peakRss.read() : undefined;
      const served = await fakeStats('stats');
      const failed = outcomes.filter(o => o.status !== 'success');
      const entityRows = await knex('aks_baseline_entities')
        .whereNotNull('response_gzip')
        .count({ n: '*' })
        .first();
      const clusterRows = await knex('aks_baseline_cluster_results').select(
        'stats',
      );
      const objectCount = clusterRows.reduce(
        (n, r) => n + (JSON.parse(r.stats ?? 'null')?.objects ?? 0),
        0,
      );
      // The stored data (in this process's memory for SQLite :memory:);
      // PostgreSQL's dead rows made reusable first, as autovacuum would.
      if (db === 'pg' && opts.vacuum) await knex.raw('VACUUM (ANALYZE)');
      const dbBytes =
        db === 'sqlite'
          ? (
              await knex.raw(
                'select page_count * page_size as n from pragma_page_count(), pragma_page_size()',
              )
            )[0].n
          : (
              await knex.raw(
                'select pg_database_size(current_database())::bigint as n',
              )
            ).rows[0].n;
      // Each cluster's run: from its start to its save (reads overlap).
      const clusterMs = (await store.listRuns({ limit: fake.clusters.length }))
        .map(r => r.durationMs ?? 0)
        .sort((a, b) => a - b);
      const readMs = phases.readMs ?? 0;
      const saveMs = phases.saveMs ?? 0;
      const result = {
        db,
        run,
        cold: run === 1,
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        peakRssMb: MB(Math.max(hwm ?? 0, sampled.peakRss)),
        peakRssSampledMb: MB(sampled.peakRss),
        peakRssKernelMb: hwm !== undefined ? MB(hwm) : null,
        peakHeapUsedMb: MB(sampled.peakHeapUsed),
        databaseMb: MB(Number(dbBytes)),
        databaseBytes: Number(dbBytes),
        growthBytes:
          previousBytes === null ? null : Number(dbBytes) - previousBytes,
        clusters: outcomes.length,
        failed: failed.length,
        objects: objectCount,
        failingFindings: outcomes.reduce(
          (n, o) =>
            n +
            Object.values(o.counts?.failing ?? {}).reduce((a, b) => a + b, 0),
          0,
        ),
        entitiesScored: Number(entityRows?.n ?? 0),
        entitiesRecomputed: recomputed,
        phases: {
          readMs: Math.round(readMs),
          // The rest of each cluster's run: evaluate() and entity scoring.
          evaluateMs: Math.max(
            0,
            Math.round(clusterMs.reduce((a, b) => a + b, 0) - readMs - saveMs),
          ),
          saveMs: Math.round(saveMs),
          refreshEntitiesMs: Math.round(phases.refreshEntitiesMs ?? 0),
          catalogMs: Math.round(phases.catalogMs ?? 0),
        },
        clusterMs: {
          median: clusterMs[Math.floor(clusterMs.length / 2)],
          max: clusterMs[clusterMs.length - 1],
        },
        requests: {
          arm: served.armRequests,
          kubernetes: served.k8sRequests,
          unauthorized: served.unauthorized,
          mbReceived: MB(served.bytesSent),
          mbJson: MB(served.bytesUncompressed),
        },
        warnings: logCounts.warn,
        errors: logCounts.error,
        loadAverage: { before: loadBefore, after: load() },
      };
      if (failed.length) {
        result.failures = failed
          .slice(0, 5)
          .map(f => `${f.cluster}: ${f.error}`);
      }
      previousBytes = Number(dbBytes);
      runs.push(result);
      log(
        `${db} run ${run}: ${(wallMs / 1000).toFixed(1)} s wall, ${(
          result.cpuMs / 1000
        ).toFixed(1)} s CPU, peak RSS ${result.peakRssMb} MB, ${
          result.objects
        } objects, ${result.entitiesScored} entities scored (${
          result.entitiesRecomputed
        } recomputed), ${failed.length} failed, load ${loadBefore.join(' ')}`,
      );
      for (const f of result.failures ?? []) log(`  failed: ${f}`);
    }
  } finally {
    await knex.destroy();
    if (db === 'pg') await recreateDatabase(require, pgUrl, PG_DB, false);
    if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
  }
  return {
    setup: { moduleLoadMs: Math.round(moduleLoadMs), idleRssMb },
    runs,
  };
}
