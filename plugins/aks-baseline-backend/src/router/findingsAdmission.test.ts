/*
 * Deployment Safeguards awareness through the findings API: each finding
 * carries what the cluster's Safeguards do with its object at admission,
 * as admissionControl says for the Safeguards the evaluation read.
 */
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import {
  admissionControl,
  normalizeDeploymentSafeguards,
} from '@aks-baseline/plugin-aks-baseline-node';
import {
  DEV,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';

describe('findings marked with what Safeguards do at admission', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ctx: Awaited<ReturnType<typeof startAksBaselineTestBackend>>;
  let evaluations = 0;
  const allow = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));

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

  async function findings(): Promise<Finding[]> {
    const out: Finding[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(ctx.server).get(
        `${API}/clusters/${DEV}/findings?limit=500${
          cursor ? `&cursor=${cursor}` : ''
        }`,
      );
      expect(res.status).toBe(200);
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }

  async function evaluateWith(safeguards: object) {
    fs.writeFileSync(
      path.join(ctx.clusterDir(DEV), 'deploymentsafeguards.json'),
      JSON.stringify(safeguards),
    );
    expect(
      (await request(ctx.server).post(`${API}/evaluations`).send({})).status,
    ).toBe(202);
    await waitForEvaluationOfAll(ctx, ++evaluations);
    return normalizeDeploymentSafeguards(safeguards);
  }

  function document(level: string, pss: string) {
    return {
      value: [
        {
          id: `/subscriptions/6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/${DEV}/providers/Microsoft.ContainerService/deploymentSafeguards/default`,
          name: 'default',
          type: 'Microsoft.ContainerService/deploymentSafeguards',
          properties: {
            level,
            podSecurityStandardsLevel: pss,
            excludedNamespaces: [],
            systemExcludedNamespaces: ['kube-system'],
            provisioningState: 'Succeeded',
          },
        },
      ],
    };
  }

  it.each([
    ['Warn', 'Privileged'],
    ['Enforce', 'Restricted'],
  ])(
    'marks each failing finding as admissionControl says (%s, %s)',
    async (level, pss) => {
      const safeguards = await evaluateWith(document(level, pss));
      const items = await findings();
      const expected = items.map(({ admission: _, ...f }) =>
        f.status === 'fail' || f.status === 'waived'
          ? admissionControl(f, safeguards)
          : undefined,
      );
      expect(items.map(f => f.admission)).toEqual(expected);
      const marked = items.filter(f => f.admission);
      expect(marked.length).toBeGreaterThan(0);
      // Warn only warns; Enforce refuses or changes.
      expect(
        marked.filter(
          f => (f.admission!.effect === 'warn') !== (level === 'Warn'),
        ),
      ).toEqual([]);
    },
  );

  it('marks nothing when the cluster has no Safeguards', async () => {
    await evaluateWith({ value: [] });
    expect((await findings()).filter(f => f.admission)).toEqual([]);
  });
});
