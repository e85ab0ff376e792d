/*
 * Two replicas (two EvaluationServices, each with its own database
 * connection and RunClaims) on one database: SQLite (a file, two
 * connections) and PostgreSQL when available.
 */
import * as path from 'path';
import { Knex } from 'knex';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ClusterSnapshot,
  RULE_CATALOG,
  readSnapshotDirectory,
} from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from './AksBaselineStore';
import { SQLITE_FILE, twoConnections } from './__testUtils__/twoConnections';
import { clusterTarget, RunClaims } from '../database/RunClaims';
import { EntityTarget } from '../entities/targets';
import { componentTarget } from './__testUtils__/componentTarget';
import { ClusterSource } from '@aks-baseline/plugin-aks-baseline-node';
import { EvaluationService } from './EvaluationService';

jest.setTimeout(60_000);

const FIXTURES = path.resolve(__dirname, '../__fixtures__/clusters');
const PROD = 'aks-prod-westeurope';
const DEV = 'aks-dev-koreacentral';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const targets: EntityTarget[] = [
  componentTarget('checkout-api', 'team-payments', {
    'backstage.io/kubernetes-id': 'checkout-api',
  }),
];

/** Reads of each cluster, over all replicas. */
type Reads = Record<string, number>;

/** A fixture cluster whose read takes a while and is counted. */
function slowSource(name: string, reads: Reads, delayMs = 300): ClusterSource {
  return {
    name,
    kind: 'snapshot',
    async read(): Promise<ClusterSnapshot> {
      reads[name] = (reads[name] ?? 0) + 1;
      await new Promise(r => setTimeout(r, delayMs));
      return readSnapshotDirectory(path.join(FIXTURES, name), name);
    },
  };
}

describe('evaluations across replicas sharing a database', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
  const ids = [SQLITE_FILE, ...databases.eachSupportedId().map(([id]) => id)];
  let cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups) await cleanup();
    cleanups = [];
  });

  async function replicas(
    id: string,
    options: {
      reads: Reads;
      claimTtlMs?: number;
      delayMs?: Record<string, number>;
      concurrency?: number;
    },
  ) {
    const { knexes, cleanup } = await twoConnections(databases, id);
    cleanups.push(cleanup);
    const make = async (knex: Knex, holder: string) => {
      const store = await AksBaselineStore.create({
        database: mockServices.database({ knex }),
        answerCache: false,
      });
      const claims = new RunClaims(knex, {
        holder,
        ttlMs: options.claimTtlMs,
      });
      cleanups.push(async () => claims.close());
      const logger = mockServices.logger.mock();
      logger.child.mockReturnValue(logger);
      const service = new EvaluationService({
        store,
        claims,
        sources: [
          slowSource(PROD, options.reads, options.delayMs?.[PROD]),
          slowSource(DEV, options.reads, options.delayMs?.[DEV]),
        ],
        rules: RULE_CATALOG,
        readTargets: async () => targets,
        logger,
        clusterTimeoutMs: 10_000,
        concurrency: options.concurrency ?? 2,
        pollMs: 20,
      });
      return { store, claims, service };
    };
    // One after the other: the first applies the migrations.
    const one = await make(knexes[0], 'replica-1');
    const two = await make(knexes[1], 'replica-2');
    return [one, two] as const;
  }

  it.each(ids)(
    'runs a manual evaluation of one cluster sent to two replicas once, recorded as manual by the user whose request started it, on %p',
    async id => {
      const reads: Reads = {};
      const [one, two] = await replicas(id, { reads });
      const [a, b] = await Promise.all([
        one.service.startCluster(PROD, {
          trigger: 'manual',
          requestedBy: ALICE,
        }),
        two.service.startCluster(PROD, { trigger: 'manual', requestedBy: BOB }),
      ]);
      expect(a.runId).toBe(b.runId);
      expect([a.alreadyRunning, b.alreadyRunning].sort()).toEqual([
        false,
        true,
      ]);
      const [doneA, doneB] = await Promise.all([a.done, b.done]);
      expect(doneA).toEqual(doneB);
      expect(doneA.status).toBe('success');
      expect(reads[PROD]).toBe(1);

      const runs = await two.store.listRuns({ limit: 10 });
      expect(runs).toHaveLength(1);
      expect(runs[0]).toEqual(
        expect.objectContaining({
          id: a.runId,
          cluster: PROD,
          trigger: 'manual',
          requestedBy: a.alreadyRunning ? BOB : ALICE,
          status: 'success',
        }),
      );
      // Nothing is held any more: a new request runs again.
      const again = await two.service.startCluster(PROD, {
        trigger: 'manual',
        requestedBy: BOB,
      });
      expect(again.alreadyRunning).toBe(false);
      await again.done;
      expect(reads[PROD]).toBe(2);
    },
  );

  it.each(ids)(
    'records a scheduled run as schedule, and a manual request on another replica joins it, on %p',
    async id => {
      const reads: Reads = {};
      const [one, two] = await replicas(id, { reads });
      const pass = one.service.evaluateAll({ trigger: 'schedule' });
      let running;
      for (let i = 0; !running; i++) {
        running = (await two.store.listRuns({ limit: 10, cluster: PROD }))[0];
        if (i > 500) throw new Error('the scheduled run never started');
        if (!running) await new Promise(r => setTimeout(r, 5));
      }
      const joined = await two.service.startCluster(PROD, {
        trigger: 'manual',
        requestedBy: BOB,
      });
      expect(joined).toEqual(
        expect.objectContaining({ runId: running.id, alreadyRunning: true }),
      );
      const outcomes = await pass;
      expect((await joined.done).status).toBe('success');
      expect(outcomes.map(o => [o.cluster, o.status])).toEqual([
        [PROD, 'success'],
        [DEV, 'success'],
      ]);
      expect(reads).toEqual({ [PROD]: 1, [DEV]: 1 });
      const runs = await one.store.listRuns({ limit: 10 });
      expect(runs).toHaveLength(2);
      for (const run of runs) {
        expect(run.trigger).toBe('schedule');
        expect(run.requestedBy).toBeUndefined();
      }
    },
  );

  it.each(ids)(
    'joins the evaluation of every cluster running on another replica instead of starting a second one, on %p',
    async id => {
      const reads: Reads = {};
      const [one, two] = await replicas(id, { reads });
      const first = await one.service.startAll({
        trigger: 'manual',
        requestedBy: ALICE,
      });
      const second = await two.service.startAll({
        trigger: 'manual',
        requestedBy: BOB,
      });
      expect(first.alreadyRunning).toBe(false);
      expect(second.alreadyRunning).toBe(true);
      const [ran, joined] = await Promise.all([first.done, second.done]);
      expect(reads).toEqual({ [PROD]: 1, [DEV]: 1 });
      expect(joined.map(o => [o.cluster, o.runId, o.status]).sort()).toEqual(
        ran.map(o => [o.cluster, o.runId, o.status]).sort(),
      );
      const runs = await two.store.listRuns({ limit: 10 });
      expect(runs.map(r => [r.trigger, r.requestedBy])).toEqual([
        ['manual', ALICE],
        ['manual', ALICE],
      ]);
    },
  );

  it.each(ids)(
    'counts a run started on another replica during a pass instead of running the cluster again, on %p',
    async id => {
      const reads: Reads = {};
      const [one, two] = await replicas(id, {
        reads,
        // One cluster at a time: PROD (slow) first, then DEV.
        concurrency: 1,
        delayMs: { [PROD]: 800, [DEV]: 20 },
      });
      const pass = one.service.evaluateAll({ trigger: 'schedule' });
      // While the pass reads PROD, Bob's run of DEV starts and ends.
      await new Promise(r => setTimeout(r, 100));
      const bobs = await two.service.startCluster(DEV, {
        trigger: 'manual',
        requestedBy: BOB,
      });
      expect(bobs.alreadyRunning).toBe(false);
      expect((await bobs.done).status).toBe('success');
      const outcomes = await pass;
      expect(reads).toEqual({ [PROD]: 1, [DEV]: 1 });
      expect(outcomes.find(o => o.cluster === DEV)).toEqual(
        expect.objectContaining({ runId: bobs.runId, status: 'success' }),
      );
    },
  );

  it.each(ids)(
    'takes over a cluster whose replica stopped without releasing it once its claim expires, on %p',
    async id => {
      const reads: Reads = {};
      const [one, two] = await replicas(id, { reads, claimTtlMs: 300 });
      // Replica one claims PROD and stops (no run, no renewal, no release).
      const dead = await one.claims.claim({
        target: clusterTarget(PROD),
        runId: 'a-run-of-a-stopped-replica',
        trigger: 'manual',
        requestedBy: ALICE,
      });
      expect(dead.claimed).toBe(true);
      one.claims.close();

      const waiting = await two.service.startCluster(PROD, {
        trigger: 'manual',
        requestedBy: BOB,
      });
      expect(waiting).toEqual(
        expect.objectContaining({
          runId: 'a-run-of-a-stopped-replica',
          alreadyRunning: true,
        }),
      );
      expect(await waiting.done).toEqual(
        expect.objectContaining({
          status: 'failed',
          error: 'The replica running it stopped before it finished',
        }),
      );
      const retried = await two.service.startCluster(PROD, {
        trigger: 'manual',
        requestedBy: BOB,
      });
      expect(retried.alreadyRunning).toBe(false);
      expect((await retried.done).status).toBe('success');
      expect(reads[PROD]).toBe(1);
    },
  );
});
