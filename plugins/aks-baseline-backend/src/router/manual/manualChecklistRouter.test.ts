import request from 'supertest';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { ManualChecklistResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { startAksBaselineTestBackend } from '../../__testUtils__/testBackend';
import {
  DEVELOPER,
  TEAM_ENTITIES,
  teamPermissions,
} from '../../__testUtils__/teamAccess';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
const CHECKOUT = `${API}/entities/default/component/checkout-api/manual`;
/** Not a team-payments entity: the developer may not see it. */
const SEARCH = `${API}/entities/default/component/catalog-search/manual`;
/** May see everything, may confirm nothing. */
const AUDITOR = 'user:default/ada.auditor';
const PLATFORM = 'user:default/pat.platform';

describe('the manual checklist routes', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ctx: Awaited<ReturnType<typeof startAksBaselineTestBackend>>;

  beforeAll(async () => {
    ctx = await startAksBaselineTestBackend({
      knex: await databases.init('SQLITE_3'),
      entities: TEAM_ENTITIES,
      permissions: teamPermissions(
        (permission, user) =>
          permission === 'aks-baseline.manual.confirm' && user === AUDITOR,
      ),
      config: { manualChecks: { confirmationTtl: { days: 30 } } },
    });
  });

  afterAll(async () => {
    await ctx?.cleanup();
  });

  const as = (user: string) => ({
    get: (url: string) =>
      request(ctx.server)
        .get(url)
        .set('Authorization', mockCredentials.user.header(user)),
    put: (url: string) =>
      request(ctx.server)
        .put(url)
        .set('Authorization', mockCredentials.user.header(user)),
    delete: (url: string) =>
      request(ctx.server)
        .delete(url)
        .set('Authorization', mockCredentials.user.header(user)),
  });

  it('shares a confirmation with who and when, until it is withdrawn, with its history', async () => {
    const before = Date.now();
    const confirmed = await as(DEVELOPER).put(
      `${CHECKOUT}/images-scanned-in-ci`,
    );
    expect(confirmed.status).toBe(200);

    // Another user sees the same confirmation.
    const seen: ManualChecklistResponse = (await as(PLATFORM).get(CHECKOUT))
      .body;
    expect(seen.ttlDays).toBe(30);
    expect(seen.confirmations).toEqual([
      {
        ruleId: 'images-scanned-in-ci',
        by: DEVELOPER,
        confirmedAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
    const [c] = seen.confirmations;
    expect(Date.parse(c.confirmedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(c.expiresAt) - Date.parse(c.confirmedAt)).toBe(
      30 * 24 * 60 * 60 * 1000,
    );

    const withdrawn: ManualChecklistResponse = (
      await as(PLATFORM).delete(`${CHECKOUT}/images-scanned-in-ci`)
    ).body;
    expect(withdrawn.confirmations).toEqual([]);
    expect(withdrawn.history.map(e => [e.action, e.ruleId, e.by])).toEqual([
      ['withdrawn', 'images-scanned-in-ci', PLATFORM],
      ['confirmed', 'images-scanned-in-ci', DEVELOPER],
    ]);
  });

  it('needs aks-baseline.manual.confirm to change an item, and a known rule', async () => {
    const denied = await as(AUDITOR).put(`${CHECKOUT}/cost-reviews`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('aks-baseline.manual.confirm');
    expect(
      (await as(AUDITOR).get(CHECKOUT)).body.confirmations.map(
        (x: { ruleId: string }) => x.ruleId,
      ),
    ).not.toContain('cost-reviews');
    expect((await as(PLATFORM).put(`${CHECKOUT}/no-such-rule`)).status).toBe(
      400,
    );
  });

  it('answers an entity the caller may not see as one without a checklist, and refuses changes to it', async () => {
    await as(PLATFORM).put(`${SEARCH}/gitops-workflow`).expect(200);
    expect((await as(PLATFORM).get(SEARCH)).body.confirmations).toHaveLength(1);
    const hidden: ManualChecklistResponse = (await as(DEVELOPER).get(SEARCH))
      .body;
    expect(hidden.confirmations).toEqual([]);
    expect(hidden.history).toEqual([]);
    expect((await as(DEVELOPER).put(`${SEARCH}/gitops-workflow`)).status).toBe(
      404,
    );
  });
});
