/*
 * A developer of team-payments who may see their team's entities only
 * (checkout-api and the dev cluster's Resource, so the dev cluster but not
 * prod); every other user may see everything.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { DEV, TEST_ENTITIES } from './testBackend';

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
