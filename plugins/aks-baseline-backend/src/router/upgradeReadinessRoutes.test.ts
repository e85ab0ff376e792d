import fs from 'fs';
import path from 'path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEV,
  PROD,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from '../__testUtils__/testBackend';
import type { UpgradeReadinessResponse } from './upgradeReadinessRoutes';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';

/** A budget that refuses every eviction, in the dev cluster's payments namespace. */
const BLOCKING_PDB = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'checkout-api-strict', namespace: 'payments' },
  spec: {
    maxUnavailable: 0,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout-api' } },
  },
};

describe('GET /clusters/:name/upgrade-readiness', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ctx: Awaited<ReturnType<typeof startAksBaselineTestBackend>>;
  const allow = jest.fn(
    async (requests: unknown[]): Promise<Array<{ result: AuthorizeResult }>> =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  );

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    ctx = await startAksBaselineTestBackend({
      knex,
      permissions: mockServices.permissions.mock({
        authorize: allow as any,
        authorizeConditional: allow as any,
      }).factory,
    });
  });

  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('answers from the findings, unknown while a cluster has no result', async () => {
    const before = await request(ctx.server).get(
      `${API}/clusters/${DEV}/upgrade-readiness`,
    );
    // No attempt yet: no row for the cluster.
    expect(before.status).toBe(404);
    // Prod's snapshot cannot be read: its attempt fails, nothing is judged.
    fs.writeFileSync(path.join(ctx.clusterDir(PROD), 'broken.json'), '{');
    fs.writeFileSync(
      path.join(ctx.clusterDir(DEV), 'blocking-pdb.json'),
      JSON.stringify(BLOCKING_PDB),
    );
    const accepted = await request(ctx.server)
      .post(`${API}/evaluations`)
      .send({});
    expect(accepted.status).toBe(202);
    await waitForEvaluationOfAll(ctx);

    const dev = await request(ctx.server).get(
      `${API}/clusters/${DEV}/upgrade-readiness`,
    );
    expect(dev.status).toBe(200);
    const body = dev.body as UpgradeReadinessResponse;
    expect(body).toMatchObject({
      cluster: DEV,
      sourceKind: 'snapshot',
      status: 'blocked',
      evaluatedAt: expect.any(String),
    });
    expect(body.blockers).toContainEqual(
      expect.objectContaining({
        ruleId: 'pdb-allows-upgrade-drain',
        resource: expect.objectContaining({
          kind: 'PodDisruptionBudget',
          name: 'checkout-api-strict',
          namespace: 'payments',
        }),
      }),
    );
    expect(
      [...body.blockers, ...body.unknowns, ...body.advisories].every(f =>
        body.rules.includes(f.ruleId),
      ),
    ).toBe(true);

    const prod = await request(ctx.server).get(
      `${API}/clusters/${PROD}/upgrade-readiness`,
    );
    expect(prod.status).toBe(200);
    expect(prod.body).toEqual({
      cluster: PROD,
      sourceKind: 'snapshot',
      rules: body.rules,
      status: 'unknown',
      blockers: [],
      unknowns: [],
      advisories: [],
    });
  });

  it('is 404 for a cluster that does not exist, 401 without a token', async () => {
    const missing = await request(ctx.server).get(
      `${API}/clusters/aks-nowhere/upgrade-readiness`,
    );
    expect(missing.status).toBe(404);
    const anonymous = await request(ctx.server)
      .get(`${API}/clusters/${DEV}/upgrade-readiness`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('is 404 for a cluster the caller may not see', async () => {
    allow.mockImplementation(async requests =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
    );
    try {
      const hidden = await request(ctx.server)
        .get(`${API}/clusters/${DEV}/upgrade-readiness`)
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/someone-else'),
        );
      expect(hidden.status).toBe(404);
    } finally {
      allow.mockImplementation(async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      );
    }
  });
});
