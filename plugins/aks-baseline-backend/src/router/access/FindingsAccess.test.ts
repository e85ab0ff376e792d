import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { DEV, PROD, TEST_ENTITIES } from '../../__testUtils__/testBackend';
import { FindingsAccess } from './FindingsAccess';

const user = mockCredentials.user('user:default/someone');
const ALLOW: QueryPermissionResponse = { result: AuthorizeResult.ALLOW };
const DENY: QueryPermissionResponse = { result: AuthorizeResult.DENY };
const ownedBy = (owner: string): QueryPermissionResponse => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims: [owner] },
  },
});

function setup(
  findings: QueryPermissionResponse,
  catalog = ALLOW,
  options: {
    cache?: false | { ttlMs: number; now: () => number };
    maxScopeRefs?: number;
  } = {
    cache: false,
  },
) {
  const authorizeConditional = jest.fn(async () => [findings, catalog]);
  const entities = TEST_ENTITIES.map(e => ({
    ...e,
    relations: [
      {
        type: 'ownedBy',
        targetRef: `group:default/${(e.spec as any).owner}`,
      },
    ],
  }));
  const catalogService = catalogServiceMock({ entities });
  const streamEntities = jest.spyOn(catalogService, 'streamEntities');
  const queryEntities = jest.spyOn(catalogService, 'queryEntities');
  const logger = mockServices.logger.mock();
  const access = new FindingsAccess({
    permissions: mockServices.permissions.mock({
      authorizeConditional: authorizeConditional as any,
    }),
    catalog: catalogService,
    logger,
    ...options,
  });
  return {
    access,
    authorizeConditional,
    streamEntities,
    queryEntities,
    logger,
  };
}

/** Catalog queries for one entity (the stream pages through queryEntities too). */
const targeted = (spy: jest.SpyInstance) =>
  spy.mock.calls.filter(([request]) => request?.limit === 1).length;

describe('FindingsAccess', () => {
  it('asks both permissions at once, with the caller credentials', async () => {
    const { access, authorizeConditional } = setup(ALLOW);
    await access.scope(user);
    expect(authorizeConditional).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'aks-baseline.findings.read',
            resourceType: 'catalog-entity',
          }),
        },
        {
          permission: expect.objectContaining({ name: 'catalog.entity.read' }),
        },
      ],
      { credentials: user },
    );
  });

  it('sees everything, every cluster too, on two unconditional ALLOWs, without asking the catalog', async () => {
    const { access, streamEntities, queryEntities } = setup(ALLOW);
    expect(await access.scope(user)).toEqual({ all: true });
    expect(await access.canSeeEntity(user, 'component:default/x')).toBe(true);
    expect(await access.canSeeCluster(user, DEV)).toBe(true);
    expect(streamEntities).not.toHaveBeenCalled();
    expect(queryEntities).not.toHaveBeenCalled();
  });

  it.each([
    ['findings.read', DENY, ALLOW],
    ['catalog.entity.read', ALLOW, DENY],
  ])(
    'sees nothing when %s is denied, without asking the catalog',
    async (_name, findings, catalog) => {
      const { access, streamEntities, queryEntities } = setup(
        findings,
        catalog,
      );
      expect(await access.scope(user)).toEqual({
        all: false,
        entities: new Set(),
        clusters: new Set(),
      });
      expect(
        await access.canSeeEntity(user, 'component:default/checkout-api'),
      ).toBe(false);
      expect(await access.canSeeCluster(user, PROD)).toBe(false);
      expect(streamEntities).not.toHaveBeenCalled();
      expect(queryEntities).not.toHaveBeenCalled();
    },
  );

  it('asks the catalog, with the caller credentials, for what matches the conditions', async () => {
    const { access, streamEntities } = setup(
      ownedBy('group:default/platform-engineering'),
    );
    const scope = await access.scope(user);
    expect(scope).toEqual({
      all: false,
      entities: new Set([`resource:default/${PROD}`]),
      clusters: new Set([PROD]),
    });
    expect(streamEntities).toHaveBeenCalledWith(expect.anything(), {
      credentials: user,
    });
    expect(await access.canSeeCluster(user, PROD)).toBe(true);
    expect(await access.canSeeCluster(user, PROD.toUpperCase())).toBe(false);
    expect(
      await access.canSeeEntity(user, 'component:default/checkout-api'),
    ).toBe(false);
    expect(await access.canSeeEntity(user, `resource:default/${PROD}`)).toBe(
      true,
    );
  });

  it('leaves a cluster without a catalog entity out unless both are unconditional ALLOWs', async () => {
    // The catalog decides its own conditions: here it returns every entity.
    const { access } = setup(ALLOW, ownedBy('group:default/whoever'));
    const scope = await access.scope(user);
    expect(scope.all).toBe(false);
    if (scope.all) return;
    expect([...scope.clusters]).toEqual([PROD]);
    expect(scope.entities).toEqual(
      new Set([
        'component:default/checkout-api',
        'component:default/catalog-search',
        'component:default/ghost-service',
        `resource:default/${PROD}`,
      ]),
    );
    expect(await access.canSeeCluster(user, DEV)).toBe(false);
    expect(await access.canSeeEntity(user, 'component:default/docs-site')).toBe(
      true,
    );
  });

  it('denies, with one log line, conditions it cannot translate', async () => {
    const custom: QueryPermissionResponse = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          rule: 'HAS_MEMBER',
          resourceType: 'catalog-entity',
          params: { claims: [] },
        },
      },
    };
    const { access, logger, streamEntities } = setup(custom);
    expect(await access.scope(user)).toEqual({
      all: false,
      entities: new Set(),
      clusters: new Set(),
    });
    expect(
      await access.canSeeEntity(user, 'component:default/checkout-api'),
    ).toBe(false);
    expect(streamEntities).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /aks-baseline\.findings\.read cannot be applied as a catalog query \(the rule HAS_MEMBER is not one of the catalog's built-in rules/,
      ),
    );
    const other = setup({ ...custom, pluginId: 'scaffolder' } as any);
    expect(await other.access.canSeeCluster(user, PROD)).toBe(false);
  });

  describe('with the per-token cache', () => {
    let now = 0;
    const cached = { cache: { ttlMs: 1000, now: () => now } };

    it("keeps a token's decisions, and once it comes back the entities it may see, until they expire, per token", async () => {
      const { access, authorizeConditional, streamEntities, queryEntities } =
        setup(ownedBy('group:default/platform-engineering'), ALLOW, cached);
      // The first request asks the catalog about its one entity.
      expect(
        await access.canSeeEntity(user, `resource:default/${PROD}`, 'k1'),
      ).toBe(true);
      expect(targeted(queryEntities)).toBe(1);
      expect(streamEntities).not.toHaveBeenCalled();
      // The token comes back: the entities it may see are read and kept.
      expect(
        await access.canSeeEntity(user, 'component:default/checkout-api', 'k1'),
      ).toBe(false);
      expect(streamEntities).toHaveBeenCalledTimes(1);
      // From then on, no catalog query.
      expect(await access.canSeeCluster(user, PROD, 'k1')).toBe(true);
      expect(await access.canSeeCluster(user, DEV, 'k1')).toBe(false);
      expect(
        await access.canSeeEntity(user, `resource:default/${PROD}`, 'k1'),
      ).toBe(true);
      expect((await access.scope(user, 'k1')).all).toBe(false);
      expect(authorizeConditional).toHaveBeenCalledTimes(1);
      expect(streamEntities).toHaveBeenCalledTimes(1);
      expect(targeted(queryEntities)).toBe(1);

      // Another token is another caller.
      await access.canSeeEntity(user, `resource:default/${PROD}`, 'k2');
      expect(authorizeConditional).toHaveBeenCalledTimes(2);

      now += 1000;
      await access.canSeeEntity(user, `resource:default/${PROD}`, 'k1');
      expect(authorizeConditional).toHaveBeenCalledTimes(3);
    });

    it('asks each time without a key, and for services', async () => {
      const { access, authorizeConditional } = setup(ALLOW, ALLOW, cached);
      await access.scope(user);
      await access.scope(user);
      await access.scope(mockCredentials.service(), 'k');
      await access.scope(mockCredentials.service(), 'k');
      expect(authorizeConditional).toHaveBeenCalledTimes(4);
    });

    it('does not keep a scope past its size: single checks ask the catalog', async () => {
      const { access, streamEntities, queryEntities } = setup(
        ALLOW,
        ownedBy('group:default/whoever'),
        { ...cached, maxScopeRefs: 2 },
      );
      expect(
        await access.canSeeEntity(user, 'component:default/checkout-api', 'k'),
      ).toBe(true);
      expect(
        await access.canSeeEntity(user, 'component:default/nope', 'k'),
      ).toBe(false);
      expect(
        await access.canSeeEntity(user, 'component:default/ghost-service', 'k'),
      ).toBe(true);
      expect(targeted(queryEntities)).toBe(3);
      expect(streamEntities).toHaveBeenCalledTimes(1);
      // The list routes still get the whole scope.
      const scope = await access.scope(user, 'k');
      expect(scope.all === false && scope.entities.size).toBe(4);
    });
  });
});
