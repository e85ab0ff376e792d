/*
 * Policy Reports storage on SQLite and PostgreSQL: a cluster's read replaces
 * the previous one, an unchanged read writes no result row again, a 403
 * stays "unreadable" (never "no reports"), an entity sees the results about
 * its own objects only, and the row limits drop passes first.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { PolicyReportResultItem } from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import {
  POLICY_REPORT_RESULTS,
  PolicyReportsRepository,
} from './PolicyReportsRepository';

jest.setTimeout(60_000);

const AT = new Date('2026-12-01T10:00:00Z');
const LATER = new Date('2026-12-01T10:30:00Z');

function result(
  over: Partial<PolicyReportResultItem> & {
    name: string;
    namespace?: string;
  },
): PolicyReportResultItem {
  const { name, namespace = 'storefront', ...rest } = over;
  return {
    source: 'kyverno',
    policy: 'disallow-latest-tag',
    rule: 'autogen-validate-image-tag',
    category: 'Best Practices',
    severity: 'medium',
    result: 'fail',
    message:
      "validation error: Using a mutable image tag e.g. 'latest' is not allowed.",
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace },
    report: { kind: 'PolicyReport', name: `uid-${name}`, namespace },
    timestamp: '2026-11-30T08:12:41.000Z',
    ...rest,
  };
}

const READ = {
  status: 'read' as const,
  results: [
    result({ name: 'catalog-search' }),
    result({
      name: 'catalog-search',
      policy: 'require-run-as-nonroot',
      rule: 'autogen-run-as-non-root',
      category: 'Pod Security Standards (Restricted)',
    }),
    result({ name: 'storefront-web', result: 'pass' }),
    result({
      name: 'storefront-web',
      policy: 'restrict-image-registries',
      result: 'warn',
      severity: 'low',
    }),
    result({
      name: 'storefront',
      namespace: undefined,
      policy: 'require-ns-owner-label',
      severity: 'high',
      resource: { kind: 'Namespace', name: 'storefront' },
      report: { kind: 'ClusterPolicyReport', name: 'uid-ns-storefront' },
    }),
  ],
};

describe('PolicyReportsRepository', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: any): Promise<Knex> {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@aks-baseline/plugin-aks-baseline-backend',
        'migrations',
      ),
      tableName: 'aks_baseline_knex_migrations',
    });
    return knex;
  }

  it.each(databases.eachSupportedId())(
    'stores a cluster read, lists what needs attention worst first and rewrites nothing unchanged, %p',
    async databaseId => {
      const knex = await setup(databaseId);
      const repo = new PolicyReportsRepository(knex);
      expect(await repo.forCluster('aks-dev')).toBeUndefined();

      expect(await repo.save('aks-dev', READ, AT)).toEqual({ written: true });
      const stored = await repo.forCluster('aks-dev');
      expect(stored).toEqual({
        cluster: 'aks-dev',
        status: 'read',
        readAt: AT.toISOString(),
        counts: { pass: 1, fail: 3, warn: 1, error: 0, skip: 0 },
        // Fail before warn, high before medium; no pass listed.
        results: [
          READ.results[4],
          READ.results[0],
          READ.results[1],
          READ.results[3],
        ],
        truncated: false,
      });

      const ids = async () =>
        (await knex(POLICY_REPORT_RESULTS).select('id').orderBy('id')).map(r =>
          Number(r.id),
        );
      const before = await ids();
      expect(await repo.save('aks-dev', READ, LATER)).toEqual({
        written: false,
      });
      expect(await ids()).toEqual(before);
      expect((await repo.forCluster('aks-dev'))?.readAt).toBe(
        LATER.toISOString(),
      );

      // A new read replaces the cluster's results, and no other cluster's.
      await repo.save('aks-prod', READ, AT);
      await repo.save(
        'aks-dev',
        { status: 'read', results: [READ.results[2]] },
        LATER,
      );
      expect(await repo.forCluster('aks-dev')).toMatchObject({
        counts: { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 },
        results: [],
      });
      expect((await repo.forCluster('aks-prod'))?.results).toHaveLength(4);

      // A cluster that left the fleet is forgotten, and only that one.
      await repo.deleteClusters(['aks-prod']);
      expect(await repo.forCluster('aks-prod')).toBeUndefined();
      expect(
        await knex(POLICY_REPORT_RESULTS).where({ cluster: 'aks-prod' }),
      ).toEqual([]);
      expect((await repo.forCluster('aks-dev'))?.counts.pass).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps "not installed" and "unreadable" apart from "no reports", %p',
    async databaseId => {
      const knex = await setup(databaseId);
      const repo = new PolicyReportsRepository(knex);
      await repo.save('aks-dev', READ, AT);
      await repo.save(
        'aks-dev',
        {
          status: 'unreadable',
          reason: 'PolicyReport: forbidden (403)',
          results: [],
        },
        LATER,
      );
      expect(await repo.forCluster('aks-dev')).toEqual({
        cluster: 'aks-dev',
        status: 'unreadable',
        reason: 'PolicyReport: forbidden (403)',
        readAt: LATER.toISOString(),
        counts: { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 },
        results: [],
        truncated: false,
      });
      await repo.save('aks-prod', { status: 'not-installed', results: [] }, AT);
      expect((await repo.forCluster('aks-prod'))?.status).toBe('not-installed');
    },
  );

  it.each(databases.eachSupportedId())(
    'gives an entity the results about its own objects only, %p',
    async databaseId => {
      const knex = await setup(databaseId);
      const repo = new PolicyReportsRepository(knex);
      await repo.save('aks-dev', READ, AT);
      const catalogSearch = await repo.forResources('aks-dev', [
        { kind: 'Deployment', name: 'catalog-search', namespace: 'storefront' },
        { kind: 'Service', name: 'catalog-search', namespace: 'storefront' },
      ]);
      expect(catalogSearch?.counts).toEqual({
        pass: 0,
        fail: 2,
        warn: 0,
        error: 0,
        skip: 0,
      });
      expect(catalogSearch?.results.map(r => r.policy)).toEqual([
        'disallow-latest-tag',
        'require-run-as-nonroot',
      ]);
      const namespace = await repo.forResources('aks-dev', [
        { kind: 'Namespace', name: 'storefront' },
      ]);
      expect(namespace?.results.map(r => r.policy)).toEqual([
        'require-ns-owner-label',
      ]);
      expect(
        (
          await repo.forResources('aks-dev', [
            { kind: 'Deployment', name: 'other', namespace: 'storefront' },
          ])
        )?.counts.fail,
      ).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores at most its row limit, passes dropped first, and says the answer is partial, %p',
    async databaseId => {
      const knex = await setup(databaseId);
      const repo = new PolicyReportsRepository(knex, { stored: 3, listed: 1 });
      await repo.save('aks-dev', READ, AT);
      const rows = await knex(POLICY_REPORT_RESULTS).select('result');
      expect(rows.map(r => r.result).sort()).toEqual(['fail', 'fail', 'fail']);
      const stored = await repo.forCluster('aks-dev');
      expect(stored?.counts).toEqual({
        pass: 1,
        fail: 3,
        warn: 1,
        error: 0,
        skip: 0,
      });
      expect(stored?.results).toHaveLength(1);
      expect(stored?.truncated).toBe(true);
    },
  );
});
