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
} from '../../__testUtils__/testBackend';
import type { NamespacesResponse } from './namespacesRouter';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';

describe('GET /namespaces', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    "lists each evaluated cluster's namespaces with their labels, on %p",
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startAksBaselineTestBackend({ knex });
      try {
        const before = await request(backend.server).get(`${API}/namespaces`);
        expect(before.status).toBe(200);
        expect(before.body).toEqual({ items: [] });

        await request(backend.server).post(`${API}/evaluations`).send({});
        await waitForEvaluationOfAll(backend);

        const all: NamespacesResponse = (
          await request(backend.server).get(`${API}/namespaces`)
        ).body;
        expect(all.items.map(n => `${n.cluster}/${n.name}`)).toEqual([
          `${DEV}/payments`,
          `${DEV}/storefront`,
          `${PROD}/payments`,
        ]);
        const payments = all.items.find(
          n => n.cluster === PROD && n.name === 'payments',
        )!;
        expect(payments.labels).toMatchObject({
          team: 'team-payments',
          'pod-security.kubernetes.io/enforce': 'restricted',
        });
        expect(Date.parse(payments.evaluatedAt)).not.toBeNaN();

        const dev: NamespacesResponse = (
          await request(backend.server).get(`${API}/namespaces?cluster=${DEV}`)
        ).body;
        expect(dev.items.every(n => n.cluster === DEV)).toBe(true);
        expect(dev.items).toHaveLength(2);

        const unknown = await request(backend.server).get(
          `${API}/namespaces?clusters=${DEV}`,
        );
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.message).toMatch(
          /Unknown query parameter clusters/,
        );
      } finally {
        await backend.cleanup();
      }
    },
  );

  it('shows nothing to a caller the policy denies the findings', async () => {
    const knex = await databases.init('SQLITE_3');
    const authorizeConditional = jest.fn(async (requests: unknown[]) =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
    );
    const backend = await startAksBaselineTestBackend({
      knex,
      permissions: mockServices.permissions.mock({
        authorize: (async (requests: unknown[]) =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW }))) as any,
        authorizeConditional: authorizeConditional as any,
      }).factory,
    });
    try {
      await request(backend.server)
        .post(`${API}/evaluations`)
        .set('Authorization', mockCredentials.service.header())
        .send({});
      await waitForEvaluationOfAll(backend);
      const res = await request(backend.server)
        .get(`${API}/namespaces`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [] });
      expect(authorizeConditional).toHaveBeenCalled();
    } finally {
      await backend.cleanup();
    }
  });
});
