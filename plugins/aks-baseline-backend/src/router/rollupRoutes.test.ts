/*
 * GET /rollup (the Group and System cards) and GET /clusters/:name/history
 * (the cluster tab's trend): what they answer, and that a caller limited to
 * team-payments' entities and clusters sees only those.
 */
import {
  ClusterSummary,
  EntityHistoryResponse,
  OverviewResponse,
  RollupResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import { DEV, PROD } from '../__testUtils__/testBackend';
import { DEVELOPER, evaluatedTeamBackend } from '../__testUtils__/teamAccess';

jest.setTimeout(120_000);

describe('rollup routes', () => {
  const { get } = evaluatedTeamBackend();

  it("gives a team the overview's owner score and its entities, lowest first", async () => {
    const overview: OverviewResponse = (
      await get('/overview?owner=team-storefront')
    ).body;
    const row = overview.owners.find(
      o => o.owner === 'group:default/team-storefront',
    )!;
    expect(row.score).not.toBeNull();

    const res = await get('/rollup?owner=team-storefront');
    expect(res.status).toBe(200);
    const body: RollupResponse = res.body;
    expect(body.owner).toBe('group:default/team-storefront');
    expect(body.score).toBe(row.score);
    expect(body.grade).toBe(row.grade);
    expect(body.counts).toEqual(row.counts);
    expect(body.entities.map(e => e.entityRef)).toEqual(
      overview.entities.map(e => e.entityRef),
    );
    const scores = body.entities.map(e => e.score!);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(body.entityTotal).toBe(body.entities.length);
  });

  it("gives the named entities (a system's parts) taken together", async () => {
    const one = (await get('/entities/default/component/checkout-api/score'))
      .body;
    const res = await get('/rollup?entity=component:default/checkout-api');
    expect(res.status).toBe(200);
    const body: RollupResponse = res.body;
    expect(body.entities.map(e => e.entityRef)).toEqual([
      'component:default/checkout-api',
    ]);
    // One entity taken together is that entity.
    expect(body.score).toBe(one.score);
    expect(body.owner).toBeUndefined();

    const both: RollupResponse = (
      await get(
        '/rollup?entity=component:default/checkout-api,component:default/catalog-search',
      )
    ).body;
    expect(both.entities.map(e => e.entityRef).sort()).toEqual([
      'component:default/catalog-search',
      'component:default/checkout-api',
    ]);
  });

  it('asks for either an owner or entities', async () => {
    expect((await get('/rollup')).status).toBe(400);
    // An entity ref must name its kind.
    expect(
      (await get('/rollup?owner=team-payments&entity=component:default/x'))
        .status,
    ).toBe(400);
    expect((await get('/rollup?entity=checkout-api')).status).toBe(400);
  });

  it('leaves out of a rollup the entities the caller may not see', async () => {
    const res = await get(
      '/rollup?entity=component:default/checkout-api,component:default/catalog-search',
      DEVELOPER,
    );
    expect(res.status).toBe(200);
    expect((res.body as RollupResponse).entities.map(e => e.entityRef)).toEqual(
      ['component:default/checkout-api'],
    );
    const team: RollupResponse = (
      await get('/rollup?owner=team-storefront', DEVELOPER)
    ).body;
    expect(team.entities).toEqual([]);
    expect(team.score).toBeNull();
  });

  it("gives a cluster's history, newest first, ending at its score", async () => {
    const cluster: ClusterSummary = (await get(`/clusters/${PROD}`)).body;
    const res = await get(`/clusters/${PROD}/history`);
    expect(res.status).toBe(200);
    const body: EntityHistoryResponse = res.body;
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every(p => p.cluster === PROD)).toBe(true);
    expect(body.items[0].score).toBe(cluster.score);
    expect((await get(`/clusters/no-such-cluster/history`)).status).toBe(404);
  });

  it('answers a cluster the caller may not see as one that does not exist', async () => {
    expect((await get(`/clusters/${DEV}/history`, DEVELOPER)).status).toBe(200);
    expect((await get(`/clusters/${PROD}/history`, DEVELOPER)).status).toBe(
      404,
    );
  });
});
