/*
 * Entity answers are recomputed only for the entities whose part on a
 * cluster changed, each once, whichever replica refreshes; the answer
 * served is always the one a full recompute gives (times included, and
 * whatever the batches of parts a refresh reads), and replicas refreshing
 * at once lose no change.
 */
import { gunzipSync } from 'zlib';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import knexFactory, { Knex } from 'knex';
import {
  ENTITIES_TO_REFRESH,
  takeMarked,
  clearMarks,
} from '../database/entitiesToRefresh';
import { countFindings, failedRules } from '../scoring';
import {
  AksBaselineStore,
  ClusterSuccessInput,
  EntityClusterScoreInput,
  EntityTargetRecord,
} from './AksBaselineStore';
import { podSecuritySummary } from './__testUtils__/podSecuritySummary';

jest.setTimeout(60_000);

/** Refreshes read parts in batches of this many (2: several per refresh). */
let mockPartsPerBatch = 2;
jest.mock('./answers/partBatches', () => {
  const actual = jest.requireActual('./answers/partBatches');
  return {
    ...actual,
    batchesByParts: (targets: any, parts: any) =>
      actual.batchesByParts(targets, parts, mockPartsPerBatch),
  };
});

const ref = (app: string) => `component:default/${app}`;

/** One failing finding per app; `words` changes its message. */
function findingOf(cluster: string, app: string, words = 'may run as root') {
  const finding: Finding = {
    ruleId: 'container-run-as-non-root',
    baselineRef: 'PS-02',
    category: 'pod-security',
    severity: 'high',
    status: 'fail',
    cluster,
    resource: { kind: 'Deployment', name: app, namespace: 'apps' },
    message: `${app} ${words}`,
  };
  return finding;
}

/**
 * A cluster's evaluation in which each app of `apps` is an entity with one
 * finding (`words` by app) and a failed weight (`weight` by app, else 5).
 */
function evaluation(
  cluster: string,
  runId: string,
  at: Date,
  apps: readonly string[],
  change: {
    words?: Record<string, string>;
    weight?: Record<string, number>;
  } = {},
): ClusterSuccessInput {
  const findings = apps.map(app =>
    findingOf(cluster, app, change.words?.[app]),
  );
  return {
    cluster,
    sourceKind: 'snapshot',
    runId,
    evaluatedAt: at,
    summary: podSecuritySummary(5 * apps.length),
    counts: countFindings(findings),
    findings,
    subjects: [],
    stats: { objects: apps.length, rules: 1, checks: apps.length },
    entityScores: apps.map((app, i) => {
      const own = [findings[i]];
      return {
        entityRef: ref(app),
        summary: podSecuritySummary(change.weight?.[app] ?? 5),
        counts: countFindings(own),
        failedRules: failedRules(own),
        findings: own,
        resources: [own[0].resource],
      } as EntityClusterScoreInput;
    }),
  };
}

/** The score route's answer as a client reads it. */
async function answerOf(store: AksBaselineStore, entityRef: string) {
  const answer = await store.getEntityScoreResponse(entityRef);
  if (!answer?.responseGzip) return answer;
  return JSON.parse(gunzipSync(answer.responseGzip).toString('utf8'));
}

async function marked(knex: Knex): Promise<string[]> {
  const rows = await knex(ENTITIES_TO_REFRESH)
    .orderBy('entity_ref')
    .select('entity_ref');
  return rows.map(r => r.entity_ref);
}

/** Counts the statements that write the entities' combined rows. */
function entityWrites(knex: Knex) {
  let writes = 0;
  const listener = (query: { sql: string }) => {
    const sql = query.sql.toLowerCase();
    if (
      /^\s*(insert|update|delete)/.test(sql) &&
      /aks_baseline_entities["`]/.test(sql)
    ) {
      writes += 1;
    }
  };
  knex.on('query', listener);
  return {
    count: () => writes,
    stop: () => knex.removeListener('query', listener),
  };
}

/** The answers of `refs`, and again after a full recompute: they must be equal. */
async function servedAndFull(
  store: AksBaselineStore,
  targets: readonly EntityTargetRecord[],
) {
  const served = [];
  for (const t of targets) served.push(await answerOf(store, t.entityRef));
  // The full recompute in one batch, the refreshes before in batches of 2.
  mockPartsPerBatch = Infinity;
  try {
    await store.refreshEntities(targets, { prune: false });
  } finally {
    mockPartsPerBatch = 2;
  }
  const full = [];
  for (const t of targets) full.push(await answerOf(store, t.entityRef));
  return { served, full };
}

describe('incremental entity refresh', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const t = (i: number) => new Date(Date.UTC(2026, 2, 1, 0, i * 30));
  /** a, b, c on any cluster (on prod); d limited to dev; a is on dev too. */
  const targets: EntityTargetRecord[] = [
    { entityRef: ref('a'), owner: 'group:default/team' },
    { entityRef: ref('b'), owner: 'group:default/team' },
    { entityRef: ref('c'), owner: 'group:default/team' },
    { entityRef: ref('d'), owner: 'group:default/team', cluster: 'dev' },
  ];

  async function createStore(databaseId: any) {
    const knex = await databases.init(databaseId);
    const store = await AksBaselineStore.create({
      database: mockServices.database({ knex }),
      answerCache: false,
    });
    return { knex, store };
  }

  async function firstCycle(store: AksBaselineStore) {
    await store.saveClusterSuccess(
      evaluation('prod', 'p1', t(0), ['a', 'b', 'c']),
    );
    await store.saveClusterSuccess(evaluation('dev', 'd1', t(0), ['a', 'd']));
    expect(
      await store.refreshChangedEntities(targets, { prune: true, now: t(0) }),
    ).toBe(4);
  }

  it.each(databases.eachSupportedId())(
    'an unchanged cycle recomputes and rewrites no entity, and serves what a full recompute gives, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await firstCycle(store);
      expect(await marked(knex)).toEqual([]);

      const writes = entityWrites(knex);
      await store.saveClusterSuccess(
        evaluation('prod', 'p2', t(1), ['a', 'b', 'c']),
      );
      await store.saveClusterSuccess(evaluation('dev', 'd2', t(1), ['a', 'd']));
      expect(await marked(knex)).toEqual([]);
      expect(
        await store.refreshChangedEntities(targets, { prune: true, now: t(1) }),
      ).toBe(0);
      writes.stop();
      expect(writes.count()).toBe(0);

      // The answers show the new evaluation, as a full recompute writes them.
      const a = await answerOf(store, ref('a'));
      expect(a.evaluatedAt).toBe(t(1).toISOString());
      expect(a.clusters.map((c: any) => c.evaluatedAt)).toEqual([
        t(1).toISOString(),
        t(1).toISOString(),
      ]);
      expect(
        (await store.listEntities()).map(e => [e.entityRef, e.evaluatedAt]),
      ).toEqual(targets.map(e => [e.entityRef, t(1).toISOString()]));
      const { served, full } = await servedAndFull(store, targets);
      expect(served).toEqual(full);
    },
  );

  it.each(databases.eachSupportedId())(
    'a changed cluster recomputes exactly the entities whose part on it changed; a failure those on it, once; on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await firstCycle(store);

      // a's and b's scores change; c's finding says something else, which
      // its finding row holds, not its part nor its answer.
      await store.saveClusterSuccess(
        evaluation('prod', 'p2', t(1), ['a', 'b', 'c'], {
          words: { c: 'runs as root' },
          weight: { a: 8, b: 10 },
        }),
      );
      expect(await marked(knex)).toEqual([ref('a'), ref('b')]);
      // Until recomputed, b's answer is its last one, with that one's time.
      const before = await answerOf(store, ref('b'));
      expect([before.evaluatedAt, before.clusters[0].score]).toEqual([
        t(0).toISOString(),
        podSecuritySummary(5).score,
      ]);
      expect(
        (await store.listEntities()).find(e => e.entityRef === ref('b'))
          ?.evaluatedAt,
      ).toBe(t(0).toISOString());
      expect(
        await store.refreshChangedEntities(targets, { prune: false }),
      ).toBe(2);
      expect((await answerOf(store, ref('b'))).evaluatedAt).toBe(
        t(1).toISOString(),
      );
      expect((await answerOf(store, ref('b'))).clusters[0].score).toBe(
        podSecuritySummary(10).score,
      );

      // c leaves prod: its part is removed.
      await store.saveClusterSuccess(
        evaluation('prod', 'p3', t(2), ['a', 'b'], {
          weight: { a: 8, b: 10 },
        }),
      );
      expect(await marked(knex)).toEqual([ref('c')]);
      await store.refreshChangedEntities(targets, { prune: false });
      expect(await answerOf(store, ref('c'))).toEqual({ resourceCount: 0 });

      // prod fails: the entities on it keep their part, marked stale, and say so.
      await store.saveClusterFailure({
        cluster: 'prod',
        sourceKind: 'snapshot',
        runId: 'p4',
        attemptAt: t(3),
        error: 'ARM returned 503',
      });
      expect(await marked(knex)).toEqual([ref('a'), ref('b')]);
      expect(
        await store.refreshChangedEntities(targets, { prune: false }),
      ).toBe(2);
      const stale = await answerOf(store, ref('b'));
      expect(stale.stale).toBe(true);
      expect(stale.staleReason).toBe('prod: ARM returned 503');
      expect(stale.clusters[0]).toEqual(
        expect.objectContaining({
          cluster: 'prod',
          stale: true,
          score: podSecuritySummary(10).score,
        }),
      );
      // The same failure again: nothing changed.
      await store.saveClusterFailure({
        cluster: 'prod',
        sourceKind: 'snapshot',
        runId: 'p5',
        attemptAt: t(4),
        error: 'ARM returned 503',
      });
      expect(await marked(knex)).toEqual([]);
      // Read again, as before the failure: no longer stale.
      await store.saveClusterSuccess(
        evaluation('prod', 'p6', t(5), ['a', 'b'], {
          weight: { a: 8, b: 10 },
        }),
      );
      expect(await marked(knex)).toEqual([ref('a'), ref('b')]);
      await store.refreshChangedEntities(targets, { prune: false });
      expect((await answerOf(store, ref('b'))).stale).toBe(false);

      // dev leaves the fleet: the entities that were on it.
      await store.removeClustersExcept(['prod']);
      expect(await marked(knex)).toEqual([ref('a'), ref('d')]);
      await store.refreshChangedEntities(targets, { prune: true });
      expect(
        (await answerOf(store, ref('a'))).clusters.map((c: any) => c.cluster),
      ).toEqual(['prod']);
      const { served, full } = await servedAndFull(store, targets);
      expect(served).toEqual(full);
    },
  );

  /** Two stores as two replicas: their own connection on PostgreSQL. */
  async function twoReplicas(databaseId: any) {
    const { knex, store } = await createStore(databaseId);
    if (databaseId !== 'POSTGRES_15') {
      // SQLite: one writer at a time, shared by both.
      const other = new AksBaselineStore(knex, { answerCache: false });
      return { knex, first: store, second: other, cleanup: async () => {} };
    }
    const secondKnex = knexFactory({
      client: knex.client.config.client,
      connection: knex.client.config.connection,
    });
    return {
      knex,
      first: store,
      second: new AksBaselineStore(secondKnex, { answerCache: false }),
      cleanup: () => secondKnex.destroy(),
    };
  }

  it.each(databases.eachSupportedId())(
    'two replicas finishing clusters that share an entity at once give the answer of a full recompute, on %p',
    async databaseId => {
      const { knex, first, second, cleanup } = await twoReplicas(databaseId);
      try {
        const shared = [
          { entityRef: ref('a') },
          { entityRef: ref('b') },
          { entityRef: ref('c') },
        ];
        for (let round = 1; round <= 6; round++) {
          const change = {
            weight: { a: round },
            words: { a: `runs as root (${round})` },
          };
          await Promise.all([
            (async () => {
              await first.saveClusterSuccess(
                evaluation('one', `1-${round}`, t(round), ['a', 'b'], change),
              );
              await first.refreshChangedEntities(shared, { prune: false });
            })(),
            (async () => {
              await second.saveClusterSuccess(
                evaluation('two', `2-${round}`, t(round), ['a', 'c'], {
                  weight: { a: 2 * round },
                }),
              );
              await second.refreshChangedEntities(shared, { prune: false });
            })(),
          ]);
          expect(await marked(knex)).toEqual([]);
          const a = await answerOf(first, ref('a'));
          expect(a.clusters.map((c: any) => [c.cluster, c.score])).toEqual([
            ['one', podSecuritySummary(round).score],
            ['two', podSecuritySummary(2 * round).score],
          ]);
          const { served, full } = await servedAndFull(first, shared);
          expect(served).toEqual(full);
        }
      } finally {
        await cleanup();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'entities another replica is writing are not marked again as new by a refresh that reads the catalog meanwhile, on %p',
    async databaseId => {
      const { knex, first, second, cleanup } = await twoReplicas(databaseId);
      try {
        const catalog = ['a', 'b', 'c'].map(app => ({ entityRef: ref(app) }));
        await first.saveClusterSuccess(
          evaluation('one', '1-1', t(1), ['a', 'b', 'c']),
        );
        let meanwhile: Promise<number> | undefined;
        await knex.transaction(async tx => {
          // A refresh has taken the marks and written the new entities...
          const byRef = new Map(catalog.map(x => [x.entityRef, x]));
          expect(
            await (first as any).answers.refreshChunk(tx, byRef, true),
          ).toBe(3);
          // ...when the other replica's refresh finds them not stored yet.
          meanwhile = second.refreshChangedEntities(catalog, { prune: false });
          await new Promise(r => setTimeout(r, 300));
        });
        expect(await meanwhile).toBe(0);
        expect(await marked(knex)).toEqual([]);
        const { served, full } = await servedAndFull(first, catalog);
        expect(served).toEqual(full);
      } finally {
        await cleanup();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'a change committed while another replica refreshes the entity marks it again, on %p',
    async databaseId => {
      const { knex, first, second, cleanup } = await twoReplicas(databaseId);
      try {
        const shared = [{ entityRef: ref('a') }];
        await first.saveClusterSuccess(evaluation('one', '1-1', t(1), ['a']));
        await second.saveClusterSuccess(evaluation('two', '2-1', t(1), ['a']));
        await first.refreshChangedEntities(shared, { prune: false });
        await first.saveClusterSuccess(
          evaluation('one', '1-2', t(2), ['a'], { weight: { a: 9 } }),
        );
        // A refresh has taken a's mark (and read its parts as they are)...
        let saved = false;
        let save: Promise<void> | undefined;
        await knex.transaction(async tx => {
          expect(await takeMarked(tx, 10)).toEqual([ref('a')]);
          // ...when the other replica stores a change to a's part on two.
          save = second
            .saveClusterSuccess(
              evaluation('two', '2-2', t(2), ['a'], { weight: { a: 7 } }),
            )
            .then(() => {
              saved = true;
            });
          await new Promise(r => setTimeout(r, 300));
          // It waits for the refresh's transaction (or, on SQLite, its turn).
          expect(saved).toBe(false);
          await clearMarks(tx, [ref('a')]);
        });
        await save;
        expect(saved).toBe(true);
        expect(await marked(knex)).toEqual([ref('a')]);
        await first.refreshChangedEntities(shared, { prune: false });
        const a = await answerOf(first, ref('a'));
        expect(a.clusters.map((c: any) => c.score)).toEqual([
          podSecuritySummary(9).score,
          podSecuritySummary(7).score,
        ]);
        const { served, full } = await servedAndFull(first, shared);
        expect(served).toEqual(full);
      } finally {
        await cleanup();
      }
    },
  );
});
