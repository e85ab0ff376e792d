/*
 * Does Backstage's scheduler carry a task per cluster for hundreds of
 * clusters?
 *
 *   node bench/backend/scheduler-tasks.mjs [--tasks 300] [--replicas 2]
 *        [--seconds 30] [--pg URL]
 *
 * --replicas DefaultSchedulerService instances (as many backends) on one
 * fresh PostgreSQL database each register --tasks global tasks as the
 * plugin does (30-minute frequency; each runs once at once, an empty
 * function, then is not due during the run). After 10 s, the schedulers
 * idle for --seconds. Printed: the time to register the tasks (each
 * replica, one after the other), and the queries the schedulers send while
 * idle (per second, all replicas) with their total database time, counted
 * on each replica's knex.
 */
import { createRequire } from 'module';
import { parseArgs } from 'util';
import { postgresUrl, recreateDatabase, withDatabase } from './postgres.mjs';

const require = createRequire(import.meta.url);
const knexFactory = require('knex');
const {
  DefaultSchedulerService,
} = require('@backstage/backend-defaults/scheduler');

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '300' },
    replicas: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '30' },
    pg: { type: 'string' },
  },
});
const tasks = Number(values.tasks);
const replicas = Number(values.replicas);
const seconds = Number(values.seconds);
const url = postgresUrl(values.pg, true);
const DATABASE = 'aks_baseline_bench_scheduler';

const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silent;
  },
};
const metrics = {
  createCounter: () => ({ add() {} }),
  createUpDownCounter: () => ({ add() {} }),
  createHistogram: () => ({ record() {} }),
  createGauge: () => ({ record() {} }),
};

await recreateDatabase(require, url, DATABASE);
const stops = [];
const knexes = [];
const counters = [];
try {
  const registration = [];
  for (let r = 0; r < replicas; r++) {
    const knex = knexFactory({
      client: 'pg',
      connection: withDatabase(url, DATABASE),
    });
    knexes.push(knex);
    const counter = { queries: 0, ms: 0, started: new Map() };
    counters.push(counter);
    knex.on('query', q => {
      counter.queries++;
      counter.started.set(q.__knexQueryUid, performance.now());
    });
    knex.on('query-response', (_r, q) => {
      const t = counter.started.get(q.__knexQueryUid);
      if (t !== undefined) counter.ms += performance.now() - t;
      counter.started.delete(q.__knexQueryUid);
    });
    const hooks = [];
    const scheduler = DefaultSchedulerService.create({
      database: { getClient: async () => knex },
      logger: silent,
      metrics,
      rootLifecycle: {
        addStartupHook() {},
        addBeforeShutdownHook() {},
        addShutdownHook: hook => hooks.push(hook),
      },
      httpRouter: { use() {}, addAuthPolicy() {} },
      pluginMetadata: { getId: () => 'aks-baseline' },
    });
    stops.push(async () => {
      for (const hook of hooks) await hook();
    });
    const began = performance.now();
    for (let i = 0; i < tasks; i++) {
      await scheduler.scheduleTask({
        id: `aks-baseline-evaluate:bench-${i}`,
        frequency: { minutes: 30 },
        timeout: { minutes: 4 },
        scope: 'global',
        fn: async () => {},
      });
    }
    registration.push(performance.now() - began);
  }
  // Each task runs once at registration (an empty function), then is due
  // 30 minutes later: after a pause, what follows is the steady state.
  await new Promise(r => setTimeout(r, 10_000));
  for (const c of counters) {
    c.queries = 0;
    c.ms = 0;
  }
  await new Promise(r => setTimeout(r, seconds * 1000));
  const queries = counters.reduce((n, c) => n + c.queries, 0);
  const ms = counters.reduce((n, c) => n + c.ms, 0);
  console.log(
    JSON.stringify(
      {
        tasks,
        replicas,
        registrationMs: registration.map(Math.round),
        idleSeconds: seconds,
        queriesPerSecond: +(queries / seconds).toFixed(2),
        databaseMsPerSecond: +(ms / seconds).toFixed(2),
      },
      null,
      2,
    ),
  );
} finally {
  for (const stop of stops) await stop();
  for (const knex of knexes) await knex.destroy();
  await recreateDatabase(require, url, DATABASE, false);
}
