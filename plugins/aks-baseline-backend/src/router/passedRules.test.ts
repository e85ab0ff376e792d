/*
 * The passed route's rules on SQLite and PostgreSQL: each rule named as
 * passed on an entity's objects has no finding there (not failed, waived,
 * unknown or skipped), and every pass is named or counted.
 */
import request from 'supertest';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PassedChecksResponse,
  RulesResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from '../__testUtils__/testBackend';
import { allFindings } from '../__testUtils__/findings';

jest.setTimeout(180_000);

const API = '/api/aks-baseline';
const CHECKOUT = `${API}/entities/default/component/checkout-api`;

const refKey = (r: { kind: string; namespace?: string; name: string }) =>
  `${r.kind}/${r.namespace ?? ''}/${r.name}`;

describe("an entity's passed rules", () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const allow = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));

  it.each(databases.eachSupportedId())(
    'names each rule with its objects, never one with a finding there (%p)',
    async databaseId => {
      const ctx = await startAksBaselineTestBackend({
        knex: await databases.init(databaseId),
        permissions: mockServices.permissions.mock({
          authorize: allow as any,
          authorizeConditional: allow as any,
        }).factory,
      });
      try {
        await request(ctx.server).post(`${API}/evaluations`).send({});
        await waitForEvaluationOfAll(ctx);

        const res = await request(ctx.server).get(`${CHECKOUT}/passed`);
        expect(res.status).toBe(200);
        const body: PassedChecksResponse = res.body;
        expect(body.rules!.length).toBeGreaterThan(0);
        const named = body.rules!.reduce((n, r) => n + r.total, 0);
        const counted = body.unattributed!.reduce((n, u) => n + u.passed, 0);
        expect(named + counted).toBe(body.total);

        const rules: RulesResponse = (
          await request(ctx.server).get(`${API}/rules`)
        ).body;
        const byId = new Map(rules.items.map(r => [r.id, r]));
        for (const rule of body.rules!) {
          const info = byId.get(rule.ruleId)!;
          expect(rule).toMatchObject({
            title: info.title,
            category: info.category,
            severity: info.severity,
          });
          expect(rule.objects.length).toBe(rule.total);
          expect(rule.objects.length).toBeGreaterThan(0);
        }

        const findings = await allFindings(ctx.server, `${CHECKOUT}/findings`);
        expect(findings.some(f => f.status === 'fail')).toBe(true);
        const notPassed = new Set(
          findings.map(f => `${f.cluster} ${f.ruleId} ${refKey(f.resource)}`),
        );
        for (const rule of body.rules!) {
          for (const object of rule.objects) {
            expect(notPassed).not.toContain(
              `${rule.cluster} ${rule.ruleId} ${refKey(object)}`,
            );
          }
        }
        // Stable: an unchanged evaluation stores the same passes.
        await request(ctx.server).post(`${API}/evaluations`).send({});
        await waitForEvaluationOfAll(ctx);
        const again = await request(ctx.server).get(`${CHECKOUT}/passed`);
        expect(again.body.rules).toEqual(body.rules);
      } finally {
        await ctx.cleanup();
      }
    },
  );
});
