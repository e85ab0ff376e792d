/*
 * Findings paged and filtered in the database, on a large seeded cluster:
 * the cursor walks every finding once, in order; filters are applied by the
 * query (no query returns more rows than a page); pages stop at their byte
 * budget; rows follow each evaluation.
 */
import { gunzipSync } from 'zlib';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  CATEGORIES,
  Finding,
  FindingStatus,
  SEVERITIES,
  summarize,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import { countFindings, failedRules } from '../scoring';
import { AksBaselineStore, EntityClusterScoreInput } from './AksBaselineStore';
import { FindingFilters, PageRequest } from '../database/findingsTable';

jest.setTimeout(120_000);

const STATUSES: FindingStatus[] = ['fail', 'waived', 'unknown', 'manual'];
const COUNT = 3000;

/** 3,000 findings over 12 rules, 25 namespaces (and cluster-scoped objects). */
function seedFindings(cluster: string): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < COUNT; i++) {
    const namespaced = i % 13 !== 0;
    out.push({
      ruleId: `rule-${String(i % 12).padStart(2, '0')}`,
      baselineRef: `XX-${String(i % 12).padStart(2, '0')}`,
      category: CATEGORIES[i % CATEGORIES.length],
      // Few critical ones: 1 in 50.
      severity: i % 50 === 0 ? 'critical' : SEVERITIES[1 + (i % 3)],
      status: STATUSES[i % STATUSES.length],
      cluster,
      resource: namespaced
        ? { kind: 'Deployment', name: `app-${i}`, namespace: `ns-${i % 25}` }
        : { kind: 'Namespace', name: `ns-${i % 25}` },
      message: i === 1234 ? 'The needle is here' : `finding ${i}`,
    });
  }
  return out;
}

function entityScore(
  entityRef: string,
  findings: Finding[],
): EntityClusterScoreInput {
  return {
    entityRef,
    summary: summarize({}),
    counts: countFindings(findings),
    failedRules: failedRules(findings),
    findings,
    resources: findings.map(f => f.resource),
  };
}

async function save(
  store: AksBaselineStore,
  cluster: string,
  findings: Finding[],
  entityScores?: EntityClusterScoreInput[],
) {
  await store.saveClusterSuccess({
    cluster,
    sourceKind: 'snapshot',
    runId: `run-${cluster}-${Math.random()}`,
    evaluatedAt: new Date('2026-01-10T10:00:00.000Z'),
    summary: summarize({}),
    counts: countFindings(findings),
    findings,
    subjects: [],
    stats: { objects: findings.length, rules: 12, checks: findings.length },
    entityScores,
  });
}

/** Rows each query of the store returned, to prove filtering happened in SQL. */
function rowCounter(knex: Knex) {
  const counts: number[] = [];
  const listener = (response: unknown) => {
    if (Array.isArray(response)) counts.push(response.length);
    else if (
      response &&
      typeof response === 'object' &&
      Array.isArray((response as any).rows)
    ) {
      counts.push((response as any).rows.length);
    }
  };
  knex.on('query-response', listener);
  return {
    counts,
    stop: () => knex.removeListener('query-response', listener),
  };
}

type Page = (request: PageRequest) => Promise<{
  bodies: string[];
  next?: string;
  total?: number;
}>;

async function walk(
  page: Page,
  filters: FindingFilters,
  limit: number,
  maxBytes = 1024 * 1024,
) {
  const items: Finding[] = [];
  const sizes: number[] = [];
  let after: string | undefined;
  let total: number | undefined;
  for (let i = 0; i < 10_000; i++) {
    const result = await page({
      filters,
      after,
      limit,
      maxBytes,
      withTotal: after === undefined,
    });
    if (after === undefined) total = result.total;
    items.push(...result.bodies.map(b => JSON.parse(b)));
    sizes.push(result.bodies.length);
    if (!result.next) return { items, sizes, total };
    after = result.next;
  }
  throw new Error('did not end');
}

const key = (f: Finding) =>
  `${f.cluster}/${f.ruleId}/${f.resource.kind}/${f.resource.namespace ?? ''}/${
    f.resource.name
  }`;

describe('findings paged in the database', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function seeded(databaseId: any) {
    const knex = await databases.init(databaseId);
    const store = await AksBaselineStore.create({
      database: mockServices.database({ knex }),
    });
    const findings = seedFindings('big');
    const mine = findings.filter((_, i) => i % 3 === 0);
    await save(store, 'big', findings, [
      entityScore('component:default/mine', mine),
      entityScore(
        'component:default/theirs',
        findings.filter((_, i) => i % 3 === 1),
      ),
    ]);
    const other = seedFindings('other').slice(0, 200);
    await save(store, 'other', other, [
      entityScore('component:default/mine', other.slice(0, 50)),
    ]);
    return { knex, store, findings, mine: [...mine, ...other.slice(0, 50)] };
  }

  it.each(databases.eachSupportedId())(
    'walks every finding of a cluster once, in order, page by page, on %p',
    async databaseId => {
      const { store, findings } = await seeded(databaseId);
      const page: Page = r => store.clusterFindingsPage('big', r);
      const { items, sizes, total } = await walk(page, {}, 97);
      expect(total).toBe(COUNT);
      expect(items).toHaveLength(COUNT);
      expect(new Set(items.map(key)).size).toBe(COUNT);
      expect(new Set(items.map(key))).toEqual(new Set(findings.map(key)));
      expect(sizes.slice(0, -1).every(n => n === 97)).toBe(true);
      // Failures first, then by severity.
      const rank = (f: Finding) =>
        STATUSES.indexOf(f.status) * 10 + SEVERITIES.indexOf(f.severity);
      for (let i = 1; i < items.length; i++) {
        expect(rank(items[i])).toBeGreaterThanOrEqual(rank(items[i - 1]));
      }
      // The other cluster's findings are not in it.
      expect(items.every(f => f.cluster === 'big')).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'filters in the query: no query returns more than a page, on %p',
    async databaseId => {
      const { knex, store, findings } = await seeded(databaseId);
      const page: Page = r => store.clusterFindingsPage('big', r);
      const cases: Array<[FindingFilters, (f: Finding) => boolean]> = [
        [{ severity: ['critical'] }, f => f.severity === 'critical'],
        [
          { status: ['fail', 'unknown'], category: ['images', 'identity'] },
          f =>
            ['fail', 'unknown'].includes(f.status) &&
            ['images', 'identity'].includes(f.category),
        ],
        [{ rule: ['rule-03'] }, f => f.ruleId === 'rule-03'],
        [{ namespace: [''] }, f => f.resource.namespace === undefined],
        [
          { namespace: ['ns-4'], kind: ['Deployment'] },
          f =>
            f.resource.namespace === 'ns-4' && f.resource.kind === 'Deployment',
        ],
        [
          { search: { text: 'needle', ruleIds: [] } },
          f => f.message.includes('needle'),
        ],
        [
          { search: { text: '100%', ruleIds: ['rule-07'] } },
          f => f.ruleId === 'rule-07',
        ],
        [
          { search: { text: 'xx-05', ruleIds: [] } },
          f => f.baselineRef === 'XX-05',
        ],
      ];
      for (const [filters, match] of cases) {
        const expected = findings.filter(match);
        expect(expected.length).toBeGreaterThan(0);
        const counter = rowCounter(knex);
        const { items, total } = await walk(page, filters, 50);
        counter.stop();
        expect(new Set(items.map(key))).toEqual(new Set(expected.map(key)));
        expect(items).toHaveLength(expected.length);
        expect(total).toBe(expected.length);
        // Each page query asks for 51 rows: the rest stayed in the database.
        expect(Math.max(...counter.counts)).toBeLessThanOrEqual(51);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    "pages an entity's findings over its clusters, with a cluster filter, on %p",
    async databaseId => {
      const { store, mine } = await seeded(databaseId);
      const page: Page = r =>
        store.entityFindingsPage('component:default/mine', r);
      const all = await walk(page, {}, 200);
      expect(all.total).toBe(mine.length);
      expect(new Set(all.items.map(key))).toEqual(new Set(mine.map(key)));
      expect(all.items).toHaveLength(mine.length);
      const onOther = await walk(
        page,
        { cluster: ['other'], status: ['fail'] },
        10,
      );
      expect(onOther.items.map(key).sort()).toEqual(
        mine
          .filter(f => f.cluster === 'other' && f.status === 'fail')
          .map(key)
          .sort(),
      );
      const searched = await walk(
        page,
        { search: { text: 'needle', ruleIds: [] } },
        10,
      );
      // finding 1234 is not one of "mine" (1234 % 3 = 1).
      expect(searched.items).toEqual([]);
      const nobody = await walk(
        r => store.entityFindingsPage('component:default/nobody', r),
        {},
        10,
      );
      expect(nobody).toEqual({ items: [], sizes: [0], total: 0 });
    },
  );

  it.each(databases.eachSupportedId())(
    'ends a page at its byte budget and continues from there, on %p',
    async databaseId => {
      const { store } = await seeded(databaseId);
      const page: Page = r => store.clusterFindingsPage('big', r);
      const { items, sizes } = await walk(
        page,
        { rule: ['rule-01'] },
        500,
        2000,
      );
      expect(items).toHaveLength(COUNT / 12);
      expect(new Set(items.map(key)).size).toBe(COUNT / 12);
      expect(Math.max(...sizes)).toBeLessThan(20);
      // One finding larger than the budget still makes a page.
      const single = await page({ filters: {}, limit: 10, maxBytes: 1 });
      expect(single.bodies).toHaveLength(1);
      expect(single.next).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'replaces the rows with each evaluation and forgets removed clusters and entities, on %p',
    async databaseId => {
      const { knex, store, findings } = await seeded(databaseId);
      const count = async (table: string) =>
        Number((await knex(table).count({ n: '*' }))[0].n);
      const fewer = findings.slice(0, 100);
      await save(store, 'big', fewer, [
        entityScore('component:default/mine', fewer.slice(0, 10)),
      ]);
      const again = await walk(
        r => store.clusterFindingsPage('big', r),
        {},
        500,
      );
      expect(new Set(again.items.map(key))).toEqual(new Set(fewer.map(key)));
      expect((await store.getCluster('big'))?.totalFindings).toBe(100);

      // A run without entity scores (catalog unavailable) keeps the links
      // whose findings are still there.
      await save(store, 'big', fewer.slice(5));
      const kept = await walk(
        r => store.entityFindingsPage('component:default/mine', r),
        { cluster: ['big'] },
        500,
      );
      expect(kept.items.map(key).sort()).toEqual(
        fewer.slice(5, 10).map(key).sort(),
      );

      await store.refreshEntities([{ entityRef: 'component:default/theirs' }], {
        prune: true,
      });
      expect(
        await knex('aks_baseline_entity_findings')
          .where('entity_ref', 'component:default/mine')
          .count({ n: '*' })
          .then(r => Number(r[0].n)),
      ).toBe(0);
      await store.removeClustersExcept(['other']);
      expect(
        await knex('aks_baseline_cluster_findings')
          .where('cluster', 'big')
          .count({ n: '*' })
          .then(r => Number(r[0].n)),
      ).toBe(0);
      expect(await count('aks_baseline_cluster_findings')).toBe(200);
    },
  );

  it.each(databases.eachSupportedId())(
    'walks the order index for a page after a large change (planner statistics refreshed), on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await AksBaselineStore.create({
        database: mockServices.database({ knex }),
      });
      await save(store, 'small', seedFindings('small').slice(0, 500));
      await save(store, 'big', seedFindings('big'));
      const page = `select sort_key, body from aks_baseline_cluster_findings
          where cluster = 'big' order by sort_key limit 101`;
      const pg = (knex.client as { dialect?: string }).dialect === 'postgresql';
      const plan = pg
        ? (await knex.raw(`explain ${page}`)).rows.map(
            (r: any) => r['QUERY PLAN'],
          )
        : (await knex.raw(`explain query plan ${page}`)).map(
            (r: any) => r.detail,
          );
      expect(plan.join('\n')).toMatch(/aks_baseline_cfind_order_idx/);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves findings stored as JSON lists by an earlier version into rows, and builds the answers again, on %p',
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
      await knex.migrate.up({
        ...migrations,
        name: '20251128200000_entity_answers.js',
      });
      await knex.migrate.up({
        ...migrations,
        name: '20261129120000_unreadable_kinds.js',
      });
      const findings = seedFindings('prod').slice(0, 40);
      const own = findings.filter((_, i) => i % 2 === 0);
      const at = new Date('2026-01-10T10:00:00.000Z');
      const summary = JSON.stringify(summarize({}));
      await knex('aks_baseline_cluster_results').insert({
        cluster: 'prod',
        source_kind: 'snapshot',
        summary,
        counts: JSON.stringify(countFindings(findings)),
        findings: JSON.stringify(findings),
        failed_rules: JSON.stringify(failedRules(findings)),
        evaluated_at: at,
        last_attempt_at: at,
      });
      await knex('aks_baseline_entity_scores').insert({
        entity_ref: 'component:default/a',
        cluster: 'prod',
        summary,
        counts: JSON.stringify(countFindings(own)),
        failed_rules: JSON.stringify(failedRules(own)),
        findings: JSON.stringify(own),
        resources: JSON.stringify(own.map(f => f.resource)),
        evaluated_at: at,
      });
      await knex('aks_baseline_entities').insert({
        entity_ref: 'component:default/a',
        owner: 'group:default/team-a',
        summary,
        counts: '{}',
        failed_rules: '{}',
        clusters: '["prod"]',
        resource_count: own.length,
        evaluated_at: at,
        response_gzip: Buffer.from('not the current shape'),
      });

      const store = await AksBaselineStore.create({
        database: mockServices.database({ knex }),
      });
      const cluster = await walk(
        r => store.clusterFindingsPage('prod', r),
        {},
        7,
      );
      expect(new Set(cluster.items.map(key))).toEqual(
        new Set(findings.map(key)),
      );
      const entity = await walk(
        r => store.entityFindingsPage('component:default/a', r),
        {},
        7,
      );
      expect(new Set(entity.items.map(key))).toEqual(new Set(own.map(key)));
      expect((await store.getCluster('prod'))?.totalFindings).toBe(40);
      const answer = await store.getEntityScoreResponse('component:default/a');
      const body = JSON.parse(gunzipSync(answer!.responseGzip!).toString());
      expect(body).toEqual(
        expect.objectContaining({
          entityRef: 'component:default/a',
          owner: 'group:default/team-a',
          totalFindings: own.length,
          failingRules: expect.any(Array),
        }),
      );
      expect(
        body.failingRules.reduce((n: number, r: any) => n + r.failures, 0),
      ).toBe(own.filter(f => f.status === 'fail').length);
      const [legacy] = await knex('aks_baseline_cluster_results').select(
        'findings',
      );
      expect(legacy.findings).toBeNull();

      // And back down (past the later migrations): the lists hold the
      // findings again.
      while (
        (await knex.migrate.currentVersion(migrations)) > '20261129120000'
      ) {
        await knex.migrate.down(migrations);
      }
      const [down] = await knex('aks_baseline_cluster_results').select(
        'findings',
      );
      expect(new Set(JSON.parse(down.findings).map(key))).toEqual(
        new Set(findings.map(key)),
      );
      const [downEntity] = await knex('aks_baseline_entity_scores').select(
        'findings',
      );
      expect(JSON.parse(downEntity.findings)).toHaveLength(own.length);
    },
  );
});
