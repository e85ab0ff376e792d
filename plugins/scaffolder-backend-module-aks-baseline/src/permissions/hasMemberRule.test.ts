import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { ORG_ENTITIES } from '../__testUtils__/org';
import { aksBaselineCatalogConditions, hasMemberRule } from './hasMemberRule';

const byName = (name: string) =>
  ORG_ENTITIES.find(e => e.metadata.name === name)!;

describe('HAS_MEMBER', () => {
  it('matches a group with one of the claims as a direct member', () => {
    const payments = byName('team-payments');
    expect(
      hasMemberRule.apply(payments, {
        claims: ['user:default/jisoo.kim', 'group:default/team-payments'],
      }),
    ).toBe(true);
    expect(
      hasMemberRule.apply(payments, {
        claims: ['user:default/sara.park', 'group:default/team-storefront'],
      }),
    ).toBe(false);
  });

  it('matches neither a parent group nor a user, nor an entity without relations', () => {
    const claims = ['user:default/jisoo.kim', 'group:default/team-payments'];
    expect(hasMemberRule.apply(byName('contoso'), { claims })).toBe(false);
    expect(hasMemberRule.apply(byName('jisoo.kim'), { claims })).toBe(false);
    const { relations: _, ...bare } = byName('team-payments');
    expect(hasMemberRule.apply(bare, { claims })).toBe(false);
  });

  it('filters the catalog on the hasMember relation', () => {
    expect(hasMemberRule.toQuery({ claims: ['user:default/a'] })).toEqual({
      key: 'relations.hasMember',
      values: ['user:default/a'],
    });
  });

  it('is the condition a policy returns, applied as the catalog applies it', () => {
    const condition = aksBaselineCatalogConditions.hasMember({
      claims: ['user:default/sara.park'],
    });
    expect(condition).toEqual({
      rule: 'HAS_MEMBER',
      resourceType: 'catalog-entity',
      params: { claims: ['user:default/sara.park'] },
    });
    const authorize = createConditionAuthorizer([hasMemberRule]);
    const decision: PolicyDecision = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: condition,
    };
    expect(authorize(decision, byName('team-storefront'))).toBe(true);
    expect(authorize(decision, byName('team-payments'))).toBe(false);
  });
});
