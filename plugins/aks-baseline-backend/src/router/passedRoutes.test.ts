import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  ClusterDetailResponse,
  PassedChecksResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  DEV,
  PROD,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from '../__testUtils__/testBackend';
import {
  DEVELOPER,
  TEAM_ENTITIES,
  teamPermissions,
} from '../__testUtils__/teamAccess';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
const CHECKOUT = '/entities/default/component/checkout-api';

describe('the passed checks routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ctx: Awaited<ReturnType<typeof startAksBaselineTestBackend>>;

  beforeAll(async () => {
    ctx = await startAksBaselineTestBackend({
      knex: await databases.init('SQLITE_3'),
      entities: TEAM_ENTITIES,
      permissions: teamPermissions(),
    });
    await request(ctx.server).post(`${API}/evaluations`).send({});
    await waitForEvaluationOfAll(ctx);
  });

  afterAll(async () => {
    await ctx?.cleanup();
  });

  const get = (route: string, user?: string) =>
    request(ctx.server)
      .get(`${API}${route}`)
      .set('Authorization', mockCredentials.user.header(user));

  it("serves a cluster's passes by category, as many as its result counts", async () => {
    const cluster: ClusterDetailResponse = (await get(`/clusters/${PROD}`))
      .body;
    const res = await get(`/clusters/${PROD}/passed`);
    expect(res.status).toBe(200);
    const body: PassedChecksResponse = res.body;
    expect(body.total).toBe(cluster.totals.passed);
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.every(i => i.cluster === PROD && i.passed > 0)).toBe(
      true,
    );
    for (const category of cluster.categories.filter(c => c.passed > 0)) {
      expect(body.items).toContainEqual({
        cluster: PROD,
        category: category.category,
        passed: category.passed,
      });
    }
  });

  it("serves an entity's passes on each cluster, leaving out the clusters the caller may not see", async () => {
    const all: PassedChecksResponse = (await get(`${CHECKOUT}/passed`)).body;
    expect([...new Set(all.items.map(i => i.cluster))]).toEqual([DEV, PROD]);

    const res = await get(`${CHECKOUT}/passed`, DEVELOPER);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(PROD);
    const seen: PassedChecksResponse = res.body;
    const onDev = all.items.filter(i => i.cluster === DEV);
    expect(seen.items).toEqual(onDev);
    expect(seen.total).toBe(onDev.reduce((n, i) => n + i.passed, 0));

    // As for findings: an entity they may not see has none.
    expect(
      (
        await get(
          '/entities/default/component/catalog-search/passed',
          DEVELOPER,
        )
      ).body,
    ).toEqual({ items: [], total: 0 });
  });

  it('answers a cluster the caller may not see as one that does not exist', async () => {
    expect((await get(`/clusters/${PROD}/passed`, DEVELOPER)).status).toBe(404);
    expect((await get(`/clusters/${DEV}/passed`, DEVELOPER)).status).toBe(200);
    expect((await get('/clusters/nope/passed')).status).toBe(404);
    expect((await get(`/clusters/${DEV}/passed?status=pass`)).status).toBe(400);
  });
});
