/*
 * Backend benchmark: evaluation spread over replicas on one PostgreSQL.
 *
 *   yarn workspace bench backend:replicas [options]
 *
 * The fake fleet (fake-fleet.mjs, its own process) is read through the
 * plugin's REAL Azure sources and SDK clients, as in cycle.mjs. For each
 * replica count (--replicas 1,2,4) a fresh PostgreSQL database is made and
 * that many replica processes start on it, each what a backend replica runs
 * of the plugin: its own connection pool, RunClaims, ClusterWork (the work
 * table), EvaluationService and ClusterTasks taking queued clusters while it
 * has a free slot (`--concurrency`, the plugin's default 4). Then one
 * replica is asked for a manual "evaluate all" (ClusterTasks.evaluateAll,
 * what POST /evaluations does): the fleet is queued and every replica takes
 * its share. Measured per replica count, in one run:
 *
 * - cycle time: from the request to the pass's end (every cluster
 *   evaluated, then the pass's sweep on the replica asked), and to the last
 *   cluster's run finished;
 * - each replica's clusters, CPU (and per cluster), entities recomputed
 *   and peak RSS (the kernel's VmHWM, reset when the pass starts, and
 *   sampled RSS), also by phase: its clusters, up to its first entity
 *   refresh, then the refreshes; its RSS and heap every second (results
 *   file); the CPU of all replicas together, the work of a pass;
 * - no cluster evaluated twice (runs per cluster in the database), every
 *   run a success, the stored rows (runs, cluster results, findings,
 *   entities and their answers) the same at every replica count, and no
 *   entity left marked to recompute.
 *
 * Options: --clusters 500 --objects 2000 --entities 10000 --templates 10
 *          --replicas 1,2,4 --concurrency 4
 *          --pg [URL] (default: the env var, else postgres@localhost:5432)
 *          --target-ratio 0.35 --target-rss-mb 1024 --out FILE --verbose
 *          --live-heap (a full GC before each cluster save and after each
 *          read of entity parts, and the largest heap then: what is live in
 *          each phase; slows the pass, its CPU and peaks are not the usual ones)
 *          --heap-mb N (each replica's --max-old-space-size, as a container's
 *          memory limit would size V8's heap; 0, the default: Node's own
 *          limit for this machine's memory)
 */
import { fork } from 'node:child_process';
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
import { startFleet } from './fleet.mjs';
import { memorySampler, memoryTimeline, peakRss } from './memory.mjs';
import { ask, nextMessage } from './processes.mjs';
import { postgresUrl, recreateDatabase, withDatabase } from './postgres.mjs';
import {
  describeMachine,
  load,
  log,
  machine,
  MB,
  table,
  writeResults,
} from './report.mjs';
import { selfSignedCertificate } from './tls.mjs';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const DATABASE = 'aks_baseline_bench_replicas';
/** What each replica count leaves stored; equal counts: no row lost. */
const COUNTED_TABLES = [
  'aks_baseline_runs',
  'aks_baseline_cluster_results',
  'aks_baseline_cluster_findings',
  'aks_baseline_entity_scores',
  'aks_baseline_entities',
  'aks_baseline_cluster_work',
  // Entities still to recompute after the pass: none.
  'aks_baseline_entities_to_refresh',
];

if (process.env.AKS_BASELINE_BENCH_CHILD === 'replica') {
  process.once('disconnect', () => process.exit(1));
  await runReplica();
} else {
  await main();
}

// ================================================================== parent
async function main() {
  const opts = parseArgs(
    process.argv.slice(2),
    {
      clusters: 500,
      objects: 2000,
      entities: 10000,
      templates: 10,
      replicas: '1,2,4',
      concurrency: 4,
      pg: '',
      targetRatio: 0.35,
      targetRssMb: 1024,
      liveHeap: false,
      heapMb: 0,
      out: '',
      verbose: false,
    },
    usageOf(import.meta.url),
  );
  const pgUrl = postgresUrl(opts.pg, true);
  const counts = String(opts.replicas)
    .split(',')
    .map(Number)
    .filter(n => n > 0);
  const tlsCert = selfSignedCertificate();
  const fake = await startFleet({
    clusters: opts.clusters,
    objects: opts.objects,
    entities: opts.entities,
    templates: opts.templates,
    token: FLEET_TOKEN,
    arm: { certFile: tlsCert.certFile, keyFile: tlsCert.keyFile },
  });
  log(`fake fleet ready in ${(fake.setupMs / 1000).toFixed(1)} s`);
  const results = [];
  try {
    for (const replicas of counts) {
      results.push(
        await measure({ replicas, opts, pgUrl, fake, caPem: tlsCert.cert }),
      );
    }
  } finally {
    await recreateDatabase(require, pgUrl, DATABASE, false).catch(() => {});
    await fake.stop();
    tlsCert.cleanup();
  }
  report(results, opts);
}

/** One replica count: fresh database, replicas started, one pass. */
async function measure({ replicas, opts, pgUrl, fake, caPem }) {
  await recreateDatabase(require, pgUrl, DATABASE);
  const job = {
    url: withDatabase(pgUrl, DATABASE),
    caPem,
    opts,
    fake: {
      k8sPort: fake.k8sPort,
      armPort: fake.armPort,
      clusters: fake.clusters,
      entities: fake.entities,
    },
  };
  const children = [];
  try {
    // One after the other: the first applies the migrations.
    for (let i = 0; i < replicas; i++) {
      const child = fork(self, [], {
        env: { ...process.env, AKS_BASELINE_BENCH_CHILD: 'replica' },
        execArgv:
          opts.heapMb > 0
            ? [...process.execArgv, `--max-old-space-size=${opts.heapMb}`]
            : process.execArgv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      const ready = nextMessage(child, 'ready');
      child.send({ type: 'init', job: { ...job, index: i } });
      await ready;
    }
    await Promise.all(children.map(c => ask(c, { type: 'reset' })));
    const loadBefore = load();
    log(`${replicas} replica(s): evaluating ${fake.clusters.length} clusters`);
    const started = performance.now();
    const pass = await ask(children[0], { type: 'evaluateAll' });
    const wallMs = performance.now() - started;
    const perReplica = await Promise.all(
      children.map(c => ask(c, { type: 'stats' })),
    );
    const stored = await ask(children[0], { type: 'stored' });
    const result = {
      replicas,
      wallMs: Math.round(wallMs),
      lastRunMs: stored.lastFinishedAt - pass.startedAt,
      passAlreadyRunning: pass.alreadyRunning,
      perReplica,
      stored,
      loadAverage: { before: loadBefore, after: load() },
    };
    log(
      `${replicas} replica(s): ${(wallMs / 1000).toFixed(
        1,
      )} s; clusters ${perReplica
        .map(r => r.clusters)
        .join('/')}; peak RSS ${perReplica
        .map(r => r.peakRssMb)
        .join('/')} MB; load ${loadBefore.join(' ')}`,
    );
    return result;
  } finally {
    await Promise.all(
      children.map(c =>
        c.exitCode === null
          ? ask(c, { type: 'stop' }).catch(() => c.kill('SIGKILL'))
          : undefined,
      ),
    );
  }
}

function report(results, opts) {
  const m = machine();
  console.log(
    `\nEvaluation spread over replicas: ${opts.clusters} clusters x ${
      opts.objects
    } objects, ${opts.entities} entities, concurrency ${
      opts.concurrency
    } per replica${
      opts.heapMb > 0 ? `, heap limit ${opts.heapMb} MB per replica` : ''
    }, one PostgreSQL; ${describeMachine(m)}\n`,
  );
  const base = results.find(r => r.replicas === 1) ?? results[0];
  table(
    [
      'replicas',
      'cycle s',
      'ratio',
      'last run s',
      'clusters per replica',
      'CPU s per replica',
      'CPU s per cluster, per replica',
      'CPU s, all replicas',
      'entities recomputed per replica',
      'peak RSS MB per replica',
      'peak RSS MB clusters / refresh',
      'runs',
      'twice',
      'failed',
      'load avg',
    ],
    results.map(r => [
      r.replicas,
      (r.wallMs / 1000).toFixed(1),
      (r.wallMs / base.wallMs).toFixed(2),
      (r.lastRunMs / 1000).toFixed(1),
      r.perReplica.map(p => p.clusters).join(' / '),
      r.perReplica.map(p => (p.cpuMs / 1000).toFixed(0)).join(' / '),
      r.perReplica
        .map(p => (p.cpuMs / 1000 / Math.max(1, p.clusters)).toFixed(2))
        .join(' / '),
      (r.perReplica.reduce((n, p) => n + p.cpuMs, 0) / 1000).toFixed(0),
      r.perReplica.map(p => p.entitiesRecomputed).join(' / '),
      r.perReplica.map(p => p.peakRssMb).join(' / '),
      r.perReplica
        .map(
          p =>
            `${p.byPhase.clusters.peakRssMb} / ${
              p.byPhase.refresh?.peakRssMb ?? '-'
            }`,
        )
        .join(', '),
      r.stored.runs,
      r.stored.evaluatedTwice,
      r.stored.failed,
      r.loadAverage.before.join(' '),
    ]),
  );
  console.log(
    '  cycle: from the manual "evaluate all" to its end (every cluster, then the sweep); last run: to the last cluster run finished',
  );
  console.log(
    "  peak RSS clusters / refresh: up to the replica's first entity refresh, and from then on (RSS never falls back, so the second includes the first's retained pages)",
  );
  if (opts.liveHeap) {
    console.log(
      `  live heap MB (after a full GC) at cluster saves / after an entity refresh's read of parts: ${results
        .map(
          r =>
            `${r.replicas} replica(s): ${r.perReplica
              .map(p => `${p.liveHeapMb.saves} / ${p.liveHeapMb.partsRead}`)
              .join(', ')}`,
        )
        .join('; ')}`,
    );
  }
  console.log('\n  rows stored after the pass:');
  table(
    ['replicas', ...COUNTED_TABLES.map(t => t.replace('aks_baseline_', ''))],
    results.map(r => [
      r.replicas,
      ...COUNTED_TABLES.map(t => r.stored.rows[t]),
    ]),
  );

  let ok = true;
  const verdicts = results.map(r => {
    const rowsEqual = COUNTED_TABLES.every(
      t => r.stored.rows[t] === base.stored.rows[t],
    );
    const rssOk = r.perReplica.every(p => p.peakRssMb < opts.targetRssMb);
    const correct =
      r.stored.rows.aks_baseline_entities_to_refresh === 0 &&
      r.stored.evaluatedTwice === 0 &&
      r.stored.failed === 0 &&
      r.stored.runs === opts.clusters &&
      rowsEqual;
    if (!rssOk || !correct) ok = false;
    return {
      replicas: r.replicas,
      ratio: r.wallMs / base.wallMs,
      rssOk,
      correct,
      rowsEqual,
    };
  });
  for (const v of verdicts) {
    console.log(
      `  ${v.replicas} replica(s): ${v.ratio.toFixed(2)}x the cycle of one${
        v.replicas === 4 ? ` (goal <= ${opts.targetRatio})` : ''
      }; every cluster once, no failure, the same rows, no entity left to recompute: ${
        v.correct ? 'yes' : 'NO'
      }; peak RSS < ${opts.targetRssMb} MB: ${v.rssOk ? 'yes' : 'NO'}`,
    );
  }
  const file = writeResults(
    'backend-replicas',
    {
      benchmark: 'backend-replicas',
      date: new Date().toISOString(),
      machine: m,
      options: { ...opts, pg: '(given)' },
      results,
      verdicts,
    },
    opts.out || undefined,
  );
  console.log(`\n  results: ${file}`);
  process.exit(ok ? 0 : 1);
}

// =================================================================== child
async function runReplica() {
  const { job } = await nextMessage(process, 'init');
  const { opts, fake } = job;
  trustFakeArm(job.caPem);
  const knexFactory = require('knex');
  const src = '@aks-baseline/plugin-aks-baseline-backend/src';
  const { AksBaselineStore } = require(`${src}/service/AksBaselineStore`);
  const { EvaluationService } = require(`${src}/service/EvaluationService`);
  const { ClusterTasks } = require(`${src}/service/ClusterTasks`);
  const { ClusterWork } = require(`${src}/database/ClusterWork`);
  const { RunClaims } = require(`${src}/database/RunClaims`);

  let evaluated = 0;
  const logCounts = { warn: 0, error: 0 };
  const logger = countingLogger(logCounts, {
    verbose: opts.verbose,
    onInfo: message => {
      if (message.startsWith('Evaluated cluster ')) evaluated++;
    },
  });
  const plugin = pluginOnFakeFleet({
    fake,
    concurrency: opts.concurrency,
    logger,
  });
  const { settings, sources } = plugin;
  const knex = knexFactory({ client: 'pg', connection: job.url });
  const database = { getClient: async () => knex, migrations: { skip: false } };
  const store = await AksBaselineStore.create({ database, logger });
  // The entities this replica recomputed (each marked one once, any replica).
  let recomputed = 0;
  // Memory by phase: the clusters until this replica's first entity
  // refresh (the pass's end, or the sweep), the refreshes from then on.
  let phases;
  const refreshChanged = store.refreshChangedEntities.bind(store);
  store.refreshChangedEntities = async (...args) => {
    phases?.refreshStarts();
    const n = await refreshChanged(...args);
    recomputed += n;
    return n;
  };
  // --live-heap: the heap after a full GC when a cluster's results are
  // saved, and when an entity refresh has read parts (what each phase
  // holds live at its fullest).
  const liveHeap = { saves: 0, partsRead: 0 };
  if (opts.liveHeap) {
    const measure = key => {
      globalThis.gc();
      liveHeap[key] = Math.max(liveHeap[key], process.memoryUsage().heapUsed);
    };
    const save = store.saveClusterSuccess.bind(store);
    store.saveClusterSuccess = async input => {
      measure('saves');
      return save(input);
    };
    const {
      EntityScoresRepository,
    } = require(`${src}/database/EntityScoresRepository`);
    const readParts = EntityScoresRepository.prototype.readParts;
    EntityScoresRepository.prototype.readParts = async function read(...args) {
      const parts = await readParts.apply(this, args);
      measure('partsRead');
      return parts;
    };
  }
  const holder = `replica-${job.index + 1}-${process.pid}`;
  const claims = new RunClaims(knex, { holder });
  const work = new ClusterWork(knex, { holder });
  const service = new EvaluationService({
    store,
    claims,
    sources,
    rules: plugin.rules,
    baseline: settings.baseline,
    readTargets: plugin.readTargets,
    logger,
    clusterTimeoutMs: settings.clusterTimeoutMs,
    concurrency: settings.concurrency,
  });
  // The cycle's task is the scheduler's; here the pass is a manual one.
  const tasks = new ClusterTasks({
    scheduler: { scheduleTask: async () => {} },
    service,
    work,
    store,
    logger,
    taskId: 'aks-baseline-evaluate',
    schedule: {
      ...settings.schedule,
      initialDelay: { hours: 1 },
    },
    concurrency: settings.concurrency,
  });
  await tasks.start();

  let cpuBefore = process.cpuUsage();
  let sampler = memorySampler(25);
  let hwmReset = false;
  let timeline = memoryTimeline(1000);
  process.on('message', async m => {
    try {
      if (m?.type === 'reset') {
        globalThis.gc?.();
        evaluated = 0;
        recomputed = 0;
        liveHeap.saves = 0;
        liveHeap.partsRead = 0;
        hwmReset = peakRss.reset();
        sampler.stop();
        sampler = memorySampler(25);
        timeline.stop();
        timeline = memoryTimeline(1000);
        phases = memoryPhases(sampler, hwmReset);
        cpuBefore = process.cpuUsage();
        process.send({ type: 'reset' });
      } else if (m?.type === 'evaluateAll') {
        const startedAt = Date.now();
        const started = await tasks.evaluateAll({ trigger: 'manual' });
        await started.done;
        process.send({
          type: 'evaluateAll',
          startedAt,
          alreadyRunning: started.alreadyRunning,
        });
      } else if (m?.type === 'stats') {
        await tasks.idle();
        const cpu = process.cpuUsage(cpuBefore);
        const byPhase = phases.end();
        process.send({
          type: 'stats',
          holder,
          clusters: evaluated,
          entitiesRecomputed: recomputed,
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
          peakRssMb: Math.max(
            byPhase.clusters.peakRssMb,
            byPhase.refresh?.peakRssMb ?? 0,
          ),
          byPhase,
          ...(opts.liveHeap
            ? {
                liveHeapMb: {
                  saves: MB(liveHeap.saves),
                  partsRead: MB(liveHeap.partsRead),
                },
              }
            : {}),
          timeline: timeline.stop(),
          warnings: logCounts.warn,
          errors: logCounts.error,
        });
      } else if (m?.type === 'stored') {
        process.send({ type: 'stored', ...(await storedRows(knex)) });
      } else if (m?.type === 'stop') {
        await tasks.stop();
        claims.close();
        await knex.destroy();
        process.send({ type: 'stop' }, () => process.exit(0));
      }
    } catch (error) {
      process.send({ type: 'error', message: String(error?.stack ?? error) });
    }
  });
  process.send({ type: 'ready' });
}

/**
 * Peak RSS (VmHWM, and sampled) and peak sampled heap of the clusters'
 * phase, up to `refreshStarts`, and of the refreshes' phase after it.
 */
function memoryPhases(firstSampler, hwmReset) {
  const startedAt = Date.now();
  let sampler = firstSampler;
  let clusters;
  const close = sampled => ({
    peakRssMb: MB(Math.max((hwmReset && peakRss.read()) || 0, sampled.peakRss)),
    peakHeapMb: MB(sampled.peakHeapUsed),
  });
  return {
    refreshStarts() {
      if (clusters) return;
      clusters = {
        ...close(sampler.stop()),
        endsAtS: (Date.now() - startedAt) / 1000,
      };
      peakRss.reset();
      sampler = memorySampler(25);
    },
    end() {
      if (!clusters) return { clusters: close(sampler.stop()) };
      return { clusters, refresh: close(sampler.stop()) };
    },
  };
}

/** Rows per table, runs per cluster, failures and the last run's end. */
async function storedRows(knex) {
  const rows = {};
  for (const t of COUNTED_TABLES) {
    rows[t] = Number((await knex(t).count({ n: '*' }).first()).n);
  }
  const twice = await knex('aks_baseline_runs')
    .select('cluster')
    .groupBy('cluster')
    .havingRaw('count(*) > 1');
  const failed = await knex('aks_baseline_runs')
    .whereNot('status', 'success')
    .count({ n: '*' })
    .first();
  const last = await knex('aks_baseline_runs')
    .max({ at: 'finished_at' })
    .first();
  return {
    rows,
    runs: rows.aks_baseline_runs,
    evaluatedTwice: twice.length,
    failed: Number(failed.n),
    lastFinishedAt: new Date(last.at).getTime(),
  };
}
