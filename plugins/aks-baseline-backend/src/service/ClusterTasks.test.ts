/*
 * The fleet shared over replicas through the work table (ClusterWork), two
 * replicas on one database: SQLite (a file, two connections) and PostgreSQL
 * when available. Each replica is an EvaluationService with its own
 * connection, RunClaims, ClusterWork and ClusterTasks.
 */
import * as path from 'path';
import { Knex } from 'knex';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ClusterSnapshot,
  ClusterSource,
  RULE_CATALOG,
  readSnapshotDirectory,
} from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from './AksBaselineStore';
import { SQLITE_FILE, twoConnections } from './__testUtils__/twoConnections';
import { RunClaims } from '../database/RunClaims';
import { ClusterWork } from '../database/ClusterWork';
import { EvaluationService } from './EvaluationService';
import { ClusterTasks } from './ClusterTasks';
import { EntityTarget } from '../entities/targets';
import { componentTarget } from './__testUtils__/componentTarget';
import { countMarked } from '../database/entitiesToRefresh';

jest.setTimeout(120_000);

const FIXTURE = path.resolve(
  __dirname,
  '../__fixtures__/clusters/aks-prod-westeurope',
);
const TASK_ID = 'aks-baseline-evaluate';
const CYCLE_MS = 60_000;
const ALICE = 'user:default/alice';

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
      await new Promise(r => setTimeout(r, 300));
      return readSnapshotDirectory(FIXTURE, name);
    },
  };
}

function names(count: number, prefix = 'aks-fleet'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

interface Replica {
  store: AksBaselineStore;
  work: ClusterWork;
  tasks: ClusterTasks;
  reads: Reads;
  logLines: string[];
  stop(): Promise<void>;
}

describe('the fleet shared over two replicas through the work table', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  const ids = [SQLITE_FILE, ...databases.eachSupportedId().map(([id]) => id)];
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
      hang?: { cluster: string; started: () => void };
      targets?: EntityTarget[];
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
    // A run's claim expires before a taken cluster does (as by default).
    const claims = new RunClaims(knex, { holder, ttlMs: 500 });
    const work = new ClusterWork(knex, { holder, ttlMs: 1500 });
    const service = new EvaluationService({
      store,
      claims,
      sources: clusters.map(name => source(name, reads, options.hang)),
      rules: RULE_CATALOG,
      readTargets: async () => options.targets ?? [],
      logger,
      clusterTimeoutMs: 10_000,
      concurrency: 1,
      pollMs: 50,
    });
    const tasks = new ClusterTasks({
      scheduler: mockServices.scheduler.mock(),
      service,
      work,
      store,
      logger,
      taskId: TASK_ID,
      schedule: {
        frequency: { milliseconds: CYCLE_MS },
        timeout: { minutes: 1 },
        // The cycle's pass only when a test queues it.
        initialDelay: { hours: 1 },
      },
      concurrency: 1,
      pollMs: 100,
    });
    await tasks.start();
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      claims.close();
      await tasks.stop();
    };
    cleanups.push(stop);
    return { store, work, tasks, reads, logLines, stop };
  }

  /** Waits until `check` holds. */
  async function until(check: () => Promise<boolean>): Promise<void> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > 60_000) throw new Error('Timed out waiting');
      await new Promise(r => setTimeout(r, 100));
    }
  }

  const total = (a: Reads, b: Reads, cluster: string) =>
    (a[cluster] ?? 0) + (b[cluster] ?? 0);

  it.each(ids)(
    'shares a scheduled pass by load: each replica takes a cluster only with a free slot, each cluster once, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      const clusters = names(8);
      const one = await replica(knexes[0], 'replica-1', clusters);
      const two = await replica(knexes[1], 'replica-2', clusters);

      // The cycle's task, on whichever replica the scheduler runs it.
      const queued = await one.tasks.enqueueAll({ trigger: 'schedule' });
      expect(queued).toEqual({ queued: 8, alreadyRunning: false });
      // Queued again while the pass goes on: nothing is added.
      expect(await two.tasks.enqueueAll({ trigger: 'schedule' })).toEqual({
        queued: 0,
        alreadyRunning: true,
      });
      await until(async () => (await one.work.pending()) === 0);
      await one.tasks.idle();
      await two.tasks.idle();

      for (const cluster of clusters) {
        expect(total(one.reads, two.reads, cluster)).toBe(1);
      }
      // One slot each and 300 ms a cluster: both take a share, neither all.
      const shareOne = Object.keys(one.reads).length;
      const shareTwo = Object.keys(two.reads).length;
      expect(shareOne).toBeGreaterThanOrEqual(2);
      expect(shareTwo).toBeGreaterThanOrEqual(2);
      const runs = await one.store.listRuns({ limit: 100 });
      expect(runs.map(r => r.cluster).sort()).toEqual([...clusters].sort());
      expect(
        runs.every(r => r.status === 'success' && r.trigger === 'schedule'),
      ).toBe(true);
    },
  );

  it.each(ids)(
    'recomputes an entity on every cluster once per pass, after the last cluster, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      const clusters = names(6);
      // On every cluster (each reads the same fixture).
      const targets = [
        componentTarget('checkout-api', 'team-payments', {
          'backstage.io/kubernetes-id': 'checkout-api',
          'backstage.io/kubernetes-namespace': 'payments',
        }),
      ];
      const one = await replica(knexes[0], 'replica-1', clusters, { targets });
      const two = await replica(knexes[1], 'replica-2', clusters, { targets });
      const recomputed: number[] = [];
      for (const { store } of [one, two]) {
        const refresh = store.refreshChangedEntities.bind(store);
        jest
          .spyOn(store, 'refreshChangedEntities')
          .mockImplementation(async (...args) => {
            const n = await refresh(...args);
            recomputed.push(n);
            return n;
          });
      }

      await one.tasks.enqueueAll({ trigger: 'schedule' });
      await until(async () => (await one.work.pending()) === 0);
      await one.tasks.idle();
      await two.tasks.idle();

      expect(recomputed.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await countMarked(knexes[0])).toBe(0);
      const entity = await one.store.getEntity(
        'component:default/checkout-api',
      );
      expect(entity?.entity.clusters).toEqual([...clusters].sort());
    },
  );

  it.each(ids)(
    'fans a manual "evaluate all" out over both replicas, recorded with the user, and the next scheduled pass does not run it again, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      const clusters = names(6);
      const one = await replica(knexes[0], 'replica-1', clusters);
      const two = await replica(knexes[1], 'replica-2', clusters);

      // Asked of both at once: the fleet is queued once.
      const [a, b] = await Promise.all([
        one.tasks.evaluateAll({ trigger: 'manual', requestedBy: ALICE }),
        two.tasks.evaluateAll({ trigger: 'manual', requestedBy: ALICE }),
      ]);
      expect([a.alreadyRunning, b.alreadyRunning].sort()).toEqual([
        false,
        true,
      ]);
      await Promise.all([a.done, b.done]);
      const passer = a.alreadyRunning ? two : one;
      expect(
        passer.logLines.filter(l =>
          /^Evaluated 6 cluster\(s\) in \d+ ms over the replicas; 0 failed$/.test(
            l,
          ),
        ),
      ).toHaveLength(1);
      expect(Object.keys(one.reads).length).toBeGreaterThanOrEqual(1);
      expect(Object.keys(two.reads).length).toBeGreaterThanOrEqual(1);

      // The schedule's pass right after: each cluster skipped, not run again.
      await two.tasks.enqueueAll({ trigger: 'schedule' });
      await until(async () => (await one.work.pending()) === 0);
      await one.tasks.idle();
      await two.tasks.idle();
      for (const cluster of clusters) {
        expect(total(one.reads, two.reads, cluster)).toBe(1);
      }
      const skipped = [...one.logLines, ...two.logLines].filter(l =>
        l.startsWith('Scheduled evaluation of cluster'),
      );
      expect(skipped).toHaveLength(clusters.length);
      const runs = await one.store.listRuns({ limit: 100 });
      expect(runs).toHaveLength(clusters.length);
      expect(
        runs.every(
          r =>
            r.status === 'success' &&
            r.trigger === 'manual' &&
            r.requestedBy === ALICE,
        ),
      ).toBe(true);
    },
  );

  it.each(ids)(
    'loses only the cluster of a replica that dies mid-evaluation, which the other takes once its hold expires, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      const doomed = 'aks-doomed';
      const others = names(4);
      const clusters = [doomed, ...others];
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
      await dying.work.enqueue([doomed], { trigger: 'schedule' });
      await until(async () => hangStarted);
      const survivor = await replica(knexes[0], 'replica-survivor', clusters);
      await survivor.work.enqueue(others, { trigger: 'schedule' });
      // Dies mid-read: no database any more (nothing recorded, nothing
      // given back), then nothing more taken.
      await knexes[1].destroy();
      await dying.stop();

      await until(
        async () =>
          (
            await survivor.store.listRuns({ limit: 100 })
          ).filter(r => r.status === 'success').length >= clusters.length,
      );
      await until(async () => (await survivor.work.pending()) === 0);
      await survivor.tasks.idle();

      // The doomed cluster: read once by each, evaluated by the survivor.
      expect(dying.reads[doomed]).toBe(1);
      expect(survivor.reads[doomed]).toBe(1);
      for (const cluster of others) {
        expect(total(dying.reads, survivor.reads, cluster)).toBe(1);
      }
      const runs = await survivor.store.listRuns({ limit: 100 });
      expect(
        runs
          .filter(r => r.status === 'success')
          .map(r => r.cluster)
          .sort(),
      ).toEqual([...clusters].sort());
      // The dead replica's run of it is still open (a sweep closes it later).
      expect(
        runs.filter(r => r.cluster === doomed && r.status === 'running'),
      ).toHaveLength(1);
    },
  );

  it.each(ids)(
    'gives its clusters back to the queue when it shuts down mid-evaluation, on %p',
    async id => {
      const { knexes, cleanup } = await twoConnections(databases, id);
      cleanups.push(cleanup);
      const clusters = names(3);
      const one = await replica(knexes[0], 'replica-1', clusters);
      await one.work.enqueue(clusters, { trigger: 'schedule' });
      await until(async () => Object.keys(one.reads).length > 0);
      await one.stop();
      // What it was evaluating is queued again, for another replica.
      expect(await one.work.pending()).toBe(clusters.length);
      const two = await replica(knexes[1], 'replica-2', clusters);
      await until(async () => (await two.work.pending()) === 0);
      await two.tasks.idle();
      for (const cluster of clusters) expect(two.reads[cluster]).toBe(1);
    },
  );
});

describe('ClusterTasks registration', () => {
  it('registers one global task that queues the fleet on the configured schedule', async () => {
    const scheduler = mockServices.scheduler.mock();
    const work = {
      enqueue: jest.fn(async () => ({ queued: 2, alreadyQueued: 0 })),
      enqueueNew: jest.fn(async () => {}),
      removeIdleExcept: jest.fn(async () => 0),
      take: jest.fn(async () => undefined),
      close: jest.fn(),
    };
    const tasks = new ClusterTasks({
      scheduler,
      service: { clusterNames: () => ['a', 'b'] } as any,
      work: work as any,
      store: { listRuns: async () => [] },
      logger: mockServices.logger.mock(),
      taskId: TASK_ID,
      schedule: { frequency: { minutes: 30 }, timeout: { minutes: 15 } },
      concurrency: 2,
    });
    await tasks.start();
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: TASK_ID,
      scope: 'global',
      frequency: { minutes: 30 },
      timeout: { minutes: 15 },
    });
    // No initial delay: clusters never queued are queued at start.
    expect(work.enqueueNew).toHaveBeenCalledWith(['a', 'b']);
    await task.fn(new AbortController().signal);
    expect(work.enqueue).toHaveBeenCalledWith(['a', 'b'], {
      trigger: 'schedule',
    });
    expect(work.removeIdleExcept).toHaveBeenCalledWith(['a', 'b']);
    await tasks.stop();
  });
});
