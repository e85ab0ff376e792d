import { gunzipSync } from 'zlib';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  Finding,
  ScoreSummary,
  summarize,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { toIso } from '../database/tables';
import { AksBaselineStore } from './AksBaselineStore';
import { countFindings, failedRules } from '../scoring';

jest.setTimeout(60_000);

/** Rolls back the latest migrations until `version` is the latest applied. */
async function migrateDownTo(
  knex: Knex,
  migrations: Knex.MigratorConfig,
  version: string,
): Promise<void> {
  while ((await knex.migrate.currentVersion(migrations)) > version) {
    await knex.migrate.down(migrations);
  }
}

function summaryOf(passedWeight: number, failedWeight: number): ScoreSummary {
  return summarize({
    'pod-security': {
      passed: passedWeight > 0 ? 1 : 0,
      failed: failedWeight > 0 ? 1 : 0,
      passedWeight,
      failedWeight,
      unknown: 0,
      waived: 0,
      notApplicable: 0,
    },
  });
}

const failing: Finding = {
  ruleId: 'container-run-as-non-root',
  baselineRef: 'PS-02',
  category: 'pod-security',
  severity: 'high',
  status: 'fail',
  cluster: 'prod',
  resource: { kind: 'Deployment', name: 'checkout-api', namespace: 'payments' },
  message: 'Container api may run as root',
};

function entityInput(entityRef: string, passed: number, failed: number) {
  const findings = failed > 0 ? [failing] : [];
  return {
    entityRef,
    summary: summaryOf(passed, failed),
    counts: countFindings(findings),
    failedRules: failedRules(findings),
    findings,
    resources: [failing.resource],
  };
}

describe('AksBaselineStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: any) {
    const knex = await databases.init(databaseId);
    const store = await AksBaselineStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'stores a success, keeps it stale after a failure, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const t1 = new Date('2026-01-10T10:00:00.000Z');
      await store.startRun({
        id: 'run-1',
        cluster: 'prod',
        trigger: 'schedule',
        startedAt: t1,
      });
      await store.saveClusterSuccess({
        cluster: 'prod',
        sourceKind: 'snapshot',
        runId: 'run-1',
        evaluatedAt: t1,
        profile: 'production',
        summary: summaryOf(45, 5),
        counts: countFindings([failing]),
        findings: [failing],
        subjects: [],
        stats: { objects: 10, rules: 50, checks: 200 },
        entityScores: [
          entityInput('component:default/checkout-api', 5, 5),
          entityInput('component:default/payments-worker', 10, 0),
        ],
      });
      await store.finishRun('run-1', {
        status: 'success',
        finishedAt: new Date(t1.getTime() + 1500),
        counts: {
          score: 90,
          grade: 'A',
          counts: countFindings([failing]),
          entities: 2,
        },
      });
      await store.refreshEntities(
        [
          {
            entityRef: 'component:default/checkout-api',
            owner: 'group:default/team-payments',
          },
          {
            entityRef: 'component:default/payments-worker',
            owner: 'group:default/team-payments',
          },
          { entityRef: 'component:default/unmatched' },
        ],
        { prune: true, now: t1 },
      );

      const clusters = await store.listClusters();
      expect(clusters).toEqual([
        expect.objectContaining({
          name: 'prod',
          sourceKind: 'snapshot',
          score: 90,
          grade: 'A',
          profile: 'production',
          evaluatedAt: t1.toISOString(),
          stale: false,
          counts: expect.objectContaining({
            failing: { critical: 0, high: 1, medium: 0, low: 0 },
          }),
          stats: { objects: 10, rules: 50, checks: 200 },
        }),
      ]);
      expect(clusters[0].lastError).toBeUndefined();
      const detail = await store.getCluster('prod');
      expect(detail).toEqual(
        expect.objectContaining({
          totalFindings: 1,
          failingRules: [
            {
              ruleId: failing.ruleId,
              baselineRef: 'PS-02',
              category: 'pod-security',
              severity: 'high',
              failures: 1,
              resources: [failing.resource],
              clusters: ['prod'],
            },
          ],
          facets: expect.objectContaining({
            severity: { high: 1 },
            namespace: { payments: 1 },
          }),
        }),
      );
      expect(
        await store.clusterFindingsPage('prod', {
          filters: {},
          limit: 10,
          maxBytes: 1e6,
          withTotal: true,
        }),
      ).toEqual({ bodies: [JSON.stringify(failing)], total: 1 });
      expect(await store.getCluster('nope')).toBeUndefined();

      const checkout = await store.getEntity('component:default/checkout-api');
      expect(checkout?.entity).toEqual(
        expect.objectContaining({
          owner: 'group:default/team-payments',
          clusters: ['prod'],
          resourceCount: 1,
          stale: false,
          evaluatedAt: t1.toISOString(),
        }),
      );
      expect(checkout?.entity.summary.score).toBe(50);
      expect(checkout?.clusters[0].findingCount).toBe(1);
      expect(
        await store.entityFindingsPage('component:default/checkout-api', {
          filters: {},
          limit: 10,
          maxBytes: 1e6,
        }),
      ).toEqual({ bodies: [JSON.stringify(failing)] });
      expect(
        await store.entityFindingsPage('component:default/payments-worker', {
          filters: {},
          limit: 10,
          maxBytes: 1e6,
        }),
      ).toEqual({ bodies: [] });
      const ready = await store.getEntityScoreResponse(
        'component:default/checkout-api',
      );
      expect(JSON.parse(gunzipSync(ready!.responseGzip!).toString())).toEqual(
        expect.objectContaining({
          entityRef: 'component:default/checkout-api',
          owner: 'group:default/team-payments',
          score: 50,
          failingRules: [
            expect.objectContaining({ ruleId: failing.ruleId, failures: 1 }),
          ],
          totalFindings: 1,
          clusters: [
            expect.objectContaining({
              cluster: 'prod',
              score: 50,
              resourceCount: 1,
            }),
          ],
        }),
      );
      expect(
        await store.getEntityScoreResponse('component:default/unmatched'),
      ).toEqual({ resourceCount: 0 });
      expect(
        await store.getEntityScoreResponse('component:default/nope'),
      ).toBeUndefined();
      const unmatched = await store.getEntity('component:default/unmatched');
      expect(unmatched?.entity.resourceCount).toBe(0);
      expect(unmatched?.entity.summary.score).toBeNull();
      expect(unmatched?.clusters).toEqual([]);

      // The next attempt fails: the result stays, marked stale with the reason.
      const t2 = new Date('2026-01-10T10:30:00.000Z');
      await store.startRun({
        id: 'run-2',
        cluster: 'prod',
        trigger: 'manual',
        startedAt: t2,
      });
      await store.saveClusterFailure({
        cluster: 'prod',
        sourceKind: 'snapshot',
        runId: 'run-2',
        attemptAt: t2,
        error: 'Kubernetes API returned 401 Unauthorized',
      });
      await store.finishRun('run-2', {
        status: 'failed',
        finishedAt: t2,
        error: 'Kubernetes API returned 401 Unauthorized',
      });
      await store.refreshEntities(
        [
          {
            entityRef: 'component:default/checkout-api',
            owner: 'group:default/team-payments',
          },
        ],
        { prune: false },
      );
      const [stale] = await store.listClusters();
      expect(stale).toEqual(
        expect.objectContaining({
          score: 90,
          evaluatedAt: t1.toISOString(),
          lastAttemptAt: t2.toISOString(),
          stale: true,
          staleReason: 'Kubernetes API returned 401 Unauthorized',
          lastError: 'Kubernetes API returned 401 Unauthorized',
          lastRunId: 'run-2',
        }),
      );
      const staleEntity = await store.getEntity(
        'component:default/checkout-api',
      );
      expect(staleEntity?.entity.stale).toBe(true);
      expect(staleEntity?.entity.staleReason).toBe(
        'prod: Kubernetes API returned 401 Unauthorized',
      );
      expect(staleEntity?.clusters[0].stale).toBe(true);
      expect(staleEntity?.entity.summary.score).toBe(50);

      const runs = await store.listRuns({ limit: 10 });
      expect(runs.map(r => [r.id, r.status])).toEqual([
        ['run-2', 'failed'],
        ['run-1', 'success'],
      ]);
      expect(runs[1]).toEqual(
        expect.objectContaining({ score: 90, entities: 2, durationMs: 1500 }),
      );
      expect(runs[0].error).toBe('Kubernetes API returned 401 Unauthorized');

      // Owner filter and history.
      expect(
        (await store.listEntities({ owner: 'group:default/team-payments' }))
          .map(e => e.entityRef)
          .sort(),
      ).toEqual([
        'component:default/checkout-api',
        'component:default/payments-worker',
      ]);
      expect(
        await store.getEntityHistory('component:default/checkout-api', 10),
      ).toEqual([
        { cluster: 'prod', score: 50, evaluatedAt: t1.toISOString() },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records a first failure without a result, prunes entities and clusters, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const t = new Date('2026-02-01T00:00:00.000Z');
      await store.saveClusterFailure({
        cluster: 'dev',
        sourceKind: 'azure',
        runId: 'r',
        attemptAt: t,
        error: 'timed out after 120 s',
      });
      const [dev] = await store.listClusters();
      expect(dev).toEqual(
        expect.objectContaining({
          name: 'dev',
          score: null,
          stale: false,
          lastError: 'timed out after 120 s',
        }),
      );
      expect(dev.evaluatedAt).toBeUndefined();

      await store.saveClusterSuccess({
        cluster: 'prod',
        sourceKind: 'snapshot',
        runId: 'r2',
        evaluatedAt: t,
        summary: summaryOf(10, 0),
        counts: countFindings([]),
        findings: [],
        subjects: [],
        stats: { objects: 1, rules: 1, checks: 1 },
        entityScores: [
          entityInput('component:default/a', 1, 0),
          entityInput('component:default/b', 1, 0),
        ],
      });
      await store.refreshEntities(
        [
          { entityRef: 'component:default/a' },
          { entityRef: 'component:default/b' },
        ],
        { prune: true },
      );
      await store.refreshEntities([{ entityRef: 'component:default/a' }], {
        prune: true,
      });
      expect(await store.getEntity('component:default/b')).toBeUndefined();
      expect((await store.listEntities()).map(e => e.entityRef)).toEqual([
        'component:default/a',
      ]);

      expect(await store.removeClustersExcept(['prod'])).toEqual(['dev']);
      expect((await store.listClusters()).map(c => c.name)).toEqual(['prod']);
    },
  );

  it.each(databases.eachSupportedId())(
    'says never evaluated, not stale, until a first success; then stale after a failure, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const fail = (runId: string, at: string, error: string) =>
        store.saveClusterFailure({
          cluster: 'dev',
          sourceKind: 'kubernetes',
          runId,
          attemptAt: new Date(at),
          error,
        });
      await fail('r1', '2026-02-01T00:00:00.000Z', 'timed out after 120 s');
      await fail(
        'r2',
        '2026-02-01T00:30:00.000Z',
        'Kubernetes API returned 401 Unauthorized listing namespaces',
      );
      const [never] = await store.listClusters();
      expect(never).toEqual(
        expect.objectContaining({
          status: 'never-evaluated',
          stale: false,
          score: null,
          lastError:
            'Kubernetes API returned 401 Unauthorized listing namespaces',
          lastAttemptAt: '2026-02-01T00:30:00.000Z',
        }),
      );
      expect(never.staleReason).toBeUndefined();
      expect(never.evaluatedAt).toBeUndefined();

      // An entity that can only be on it: never evaluated, with the error.
      await store.refreshEntities(
        [{ entityRef: 'component:default/a', cluster: 'dev' }],
        { prune: true },
      );
      expect(await store.entityClusterCoverage('component:default/a')).toEqual({
        evaluated: [],
        neverEvaluated: [
          {
            name: 'dev',
            lastError:
              'Kubernetes API returned 401 Unauthorized listing namespaces',
            lastAttemptAt: '2026-02-01T00:30:00.000Z',
          },
        ],
      });

      const t = new Date('2026-02-01T01:00:00.000Z');
      await store.saveClusterSuccess({
        cluster: 'dev',
        sourceKind: 'kubernetes',
        runId: 'r3',
        evaluatedAt: t,
        summary: summaryOf(10, 0),
        counts: countFindings([]),
        findings: [],
        subjects: [],
        stats: { objects: 1, rules: 1, checks: 1 },
      });
      expect((await store.listClusters())[0]).toEqual(
        expect.objectContaining({ status: 'ok', stale: false }),
      );
      expect(await store.entityClusterCoverage('component:default/a')).toEqual({
        evaluated: ['dev'],
        neverEvaluated: [],
      });

      await fail('r4', '2026-02-01T01:30:00.000Z', 'timed out after 120 s');
      expect((await store.listClusters())[0]).toEqual(
        expect.objectContaining({
          status: 'stale',
          stale: true,
          staleReason: 'timed out after 120 s',
          evaluatedAt: t.toISOString(),
        }),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the unreadable kinds with the result, the cluster and the entity parts, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const crb = {
        kind: 'ClusterRoleBinding',
        reason:
          'forbidden (403): the identity cannot list clusterrolebindings.rbac.authorization.k8s.io',
      };
      const withUnknown = summarize({
        identity: {
          passed: 0,
          failed: 0,
          passedWeight: 0,
          failedWeight: 0,
          unknown: 1,
          waived: 0,
          notApplicable: 0,
        },
        'pod-security': {
          passed: 1,
          failed: 0,
          passedWeight: 10,
          failedWeight: 0,
          unknown: 0,
          waived: 0,
          notApplicable: 0,
        },
      });
      const t = new Date('2026-02-01T01:00:00.000Z');
      await store.saveClusterSuccess({
        cluster: 'prod',
        sourceKind: 'kubernetes',
        runId: 'r1',
        evaluatedAt: t,
        summary: withUnknown,
        counts: countFindings([]),
        findings: [],
        subjects: [],
        stats: { objects: 1, rules: 1, checks: 2 },
        unreadableKinds: [crb],
        entityScores: [
          {
            ...entityInput('component:default/a', 10, 0),
            summary: withUnknown,
            unreadableKinds: [crb],
          },
        ],
      });
      await store.refreshEntities([{ entityRef: 'component:default/a' }], {
        prune: true,
      });
      const [cluster] = await store.listClusters();
      expect(cluster.unreadableKinds).toEqual([crb]);
      expect(cluster.totals.unknown).toBe(1);
      expect((await store.getCluster('prod'))?.unreadableKinds).toEqual([crb]);
      const answer = await store.getEntityScoreResponse('component:default/a');
      const body = JSON.parse(gunzipSync(answer!.responseGzip!).toString());
      expect(body.totals.unknown).toBe(1);
      expect(body.score).toBe(100);
      expect(body.clusters[0].unreadableKinds).toEqual([crb]);
      expect(body.clusters[0].totals.unknown).toBe(1);

      // A later success that read everything clears them.
      await store.saveClusterSuccess({
        cluster: 'prod',
        sourceKind: 'kubernetes',
        runId: 'r2',
        evaluatedAt: new Date('2026-02-01T02:00:00.000Z'),
        summary: summaryOf(10, 0),
        counts: countFindings([]),
        findings: [],
        subjects: [],
        stats: { objects: 1, rules: 1, checks: 1 },
        entityScores: [entityInput('component:default/a', 10, 0)],
      });
      expect((await store.listClusters())[0].unreadableKinds).toBeUndefined();
      expect(
        (await store.getEntity('component:default/a'))?.clusters[0]
          .unreadableKinds,
      ).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes runs and history past retention, on %p',
    async databaseId => {
      const { store, knex } = await createStore(databaseId);
      const older = new Date('2024-12-01T00:00:00.000Z');
      const old = new Date('2025-01-01T00:00:00.000Z');
      const recent = new Date('2026-03-01T00:00:00.000Z');
      for (const [id, at, failed] of [
        ['older', older, 5],
        ['old', old, 0],
        ['new', recent, 0],
      ] as const) {
        await store.startRun({
          id,
          cluster: 'prod',
          trigger: 'schedule',
          startedAt: at,
        });
        await store.finishRun(id, { status: 'success', finishedAt: at });
        await store.saveClusterSuccess({
          cluster: 'prod',
          sourceKind: 'snapshot',
          runId: id,
          evaluatedAt: at,
          summary: summaryOf(10, failed),
          counts: countFindings([]),
          findings: [],
          subjects: [],
          stats: { objects: 1, rules: 1, checks: 1 },
          entityScores: [entityInput('component:default/a', 1, failed)],
        });
      }
      await store.startRun({
        id: 'stuck',
        cluster: 'prod',
        trigger: 'schedule',
        startedAt: old,
      });
      const deleted = await store.deleteOlderThan(
        new Date('2026-01-01T00:00:00.000Z'),
      );
      // History is written when a score changes: the point of `old` is the
      // score since then, and stays (that of `older` goes).
      expect(deleted).toEqual({ runs: 2, clusterHistory: 1, entityHistory: 1 });
      expect(await store.failAbandonedRuns(recent)).toBe(1);
      const runs = await store.listRuns({ limit: 10, cluster: 'prod' });
      expect(runs.map(r => [r.id, r.status])).toEqual([
        ['new', 'success'],
        ['stuck', 'failed'],
      ]);
      const since = [recent.toISOString(), old.toISOString()];
      expect(
        (await store.getEntityHistory('component:default/a', 10)).map(
          p => p.evaluatedAt,
        ),
      ).toEqual(since);
      expect(
        (await store.getClusterHistory('prod', 10)).map(p => p.evaluatedAt),
      ).toEqual(since);
      expect(await knex('aks_baseline_cluster_history').count()).toBeTruthy();
    },
  );

  it.each(databases.eachSupportedId())(
    'compresses stored score answers when migrating up, and back down, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const migrations = {
        directory: resolvePackagePath(
          '@aks-baseline/plugin-aks-baseline-backend',
          'migrations',
        ),
        tableName: 'aks_baseline_knex_migrations',
      };
      await knex.migrate.up({ ...migrations, name: '20251128120000_init.js' });
      const answer = JSON.stringify({ entityRef: 'component:default/a' });
      const row = {
        summary: '{}',
        counts: '{}',
        failed_rules: '{}',
        clusters: '[]',
        evaluated_at: new Date('2026-01-10T10:00:00.000Z'),
      };
      await knex('aks_baseline_entities').insert([
        {
          ...row,
          entity_ref: 'component:default/a',
          resource_count: 1,
          response: answer,
        },
        {
          ...row,
          entity_ref: 'component:default/b',
          resource_count: 0,
          response: null,
        },
      ]);

      await knex.migrate.latest(migrations);
      const up = await knex('aks_baseline_entities').orderBy('entity_ref');
      expect(up.map(r => 'response' in r)).toEqual([false, false]);
      expect(gunzipSync(up[0].response_gzip).toString()).toBe(answer);
      expect(up[1].response_gzip).toBeNull();

      // The later migrations (run claims, finding rows, unreadable kinds)
      // first, then this one.
      expect(up.map(r => r.cluster_filter)).toEqual([null, null]);
      await migrateDownTo(knex, migrations, '20261201120000');
      expect(await knex.schema.hasTable('aks_baseline_run_claims')).toBe(false);
      await knex.migrate.down(migrations);
      expect(await knex.schema.hasTable('aks_baseline_cluster_findings')).toBe(
        false,
      );
      await knex.migrate.down(migrations);
      const before = await knex('aks_baseline_entities').orderBy('entity_ref');
      expect(before.map(r => 'cluster_filter' in r)).toEqual([false, false]);
      expect(gunzipSync(before[0].response_gzip).toString()).toBe(answer);
      await knex.migrate.down(migrations);
      const down = await knex('aks_baseline_entities').orderBy('entity_ref');
      expect(down.map(r => r.response)).toEqual([answer, null]);
      expect(down.map(r => 'response_gzip' in r)).toEqual([false, false]);
    },
  );

  it.each(databases.eachSupportedId())(
    "caches score answers and serves another replica's newer ones once the version is read again, on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      let now = 0;
      const writer = await AksBaselineStore.create({ database });
      const reader = await AksBaselineStore.create({
        database,
        answerCache: { maxAgeMs: 1000, now: () => now },
      });
      const uncached = await AksBaselineStore.create({
        database,
        answerCache: false,
      });
      const ref = 'component:default/checkout-api';
      const evaluate = async (passed: number, failed: number, at: Date) => {
        await writer.saveClusterSuccess({
          cluster: 'prod',
          sourceKind: 'snapshot',
          runId: `run-${at.getTime()}`,
          evaluatedAt: at,
          summary: summaryOf(passed, failed),
          counts: countFindings([]),
          findings: [],
          subjects: [],
          stats: { objects: 1, rules: 1, checks: 1 },
          entityScores: [entityInput(ref, passed, failed)],
        });
        await writer.refreshEntities([{ entityRef: ref }], {
          prune: true,
          now: at,
        });
      };
      const scoreOf = async (store: AksBaselineStore) => {
        const answer = await store.getEntityScoreResponse(ref);
        return answer?.responseGzip
          ? JSON.parse(gunzipSync(answer.responseGzip).toString()).score
          : answer;
      };

      expect(await scoreOf(reader)).toBeUndefined(); // not evaluated yet
      now += 1000;
      await evaluate(5, 5, new Date('2026-01-10T10:00:00.000Z'));
      expect(await scoreOf(reader)).toBe(50);
      expect(await scoreOf(writer)).toBe(50);

      await evaluate(10, 0, new Date('2026-01-10T10:30:00.000Z'));
      // The writer's own cache is cleared by its write; the other replica
      // keeps its answer until it reads the version again.
      expect(await scoreOf(writer)).toBe(100);
      expect(await scoreOf(uncached)).toBe(100);
      expect(await scoreOf(reader)).toBe(50);
      now += 999;
      expect(await scoreOf(reader)).toBe(50);
      now += 1;
      expect(await scoreOf(reader)).toBe(100);
    },
  );

  it.each(databases.eachSupportedId())(
    'builds entity answers from the stored parts, the same on every replica, whether only the changed entities or all are recomputed, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const store = await AksBaselineStore.create({
        database,
        answerCache: false,
      });
      const many = Array.from({ length: 250 }, (_, i) => ({
        kind: 'Pod',
        name: `checkout-api-${i}`,
        namespace: 'payments',
      }));
      const at = new Date('2026-03-01T00:00:00.000Z');
      for (const cluster of ['dev', 'prod']) {
        await store.saveClusterSuccess({
          cluster,
          sourceKind: 'snapshot',
          runId: `run-${cluster}`,
          evaluatedAt: at,
          summary: summaryOf(45, 5),
          counts: countFindings([failing]),
          findings: [{ ...failing, cluster }],
          subjects: [],
          stats: { objects: 1, rules: 1, checks: 1 },
          entityScores: [
            {
              ...entityInput('component:default/a', 45, 5),
              findings: [],
              resources: many,
            },
          ],
        });
      }
      const targets = [
        { entityRef: 'component:default/a', owner: 'group:default/x' },
      ];
      const answerOf = async (of: AksBaselineStore) =>
        gunzipSync(
          (await of.getEntityScoreResponse('component:default/a'))!
            .responseGzip!,
        ).toString();

      expect(await store.refreshChangedEntities(targets, { prune: true })).toBe(
        1,
      );
      const changedOnly = await answerOf(store);
      expect(JSON.parse(changedOnly).resourceCount).toBe(500);

      // Another replica: the same answer from a full recompute.
      const other = await AksBaselineStore.create({
        database,
        answerCache: false,
      });
      await other.refreshEntities(targets, { prune: true });
      expect(await answerOf(other)).toBe(changedOnly);

      // Changed, then stale: recomputed from the rows again.
      await store.saveClusterSuccess({
        cluster: 'prod',
        sourceKind: 'snapshot',
        runId: 'run-prod-2',
        evaluatedAt: at,
        summary: summaryOf(45, 5),
        counts: countFindings([]),
        findings: [],
        subjects: [],
        stats: { objects: 1, rules: 1, checks: 1 },
        entityScores: [entityInput('component:default/a', 45, 0)],
      });
      await store.saveClusterFailure({
        cluster: 'prod',
        sourceKind: 'snapshot',
        runId: 'run-prod-3',
        attemptAt: at,
        error: 'timed out after 120 s',
      });
      expect(
        await store.refreshChangedEntities(targets, { prune: false }),
      ).toBe(1);
      expect(JSON.parse(await answerOf(store)).staleReason).toBe(
        'prod: timed out after 120 s',
      );
      await other.refreshEntities(targets, { prune: true });
      expect(await answerOf(other)).toBe(await answerOf(store));
    },
  );

  it('serialises each finding once, into its row; entities link to it', async () => {
    const { store } = await createStore('SQLITE_3');
    const findings: Finding[] = [
      failing,
      { ...failing, resource: { ...failing.resource, name: 'orders-api' } },
    ];
    const stringify = jest.spyOn(JSON, 'stringify');
    await store.saveClusterSuccess({
      cluster: 'prod',
      sourceKind: 'snapshot',
      runId: 'r1',
      evaluatedAt: new Date('2026-03-01T00:00:00.000Z'),
      summary: summaryOf(40, 10),
      counts: countFindings(findings),
      findings,
      subjects: [],
      stats: { objects: 2, rules: 1, checks: 2 },
      entityScores: ['a', 'b', 'c'].map(name => ({
        ...entityInput(`component:default/${name}`, 40, 10),
        findings,
      })),
    });
    const serialised = stringify.mock.calls
      .map(([value]) => value)
      .filter(value => findings.includes(value));
    stringify.mockRestore();
    expect(serialised).toEqual(findings);
  });

  it('skips migrations when the database service says so', async () => {
    const knex = await databases.init('SQLITE_3');
    await AksBaselineStore.create({
      database: mockServices.database({ knex, migrations: { skip: true } }),
    });
    expect(await knex.schema.hasTable('aks_baseline_runs')).toBe(false);
  });
});

describe('toIso', () => {
  it('reads every shape a driver returns', () => {
    const iso = '2026-01-10T10:00:00.000Z';
    expect(toIso(new Date(iso))).toBe(iso);
    expect(toIso(Date.parse(iso))).toBe(iso);
    expect(toIso(String(Date.parse(iso)))).toBe(iso);
    expect(toIso('2026-01-10 10:00:00')).toBe(iso);
    expect(toIso(null)).toBeUndefined();
  });
});
