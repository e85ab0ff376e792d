/*
 * An evaluation that finds what the previous one found writes no finding,
 * entity or history rows; a changed one writes exactly what changed; the
 * history answers read as if every evaluation had written a point, but for
 * the equal points inside a run of equal scores.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  Finding,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { countFindings, failedRules } from '../scoring';
import { AksBaselineStore, ClusterSuccessInput } from './AksBaselineStore';
import { podSecuritySummary } from './__testUtils__/podSecuritySummary';

jest.setTimeout(60_000);

const CLUSTER_FINDINGS = 'aks_baseline_cluster_findings';
const ENTITY_FINDINGS = 'aks_baseline_entity_findings';
const ENTITY_SCORES = 'aks_baseline_entity_scores';
const WRITTEN_TABLES = [
  CLUSTER_FINDINGS,
  ENTITY_FINDINGS,
  ENTITY_SCORES,
  'aks_baseline_entity_history',
  'aks_baseline_cluster_history',
];

function finding(app: string, ruleId: string, message: string): Finding {
  return {
    ruleId,
    baselineRef: 'PS-02',
    category: 'pod-security',
    severity: 'high',
    status: 'fail',
    cluster: 'prod',
    resource: { kind: 'Deployment', name: app, namespace: 'payments' },
    message,
  };
}

/** Two findings per app, each app an entity. */
function findingsOf(apps: readonly string[], changed: string[] = []) {
  return apps.flatMap(app => [
    finding(app, 'container-run-as-non-root', `${app} may run as root`),
    finding(
      app,
      'container-resource-limits',
      changed.includes(app)
        ? `${app} has no CPU limit`
        : `${app} has no limits`,
    ),
  ]);
}

function evaluation(
  runId: string,
  at: Date,
  findings: Finding[],
  failedWeightOf: (app: string) => number = () => 5,
): ClusterSuccessInput {
  const apps = [...new Set(findings.map(f => f.resource.name))];
  return {
    cluster: 'prod',
    sourceKind: 'snapshot',
    runId,
    evaluatedAt: at,
    summary: podSecuritySummary(
      apps.reduce((n, app) => n + failedWeightOf(app), 0),
    ),
    counts: countFindings(findings),
    findings,
    subjects: [],
    stats: { objects: apps.length, rules: 2, checks: findings.length },
    entityScores: apps.map(app => {
      const own = findings.filter(f => f.resource.name === app);
      return {
        entityRef: `component:default/${app}`,
        summary: podSecuritySummary(failedWeightOf(app)),
        counts: countFindings(own),
        failedRules: failedRules(own),
        findings: own,
        resources: [own[0].resource],
      };
    }),
  };
}

/** Counts the statements that write to the finding, entity and history tables. */
function countWrites(knex: Knex): { count: () => number; stop: () => void } {
  let writes = 0;
  const listener = (query: { sql: string }) => {
    const sql = query.sql.toLowerCase();
    if (
      /^\s*(insert|update|delete)/.test(sql) &&
      WRITTEN_TABLES.some(
        t => sql.includes(`"${t}"`) || sql.includes(`\`${t}\``),
      )
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

/**
 * Marks every stored finding, link and part in a column the evaluation
 * does not compare: the rows still marked afterwards were not written.
 */
async function markRows(knex: Knex): Promise<void> {
  await knex(CLUSTER_FINDINGS).update({ search_text: 'untouched' });
  await knex(ENTITY_FINDINGS).update({ category: 'untouched' });
  await knex(ENTITY_SCORES).update({ findings: 'untouched' });
}

async function rewritten(knex: Knex) {
  const findings = await knex(CLUSTER_FINDINGS)
    .whereNot('search_text', 'untouched')
    .select('body');
  const links = await knex(ENTITY_FINDINGS)
    .whereNot('category', 'untouched')
    .orderBy(['entity_ref', 'rule_id'])
    .select('entity_ref', 'rule_id');
  const parts = await knex(ENTITY_SCORES)
    .whereNot('findings', 'untouched')
    .orderBy('entity_ref')
    .select('entity_ref');
  return {
    findings: findings.map(r => JSON.parse(r.body).message).sort(),
    links: links.map(r => `${r.entity_ref} ${r.rule_id}`),
    parts: parts.map(r => r.entity_ref),
  };
}

/** The answer if every evaluation wrote a point, without the equal points inside a run. */
function withoutInnerRepeats(points: ScoreHistoryPoint[]): ScoreHistoryPoint[] {
  const byCluster = new Map<string, ScoreHistoryPoint[]>();
  for (const p of points) {
    byCluster.set(p.cluster, [...(byCluster.get(p.cluster) ?? []), p]);
  }
  const inner = new Set<ScoreHistoryPoint>();
  for (const series of byCluster.values()) {
    for (let i = 1; i < series.length - 1; i++) {
      if (
        series[i - 1].score === series[i].score &&
        series[i + 1].score === series[i].score
      ) {
        inner.add(series[i]);
      }
    }
  }
  return points.filter(p => !inner.has(p));
}

describe('an unchanged evaluation', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: any) {
    const knex = await databases.init(databaseId);
    const store = await AksBaselineStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  const apps = ['api', 'web', 'worker'];
  /** The time of the i-th evaluation, 30 minutes apart. */
  const t = (i: number) => new Date(Date.UTC(2026, 2, 1, 0, i * 30));

  it.each(databases.eachSupportedId())(
    'writes no finding, entity or history rows, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await store.saveClusterSuccess(evaluation('r1', t(0), findingsOf(apps)));
      await markRows(knex);
      const writes = countWrites(knex);
      await store.saveClusterSuccess(evaluation('r2', t(1), findingsOf(apps)));
      writes.stop();

      expect(writes.count()).toBe(0);
      expect(await rewritten(knex)).toEqual({
        findings: [],
        links: [],
        parts: [],
      });
      // The parts read back as evaluated now.
      await store.refreshEntities(
        apps.map(app => ({ entityRef: `component:default/${app}` })),
        { prune: true, now: t(1) },
      );
      const read = await store.getEntity('component:default/api');
      expect(read?.clusters.map(c => c.evaluatedAt)).toEqual([
        t(1).toISOString(),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'writes exactly the changed rows and forgets the gone ones, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await store.saveClusterSuccess(evaluation('r1', t(0), findingsOf(apps)));
      await markRows(knex);
      // `web` has a changed message, `worker` is gone, `jobs` is new.
      const next = findingsOf(['api', 'web', 'jobs'], ['web']);
      await store.saveClusterSuccess(evaluation('r2', t(1), next));

      expect(await rewritten(knex)).toEqual({
        findings: [
          'jobs has no limits',
          'jobs may run as root',
          'web has no CPU limit',
        ],
        links: [
          'component:default/jobs container-resource-limits',
          'component:default/jobs container-run-as-non-root',
          'component:default/web container-resource-limits',
        ],
        // web's part (scores, rules, objects) is the same: only its link.
        parts: ['component:default/jobs'],
      });
      const messages = (await knex(CLUSTER_FINDINGS).select('body')).map(
        r => JSON.parse(r.body).message,
      );
      expect(messages.sort()).toEqual(next.map(f => f.message).sort());
      expect(
        (await knex(ENTITY_SCORES).orderBy('entity_ref')).map(
          r => r.entity_ref,
        ),
      ).toEqual([
        'component:default/api',
        'component:default/jobs',
        'component:default/web',
      ]);
      const [{ n }] = await knex(ENTITY_FINDINGS)
        .where('entity_ref', 'component:default/worker')
        .count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the history answers as every evaluation writing a point, but for equal inner points, on %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      // api's failed weight per cycle; web's stays.
      const apiWeights = [5, 5, 5, 10, 10, 5, 5, 5];
      const everyCluster: ScoreHistoryPoint[] = [];
      const everyApi: ScoreHistoryPoint[] = [];
      for (const [i, weight] of apiWeights.entries()) {
        if (i === 2) {
          // A failed attempt between evaluations writes no point.
          await store.saveClusterFailure({
            cluster: 'prod',
            sourceKind: 'snapshot',
            runId: `f${i}`,
            attemptAt: t(i),
            error: 'timed out',
          });
        }
        const input = evaluation(`r${i}`, t(i), findingsOf(apps), app =>
          app === 'api' ? weight : 5,
        );
        const staleBefore = await knex(ENTITY_SCORES).where('stale', true);
        expect(staleBefore).toHaveLength(i === 2 ? apps.length : 0);
        await store.saveClusterSuccess(input);
        // A success makes the parts kept as they were current again.
        expect(await knex(ENTITY_SCORES).where('stale', true)).toHaveLength(0);
        const at = t(i).toISOString();
        everyCluster.unshift({
          cluster: 'prod',
          score: input.summary.score,
          evaluatedAt: at,
        });
        everyApi.unshift({
          cluster: 'prod',
          score: input.entityScores![0].summary.score,
          evaluatedAt: at,
        });
      }
      const cluster = await store.getClusterHistory('prod', 100);
      const api = await store.getEntityHistory('component:default/api', 100);
      const web = await store.getEntityHistory('component:default/web', 100);
      expect(cluster).toEqual(withoutInnerRepeats(everyCluster));
      expect(api).toEqual(withoutInnerRepeats(everyApi));
      expect(api.map(p => p.evaluatedAt)).toEqual(
        [7, 5, 4, 3, 2, 0].map(i => t(i).toISOString()),
      );
      // A score that never changed: its first and latest evaluations.
      expect(web.map(p => p.evaluatedAt)).toEqual([
        t(7).toISOString(),
        t(0).toISOString(),
      ]);
      // The limit counts the points answered.
      expect(await store.getEntityHistory('component:default/api', 2)).toEqual(
        api.slice(0, 2),
      );

      // A cluster no longer configured, an entity no longer annotated: their
      // history keeps its last point.
      await store.refreshEntities([{ entityRef: 'component:default/api' }], {
        prune: true,
        now: t(8),
      });
      expect(
        await store.getEntityHistory('component:default/web', 100),
      ).toEqual(web);
      await store.removeClustersExcept([]);
      expect(await store.getClusterHistory('prod', 100)).toEqual(cluster);
      expect(
        await store.getEntityHistory('component:default/api', 100),
      ).toEqual(api);
    },
  );

  it.each(databases.eachSupportedId())(
    "migrates down with the parts' time brought up to date, and up again, on %p",
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await store.saveClusterSuccess(evaluation('r1', t(0), findingsOf(apps)));
      await store.saveClusterSuccess(evaluation('r2', t(1), findingsOf(apps)));
      const migrations = {
        directory: resolvePackagePath(
          '@aks-baseline/plugin-aks-baseline-backend',
          'migrations',
        ),
        tableName: 'aks_baseline_knex_migrations',
      };
      // Down past this migration (and any added after it).
      while (
        (await knex.migrate.currentVersion(migrations)) >= '20261202200000'
      ) {
        await knex.migrate.down(migrations);
      }
      expect(await knex.migrate.currentVersion(migrations)).toBe(
        '20261202180000',
      );
      expect(await knex.schema.hasColumn(ENTITY_SCORES, 'content_hash')).toBe(
        false,
      );
      expect(
        await knex.schema.hasColumn(
          'aks_baseline_cluster_results',
          'parts_evaluated_at',
        ),
      ).toBe(false);
      const times = await knex(ENTITY_SCORES).select('evaluated_at');
      expect(times.map(r => new Date(r.evaluated_at).toISOString())).toEqual(
        apps.map(() => t(1).toISOString()),
      );

      await knex.migrate.latest(migrations);
      // Rows without a hash are written again, once.
      await markRows(knex);
      await store.saveClusterSuccess(evaluation('r3', t(2), findingsOf(apps)));
      expect((await rewritten(knex)).parts).toHaveLength(apps.length);
      await markRows(knex);
      await store.saveClusterSuccess(evaluation('r4', t(3), findingsOf(apps)));
      expect((await rewritten(knex)).parts).toEqual([]);
    },
  );
});
