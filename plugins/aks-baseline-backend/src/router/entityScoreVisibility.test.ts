/*
 * The score route for a caller who may see an entity but not every cluster
 * it runs on: the answer names none of the others (aks-baseline.findings.read
 * follows each cluster's Resource, docs/access.md section 7).
 */
import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';
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
const SCORE = `${API}/entities/default/component/checkout-api/score`;

describe('the score of an entity on clusters the caller may not all see', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ctx: Awaited<ReturnType<typeof startAksBaselineTestBackend>>;

  beforeAll(async () => {
    ctx = await startAksBaselineTestBackend({
      knex: await databases.init('SQLITE_3'),
      entities: TEAM_ENTITIES,
      permissions: teamPermissions(),
    });
    // Without its disruption budget, checkout-api has a finding on prod too.
    const file = path.join(ctx.clusterDir(PROD), 'workloads.json');
    const list = JSON.parse(fs.readFileSync(file, 'utf8'));
    list.items = list.items.filter(
      (o: any) => o.kind !== 'PodDisruptionBudget',
    );
    fs.writeFileSync(file, JSON.stringify(list));
    await request(ctx.server).post(`${API}/evaluations`).send({});
    await waitForEvaluationOfAll(ctx);
  });

  afterAll(async () => {
    await ctx?.cleanup();
  });

  const score = async (user?: string, etag?: string) => {
    const call = request(ctx.server)
      .get(SCORE)
      .set('Authorization', mockCredentials.user.header(user));
    if (etag) call.set('If-None-Match', etag);
    return call;
  };

  it('names the clusters the caller may see only, and keeps the entity score', async () => {
    const whole = await score();
    const all: EntityScoreResponse = whole.body;
    expect(all.clusters.map(c => c.cluster)).toEqual([DEV, PROD]);
    expect(whole.text).toContain(PROD);

    const part = await score(DEVELOPER);
    expect(part.status).toBe(200);
    expect(part.text).not.toContain(PROD);
    const seen: EntityScoreResponse = part.body;
    expect(seen.clusters.map(c => c.cluster)).toEqual([DEV]);
    expect(seen.clusters[0]).toEqual(all.clusters[0]);
    expect(Object.keys(seen.facets.cluster)).toEqual(
      Object.keys(all.facets.cluster).filter(c => c !== PROD),
    );
    for (const rule of seen.failingRules) {
      expect(rule.clusters.every(c => c === DEV)).toBe(true);
    }
    // The entity's own results stay whole; nothing says a part was left out.
    const { clusters: _a, facets: _b, failingRules: _c, ...rest } = all;
    expect(seen).toEqual(expect.objectContaining(rest));
    expect(Object.keys(seen)).toEqual(Object.keys(all));

    // Its own ETag, and 304 for a client that has it.
    expect(part.headers.etag).not.toEqual(whole.headers.etag);
    expect((await score(DEVELOPER, part.headers.etag)).status).toBe(304);
  });

  it("leaves the other clusters out of the entity's findings, history and the overview", async () => {
    const get = (route: string, user?: string) =>
      request(ctx.server)
        .get(`${API}${route}`)
        .set('Authorization', mockCredentials.user.header(user));
    const entity = '/entities/default/component/checkout-api';
    for (const route of [
      `${entity}/findings?limit=500`,
      `${entity}/history`,
      '/overview',
    ]) {
      expect((await get(route)).text).toContain(PROD);
      const seen = await get(route, DEVELOPER);
      expect(seen.status).toBe(200);
      expect(seen.text).not.toContain(PROD);
      expect(seen.text).toContain(DEV);
    }
    // A cluster filter of a hidden cluster finds nothing.
    const filtered = await get(
      `${entity}/findings?cluster=${PROD}&cluster=${DEV}`,
      DEVELOPER,
    );
    expect(filtered.body.items.length).toBeGreaterThan(0);
    expect(
      (await get(`${entity}/findings?cluster=${PROD}`, DEVELOPER)).body,
    ).toEqual({ items: [], total: 0 });
  });
});
