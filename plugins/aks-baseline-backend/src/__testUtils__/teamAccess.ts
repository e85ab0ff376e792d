/*
 * A developer of team-payments who may see their team's entities only
 * (checkout-api and the dev cluster's Resource, so the dev cluster but not
 * prod); every other user may see everything.
 */
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import {
  AksBaselineTestBackend,
  DEV,
  startAksBaselineTestBackend,
  TEST_ENTITIES,
  TestBackendOptions,
  waitForEvaluationOfAll,
} from './testBackend';

export const DEVELOPER = 'user:default/jisoo.kim';

const ALLOW: QueryPermissionResponse = { result: AuthorizeResult.ALLOW };
const TEAM_PAYMENTS: QueryPermissionResponse = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims: ['group:default/team-payments'] },
  },
};

/** The test catalog, the dev cluster's Resource owned by team-payments. */
export const TEAM_ENTITIES: Entity[] = [
  ...TEST_ENTITIES,
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: DEV,
      namespace: 'default',
      annotations: { 'aks-baseline.io/cluster': DEV },
    },
    spec: { type: 'kubernetes-cluster', owner: 'team-payments' },
  },
].map(e => ({
  ...e,
  relations: [
    { type: 'ownedBy', targetRef: `group:default/${(e.spec as any).owner}` },
  ],
}));

/** `denied(permission, user)`: a basic permission the policy refuses. */
export const teamPermissions = (
  denied: (permission: string, user?: string) => boolean = () => false,
) =>
  mockServices.permissions.mock({
    authorize: (async (requests: any[], { credentials }: any) =>
      requests.map(r => ({
        result: denied(r.permission.name, credentials.principal.userEntityRef)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      }))) as any,
    authorizeConditional: (async (_requests: unknown, { credentials }: any) => [
      credentials.principal.userEntityRef === DEVELOPER ? TEAM_PAYMENTS : ALLOW,
      ALLOW,
    ]) as any,
  }).factory;

/**
 * For the describe block that calls it: a test backend (SQLite) over
 * TEAM_ENTITIES with the team's access, every cluster evaluated once before
 * its tests, and `get(route, user)` reading `/api/aks-baseline<route>` as
 * `user` (by default one who sees everything). `beforeEvaluation` may
 * change the clusters' snapshots first.
 */
export function evaluatedTeamBackend(
  options: {
    config?: TestBackendOptions['config'];
    beforeEvaluation?: (backend: AksBaselineTestBackend) => void;
  } = {},
) {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: AksBaselineTestBackend | undefined;

  beforeAll(async () => {
    backend = await startAksBaselineTestBackend({
      knex: await databases.init('SQLITE_3'),
      entities: TEAM_ENTITIES,
      config: options.config,
      permissions: teamPermissions(),
    });
    options.beforeEvaluation?.(backend);
    await request(backend.server)
      .post('/api/aks-baseline/evaluations')
      .send({});
    await waitForEvaluationOfAll(backend);
  });

  afterAll(async () => {
    await backend?.cleanup();
  });

  const get = (route: string, user?: string) =>
    request(backend!.server)
      .get(`/api/aks-baseline${route}`)
      .set('Authorization', mockCredentials.user.header(user));
  return { get };
}
