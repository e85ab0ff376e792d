import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity } from '@backstage/catalog-model';
import {
  toCatalogPredicate,
  UntranslatableConditionError,
} from './catalogPredicate';

const condition = (rule: string, params: Record<string, unknown>) => ({
  rule,
  resourceType: 'catalog-entity',
  params,
});

function entity(
  name: string,
  kind: string,
  owner: string,
  extra: Partial<Entity['metadata']> = {},
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', ...extra },
    spec: { owner, ...spec },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

const ENTITIES = [
  entity('pay', 'Component', 'team-payments', {
    labels: { tier: 'gold' },
    annotations: { 'backstage.io/kubernetes-id': 'pay' },
  }),
  entity('shop', 'Component', 'team-storefront', {}, { type: 'website' }),
  entity('prod', 'Resource', 'platform', {
    annotations: { 'aks-baseline.io/cluster': 'prod' },
  }),
];

/** The names of the entities the predicate selects, as the catalog runs it. */
async function select(criteria: any): Promise<string[]> {
  const catalog = new InMemoryCatalogClient({ entities: ENTITIES });
  const { items } = await catalog.queryEntities({
    query: toCatalogPredicate(criteria),
  });
  return items.map(e => e.metadata.name).sort();
}

describe('toCatalogPredicate', () => {
  it.each([
    [
      condition('IS_ENTITY_OWNER', { claims: ['group:default/team-payments'] }),
      ['pay'],
    ],
    [condition('IS_ENTITY_OWNER', { claims: [] }), []],
    [condition('IS_ENTITY_KIND', { kinds: ['Resource'] }), ['prod']],
    [condition('HAS_LABEL', { label: 'tier' }), ['pay']],
    [condition('HAS_LABEL', { label: 'tier', value: 'silver' }), []],
    [
      condition('HAS_ANNOTATION', {
        annotation: 'aks-baseline.io/cluster',
        value: 'prod',
      }),
      ['prod'],
    ],
    [condition('HAS_METADATA', { key: 'name', value: 'shop' }), ['shop']],
    [condition('HAS_SPEC', { key: 'type', value: 'website' }), ['shop']],
    [
      {
        not: condition('IS_ENTITY_OWNER', {
          claims: ['group:default/team-storefront'],
        }),
      },
      ['pay', 'prod'],
    ],
    [
      {
        anyOf: [
          condition('IS_ENTITY_KIND', { kinds: ['resource'] }),
          {
            allOf: [
              condition('IS_ENTITY_KIND', { kinds: ['component'] }),
              condition('HAS_SPEC', { key: 'type' }),
            ],
          },
        ],
      },
      ['prod', 'shop'],
    ],
  ])('applies %j as the catalog does', async (criteria, names) => {
    expect(await select(criteria)).toEqual(names);
  });

  it.each([
    [condition('HAS_MEMBER', { claims: ['user:default/a'] })],
    [{ not: condition('HAS_MEMBER', { claims: [] }) }],
    [
      {
        anyOf: [
          condition('IS_ENTITY_KIND', { kinds: ['x'] }),
          condition('CUSTOM', {}),
        ],
      },
    ],
    [
      {
        rule: 'IS_ENTITY_KIND',
        resourceType: 'scaffolder-template',
        params: { kinds: [] },
      },
    ],
    [condition('IS_ENTITY_OWNER', { claims: 'group:default/x' })],
    [condition('HAS_LABEL', { label: '$all' })],
    [condition('HAS_SPEC', { key: 'type', value: 3 })],
  ])('refuses what it cannot translate: %j', criteria => {
    expect(() => toCatalogPredicate(criteria as any)).toThrow(
      UntranslatableConditionError,
    );
  });
});
