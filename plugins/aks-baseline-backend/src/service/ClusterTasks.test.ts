/*
 * Each cluster its own task, on Backstage's real scheduler
 * (DefaultSchedulerService), two replicas on one database: SQLite (a file,
 * two connections) and PostgreSQL when available.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import knexFactory, { Knex } from 'knex';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  ClusterSnapshot,
  ClusterSource,
  RULE_CATALOG,
  readSnapshotDirectory,
} from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from './AksBaselineStore';
import { RunClaims } from '../database/RunClaims';
import { EvaluationService } from './EvaluationService';
import { ClusterTasks, clusterTaskId, cycleOffsetMs } from './ClusterTasks';

jest.setTimeout(120_000);

const FIXTURE = path.resolve(
  __dirname,
  '../__fixtures__/clusters/aks-prod-westeurope',
);
const PREFIX = 'aks-baseline-evaluate';
const CYCLE_MS = 30_000;
/** The scheduler's own table. */
const TASKS = 'backstage_backend_tasks__tasks';

/**
 * Cluster names whose tasks come due in the first half of the cycle, so that
 * a test sees every cluster's first run and none of their second.
 */
function clusterNames(
  count: number,
  dueFromMs = 0,
  dueBeforeMs = CYCLE_MS / 2,
  prefix = 'aks-fleet',
): string[] {
  const names: string[] = [];
  for (let i = 0; names.length < count; i++) {
    const name = `${prefix}-${i}`;
    const offset = cycleOffsetMs(name, CYCLE_MS);
    if (offset >= dueFromMs && offset < dueBeforeMs) names.push(name);
  }
  return names;
}

/** Reads of each cluster on one replica. */
type Reads = Record<string, number>;

function source(
  name: string,
  reads: Reads,
  hang?: { cluster: string; started: () => void },
): ClusterSource {
  return {
    name,
    kind: 'snapshot',
    async read(): Promise<ClusterSnapshot> {
      reads[name] = (reads[name] ?? 0) + 1;
      if (hang?.cluster === name) {
        hang.started();
        // A replica that dies mid-read never answers.
        await new Promise(() => {});
      }
      await new Promise(r => setTimeout(r, 200));
      return readSnapshotDirectory(FIXTURE, name);
    },
  };
}

const metrics = {
  createCounter: () => ({ add() {} }),
  createUpDownCounter: () => ({ add() {} }),
  createHistogram: () => ({ record() {} }),
  createGauge: () => ({ record() {} }),
} as unknown as MetricsService;

/**
 * What the scheduler's janitor does every minute in a real backend (it is
 * not started when NODE_ENV is test): frees the tasks whose run timed out,
 * leaving their due time as it was.
 */
async function runSchedulerJanitor(knex: Knex): Promise<void> {
  await knex(TASKS).where('current_run_expires_at', '<', knex.fn.now()).update({
    current_run_ticket: null,
    current_run_started_at: null,
    current_run_expires_at: null,
    last_run_ended_at: knex.fn.now(),
  });
}

async function twoConnections(
  databases: TestDatabases,
  id: string,
): Promise<{ knexes: [Knex, Knex]; cleanup: () => Promise<void> }> {
  if (id === 'SQLITE_FILE') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-tasks-'));
    const open = () =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'db.sqlite') },
        useNullAsDefault: true,
      });
    const knexes: [Knex, Knex] = [open(), open()];
    return {
      knexes,
      cleanup: async () => {
        await Promise.all(knexes.map(k => k.destroy()));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const first = await databases.init(id as 'POSTGRES_15');
  const second = knexFactory({
    client: first.client.config.client,
    connection: first.client.config.connection,
  });
  return {
    // The second connection is ours to destroy (a replica dying).
    knexes: [first, second],
    cleanup: () => second.destroy(),
  };
}

interface Replica {
  store: AksBaselineStore;
  service: EvaluationService;
  tasks: ClusterTasks;
  reads: Reads;
  logLines: string[];
  /** Starts the scheduler's workers (the tasks' registration). */
  start(): Promise<void>;
  /** Stops the workers, as a backend's shutdown does. */
  stop(): Promise<void>;
}

describe('a task per cluster on the real scheduler, two replicas', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  const ids = ['SQLITE_FILE', ...databases.eachSupportedId().map(([id]) => id)];
  let cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
  });

  async function replica(
    knex: Knex,
    holder: string,
    clusters: string[],
    options: {
      clusterTimeoutMs?: number;
      hang?: { cluster: string; started: () => void };
    } = {},
  ): Promise<Replica> {
    const reads: Reads = {};
    const logLines: string[] = [];
    const logger = mockServices.logger.mock({
      info: (message: string) => {
        logLines.push(message);
      },
    });
    logger.child.mockReturnValue(logger);
    const database = mockServices.database({ knex });
    const store = await AksBaselineStore.create({
      database,
      answerCache: false,
    });
    const claims = new RunClaims(knex, { holder, ttlMs: 1000 });
    const service = new EvaluationService({
      store,
      claims,
      sources: clusters.map(name => source(name, reads, options.hang)),
      rules: RULE_CATALOG,
      readTargets: async () => [],
      logger,
      clusterTimeoutMs: options.clusterTimeoutMs ?? 2000,
      concurrency: 2,
      pollMs: 50,
    });
    const shutdownHooks: Array<() => void | Promise<void>> = [];
    const scheduler = DefaultSchedulerService.create({
      database,
      logger: mockServices.logger.mock(),
      metrics,
      rootLifecycle: {
        addStartupHook() {},
        addBeforeShutdownHook() {},
        addShutdownHook(hook: () => void | Promise<void>) {
          shutdownHooks.push(hook);
        },
      } as any,
      httpRouter: { use() {}, addAuthPolicy() {} } as any,
      pluginMetadata: { getId: () => 'aks-baseline' },
    });
    const tasks = new ClusterTasks({
      scheduler,
      service,
      logger,
      prefix: PREFIX,
      schedule: {
        frequency: { milliseconds: CYCLE_MS },
        timeout: { minutes: 1 },
      },
      clusterTimeoutMs: options.clusterTimeoutMs ?? 2000,
      marginMs: 1000,
      // Due times spread over the whole cycle.
      spreadPerClusterMs: CYCLE_MS,
      concurrency: 2,
    });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      claims.close();
      for (const hook of shutdownHooks) await hook();
    };
    cleanups.push(stop);
    return {
      store,
      service,
      tasks,
      reads,
      logLines,
      start: async () => {
        await tasks.sync();
      },
      stop,
    };
  }

  /** Waits until `check` holds, running `tick` meanwhile. */
  async function until(
    check: () => Promise<boolean>,
    tick: () => Promise<void> = async () => {},
  ): Promise<void> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > 60_000) throw new Error('Timed out waiting');
      await tick();
      await new Promise(r => setTimeout(r, 250));
    }
  }

  async function finishedRuns(store: AksBaselineStore) {
    const runs = await store.listRuns({ limit: 500 });
    return runs.filter(r => r.status !== 'running');
  }

  it.each(ids)(
    'evaluates each of 10 clusters exactly once in a cycle across both replicas, each cluster its own task, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      const clusters = clusterNames(10);
      const one = await replica(knexes[0], 'replica-1', clusters);
      const two = await replica(knexes[1], 'replica-2', clusters);
      await one.start();
      await two.start();

      await until(
        async () => (await finishedRuns(one.store)).length >= clusters.length,
      );
      // Past the last due time of the first half of the cycle and a poll.
      await new Promise(r => setTimeout(r, 6000));
      await one.stop();
      await two.stop();

      const runs = await one.store.listRuns({ limit: 500 });
      expect(runs.map(r => r.cluster).sort()).toEqual([...clusters].sort());
      expect(runs.every(r => r.status === 'success')).toBe(true);
      expect(runs.every(r => r.trigger === 'schedule')).toBe(true);
      for (const cluster of clusters) {
        expect((one.reads[cluster] ?? 0) + (two.reads[cluster] ?? 0)).toBe(1);
      }
      // Which replica ran what follows the moments each polls (every 5 s),
      // not its load: here the one registered first claims each task as it
      // comes due. Sharing is not guaranteed by the scheduler (see README).
      expect(
        Object.keys(one.reads).length + Object.keys(two.reads).length,
      ).toBe(clusters.length);
      const taskIds = (await knexes[0](TASKS).select('id'))
        .map(r => r.id)
        .sort();
      expect(taskIds).toEqual(
        clusters.map(c => clusterTaskId(PREFIX, c)).sort(),
      );
    },
  );

  it.each(ids)(
    'loses only the cluster of a replica that dies mid-evaluation, which the other evaluates after the timeout, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      // Due first, alone: the dying replica holds it and nothing else.
      const [doomed] = clusterNames(1, 0, 1500, 'aks-doomed');
      const clusters = [doomed, ...clusterNames(5, 6000)];
      let hangStarted = false;
      // The replica that dies: its database connection is the one we own.
      const dying = await replica(knexes[1], 'replica-dying', clusters, {
        hang: {
          cluster: doomed,
          started: () => {
            hangStarted = true;
          },
        },
      });
      const survivor = await replica(knexes[0], 'replica-survivor', clusters);
      await dying.start();
      // The doomed cluster's task is claimed by the dying replica alone.
      await until(async () => hangStarted);
      await survivor.start();
      // Dies mid-read: no database any more (nothing recorded or released),
      // then no workers.
      await knexes[1].destroy();
      await dying.stop();

      await until(
        async () =>
          (
            await finishedRuns(survivor.store)
          ).filter(r => r.status === 'success').length >= clusters.length,
        () => runSchedulerJanitor(knexes[0]),
      );
      await survivor.stop();

      // The doomed cluster: read once by each, evaluated by the survivor.
      expect(dying.reads[doomed]).toBe(1);
      expect(survivor.reads[doomed]).toBe(1);
      const runs = await survivor.store.listRuns({ limit: 500 });
      const successes = runs.filter(r => r.status === 'success');
      expect(successes.map(r => r.cluster).sort()).toEqual(
        [...clusters].sort(),
      );
      // Every other cluster exactly once, whichever replica ran it.
      for (const cluster of clusters.slice(1)) {
        expect(
          (dying.reads[cluster] ?? 0) + (survivor.reads[cluster] ?? 0),
        ).toBe(1);
      }
      // The dead replica's run of it is still open (a sweep closes it later).
      expect(
        runs.filter(r => r.cluster === doomed && r.status === 'running'),
      ).toHaveLength(1);
    },
  );

  it.each(ids)(
    'does not run again on schedule the clusters a manual evaluation of all has just run, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      const clusters = clusterNames(4);
      const one = await replica(knexes[0], 'replica-1', clusters);
      const two = await replica(knexes[1], 'replica-2', clusters);
      // Asked of both replicas at once: one pass, each cluster once.
      const [a, b] = await Promise.all([
        one.service.evaluateAll({ trigger: 'manual' }),
        two.service.evaluateAll({ trigger: 'manual' }),
      ]);
      expect(a.every(o => o.status === 'success')).toBe(true);
      expect(b.map(o => o.runId).sort()).toEqual(a.map(o => o.runId).sort());
      await one.start();
      await two.start();
      await until(
        async () =>
          [...one.logLines, ...two.logLines].filter(l =>
            l.startsWith('Scheduled evaluation of cluster'),
          ).length >= clusters.length,
      );
      await one.stop();
      await two.stop();

      for (const cluster of clusters) {
        expect((one.reads[cluster] ?? 0) + (two.reads[cluster] ?? 0)).toBe(1);
      }
      const runs = await one.store.listRuns({ limit: 500 });
      expect(runs).toHaveLength(clusters.length);
      expect(runs.every(r => r.trigger === 'manual')).toBe(true);
    },
  );
});

describe('ClusterTasks registration', () => {
  it('registers a global task per cluster, the new ones after the fleet grows, each due at its own point of the cycle', async () => {
    const scheduler = mockServices.scheduler.mock();
    const fleet = new Set(['aks-a', 'aks-b']);
    const service = {
      clusterNames: () => [...fleet],
    } as unknown as EvaluationService;
    const tasks = new ClusterTasks({
      scheduler,
      service,
      logger: mockServices.logger.mock(),
      prefix: PREFIX,
      schedule: {
        frequency: { minutes: 30 },
        timeout: { minutes: 15 },
        initialDelay: { seconds: 10 },
      },
      clusterTimeoutMs: 120_000,
      concurrency: 4,
    });
    expect(await tasks.sync()).toEqual(['aks-a', 'aks-b']);
    fleet.add('aks-c');
    fleet.delete('aks-a');
    // Only the new one; the departed one's task stays (it does nothing).
    expect(await tasks.sync()).toEqual(['aks-c']);
    const registered = scheduler.scheduleTask.mock.calls.map(([task]) => task);
    expect(registered.map(t => t.id)).toEqual([
      'aks-baseline-evaluate:aks-a',
      'aks-baseline-evaluate:aks-b',
      'aks-baseline-evaluate:aks-c',
    ]);
    for (const task of registered) {
      const cluster = task.id.split(':')[1];
      expect(task).toEqual(
        expect.objectContaining({
          scope: 'global',
          frequency: { minutes: 30 },
          timeout: { milliseconds: 120_000 + 120_000 },
          // Two clusters at each sync: spread over 2 × 2 s.
          initialDelay: {
            milliseconds: 10_000 + cycleOffsetMs(cluster, 4000),
          },
        }),
      );
    }
    const delays = new Set(
      registered.map(
        t => (t.initialDelay as { milliseconds: number }).milliseconds,
      ),
    );
    expect(delays.size).toBe(3);
    // A small fleet is due within seconds of the first start.
    expect(Math.max(...delays)).toBeLessThan(10_000 + 4000);
  });
});
