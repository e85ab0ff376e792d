/*
 * GET /rules/:id/entities: the entities failing a rule, for a caller who
 * may see everything and for one who may see only their team's entities
 * and the dev cluster.
 */
import {
  OverviewResponse,
  RuleEntitiesResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import { DEV, PROD } from '../__testUtils__/testBackend';
import { DEVELOPER, evaluatedTeamBackend } from '../__testUtils__/teamAccess';

jest.setTimeout(120_000);

describe('GET /rules/:id/entities', () => {
  const { get } = evaluatedTeamBackend();

  it('lists the entities failing each of the rules failed most, as many as the overview counts', async () => {
    const overview: OverviewResponse = (await get('/overview')).body;
    const rules = overview.topFailingRules.filter(r => r.entities > 0);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const res = await get(`/rules/${rule.ruleId}/entities`);
      expect(res.status).toBe(200);
      const body: RuleEntitiesResponse = res.body;
      expect(body.ruleId).toBe(rule.ruleId);
      expect(body.total).toBe(rule.entities);
      expect(body.items).toHaveLength(rule.entities);
      for (const item of body.items) {
        expect(item.failures).toBeGreaterThan(0);
        expect(item.entityRef).toMatch(/^(component|resource):default\//);
      }
      // Most failures first.
      const failures = body.items.map(i => i.failures);
      expect(failures).toEqual([...failures].sort((a, b) => b - a));
    }
  });

  it("answers with the caller's entities only, naming no cluster they may not see", async () => {
    const overview: OverviewResponse = (await get('/overview')).body;
    let seenSome = false;
    for (const rule of overview.topFailingRules) {
      const all: RuleEntitiesResponse = (
        await get(`/rules/${rule.ruleId}/entities`)
      ).body;
      const res = await get(`/rules/${rule.ruleId}/entities`, DEVELOPER);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(PROD);
      const seen: RuleEntitiesResponse = res.body;
      expect(seen.items.map(i => i.entityRef)).toEqual(
        all.items
          .map(i => i.entityRef)
          .filter(
            ref =>
              ref === 'component:default/checkout-api' ||
              ref === `resource:default/${DEV}`,
          ),
      );
      seenSome ||= seen.items.length > 0;
    }
    expect(seenSome).toBe(true);
  });

  it('filters by owner, and says what is wrong with a request', async () => {
    const overview: OverviewResponse = (await get('/overview')).body;
    const rule = overview.topFailingRules[0].ruleId;
    const owned: RuleEntitiesResponse = (
      await get(`/rules/${rule}/entities?owner=team-storefront`)
    ).body;
    for (const item of owned.items) {
      expect(item.owner).toBe('group:default/team-storefront');
    }
    expect((await get('/rules/NO-SUCH-RULE/entities')).status).toBe(404);
    expect((await get(`/rules/${rule}/entities?limit=3`)).status).toBe(400);
  });
});
