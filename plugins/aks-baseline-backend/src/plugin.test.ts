import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  ClustersResponse,
  EntityHistoryResponse,
  EntityScoreResponse,
  EvaluationRunsResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  DEV,
  PROD,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from './__testUtils__/testBackend';
import { allFindings } from './__testUtils__/findings';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';

describe('aks-baseline backend plugin (integration)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'evaluates the snapshot clusters, scores catalog entities and keeps stale results, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startAksBaselineTestBackend({ knex });
      const { server, clusterDir, cleanup } = backend;
      try {
        // Nothing evaluated yet.
        const before = await request(server).get(
          `${API}/entities/default/component/checkout-api/score`,
        );
        expect(before.status).toBe(404);
        expect(before.body.error.reason).toBe('not-evaluated');

        const trigger = await request(server)
          .post(`${API}/evaluations`)
          .send({});
        expect(trigger.status).toBe(202);
        expect(trigger.body).toEqual({
          accepted: true,
          clusters: [PROD, DEV],
        });
        await waitForEvaluationOfAll(backend);

        const clusters: ClustersResponse = (
          await request(server).get(`${API}/clusters`)
        ).body;
        expect(
          clusters.items.map(c => [c.name, c.sourceKind, c.stale]),
        ).toEqual([
          [DEV, 'snapshot', false],
          [PROD, 'snapshot', false],
        ]);
        const prod = clusters.items.find(c => c.name === PROD)!;
        const dev = clusters.items.find(c => c.name === DEV)!;
        expect(prod.score).toBeGreaterThanOrEqual(90);
        expect(dev.score).toBeLessThan(70);
        expect(
          dev.counts.failing.critical + dev.counts.failing.high,
        ).toBeGreaterThan(0);

        const scoreRes = await request(server).get(
          `${API}/entities/default/component/checkout-api/score`,
        );
        expect(scoreRes.status).toBe(200);
        const score: EntityScoreResponse = scoreRes.body;
        expect(score.entityRef).toBe('component:default/checkout-api');
        expect(score.owner).toBe('group:default/team-payments');
        expect(score.stale).toBe(false);
        expect(score.clusters.map(c => c.cluster)).toEqual([DEV, PROD]);
        const prodPart = score.clusters.find(c => c.cluster === PROD)!;
        const devPart = score.clusters.find(c => c.cluster === DEV)!;
        expect(prodPart.score).toBe(100);
        expect(devPart.score).toBeLessThan(100);
        expect(prodPart.resources).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              kind: 'Deployment',
              name: 'checkout-api',
              namespace: 'payments',
            }),
          ]),
        );
        expect(score.score).toBeGreaterThanOrEqual(devPart.score!);
        const scoreFindings = await allFindings(
          server,
          `${API}/entities/default/component/checkout-api/findings`,
        );
        expect(scoreFindings.every(f => f.cluster === DEV)).toBe(true);
        expect(scoreFindings.length).toBeGreaterThan(0);
        expect(scoreFindings).toHaveLength(score.totalFindings);
        expect(score.categories.length).toBeGreaterThan(0);

        // Only on the dev cluster, and worse.
        const search: EntityScoreResponse = (
          await request(server).get(
            `${API}/entities/default/component/catalog-search/score`,
          )
        ).body;
        expect(search.clusters.map(c => c.cluster)).toEqual([DEV]);
        expect(search.score).toBeLessThan(score.score!);
        expect(search.counts.failing.high).toBeGreaterThan(0);

        // The cluster Resource gets the cluster-level results.
        const resource: EntityScoreResponse = (
          await request(server).get(
            `${API}/entities/default/resource/${PROD}/score`,
          )
        ).body;
        expect(resource.clusters[0].resources[0]).toEqual({
          kind: 'ManagedCluster',
          name: PROD,
        });
        expect(resource.score).toEqual(expect.any(Number));
        const resourceFindings = await allFindings(
          server,
          `${API}/entities/default/resource/${PROD}/findings`,
        );
        expect(resourceFindings.length).toBeGreaterThan(0);
        expect(
          resourceFindings.every(f =>
            ['ManagedCluster', 'AgentPool'].includes(f.resource.kind),
          ),
        ).toBe(true);

        // The cluster's fixture becomes malformed: last good result stays, stale.
        fs.writeFileSync(
          path.join(clusterDir(PROD), 'cluster.json'),
          '{ "name": "aks-prod-westeurope", ',
        );
        expect(
          (await request(server).post(`${API}/evaluations`).send({})).status,
        ).toBe(202);
        await waitForEvaluationOfAll(backend, 2);
        const afterClusters: ClustersResponse = (
          await request(server).get(`${API}/clusters`)
        ).body;
        const staleProd = afterClusters.items.find(c => c.name === PROD)!;
        expect(staleProd.stale).toBe(true);
        expect(staleProd.score).toBe(prod.score);
        expect(staleProd.evaluatedAt).toBe(prod.evaluatedAt);
        expect(staleProd.staleReason).toMatch(/cluster\.json/);
        expect(staleProd.lastError).toBe(staleProd.staleReason);
        expect(afterClusters.items.find(c => c.name === DEV)!.stale).toBe(
          false,
        );

        const staleScore: EntityScoreResponse = (
          await request(server).get(
            `${API}/entities/default/component/checkout-api/score`,
          )
        ).body;
        expect(staleScore.stale).toBe(true);
        expect(staleScore.staleReason).toContain(`${PROD}: `);
        expect(staleScore.score).toBe(score.score);
        expect(staleScore.clusters.find(c => c.cluster === PROD)!.stale).toBe(
          true,
        );

        const runs: EvaluationRunsResponse = (
          await request(server).get(`${API}/evaluations?cluster=${PROD}`)
        ).body;
        expect(runs.items.map(r => r.status)).toEqual(['failed', 'success']);
        expect(runs.items[0].trigger).toBe('manual');
        expect(runs.items[0].error).toBe(staleProd.staleReason);

        // History: one point per cluster per successful run.
        const history: EntityHistoryResponse = (
          await request(server).get(
            `${API}/entities/default/component/checkout-api/history?limit=10`,
          )
        ).body;
        expect(history.items.filter(p => p.cluster === PROD)).toHaveLength(1);
        expect(history.items.filter(p => p.cluster === DEV)).toHaveLength(2);
        expect(history.items[0]).toEqual({
          cluster: expect.any(String),
          score: expect.any(Number),
          evaluatedAt: expect.any(String),
        });
      } finally {
        await cleanup();
      }
    },
  );

  it('evaluates one cluster on request and reports the run', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server, cleanup } = await startAksBaselineTestBackend({ knex });
    try {
      const res = await request(server)
        .post(`${API}/evaluations`)
        .send({ cluster: DEV });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        accepted: true,
        clusters: [DEV],
        runId: expect.any(String),
      });
      let runs: EvaluationRunsResponse;
      for (let i = 0; ; i++) {
        runs = (await request(server).get(`${API}/evaluations`)).body;
        if (runs.items[0]?.status !== 'running') break;
        if (i > 100) throw new Error('run did not finish');
        await new Promise(r => setTimeout(r, 50));
      }
      expect(runs.items).toEqual([
        expect.objectContaining({
          id: res.body.runId,
          cluster: DEV,
          trigger: 'manual',
          status: 'success',
          entities: 2,
        }),
      ]);
      const clusters: ClustersResponse = (
        await request(server).get(`${API}/clusters`)
      ).body;
      expect(clusters.items.map(c => c.name)).toEqual([DEV]);
    } finally {
      await cleanup();
    }
  });
});
