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

function setup(findings: QueryPermissionResponse, catalog = ALLOW) {
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
  });
  return {
    access,
    authorizeConditional,
    streamEntities,
    queryEntities,
    logger,
  };
}

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
});
