/*
 * The demo organisation (examples/org.yaml) as the catalog serves it, with
 * the relations its processors add, and a permission evaluator that
 * decides `aks-baseline.namespace.create` the way the demo portal does: the
 * policy allows the platform team and answers others with a HAS_MEMBER
 * condition, which "the catalog" applies to the owner entity.
 */
import { aksBaselineNamespaceCreatePermission } from '@aks-baseline/plugin-aks-baseline-common';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, UserEntity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  aksBaselineCatalogConditions,
  hasMemberRule,
} from '../permissions/hasMemberRule';

export const PLATFORM_TEAM = 'group:default/platform-engineering';

const MEMBERS: Record<string, string[]> = {
  'team-payments': ['jisoo.kim', 'minho.lee'],
  'team-storefront': ['sara.park'],
  'platform-engineering': ['daniel.choi'],
};

const NAMES: Record<string, string> = {
  'jisoo.kim': 'Jisoo Kim',
  'minho.lee': 'Minho Lee',
  'sara.park': 'Sara Park',
  'daniel.choi': 'Daniel Choi',
};

function group(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', parent: 'contoso', children: [] },
    relations: [
      { type: 'childOf', targetRef: 'group:default/contoso' },
      ...members.map(m => ({
        type: 'hasMember',
        targetRef: `user:default/${m}`,
      })),
    ],
  };
}

function user(name: string): UserEntity {
  const groups = Object.keys(MEMBERS).filter(g => MEMBERS[g].includes(name));
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { displayName: NAMES[name] }, memberOf: groups },
    relations: groups.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  };
}

export const USERS = {
  jisoo: user('jisoo.kim'),
  minho: user('minho.lee'),
  sara: user('sara.park'),
  daniel: user('daniel.choi'),
};

export const ORG_ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'contoso', namespace: 'default' },
    spec: { type: 'organization', children: Object.keys(MEMBERS) },
    relations: Object.keys(MEMBERS).map(g => ({
      type: 'parentOf',
      targetRef: `group:default/${g}`,
    })),
  },
  ...Object.entries(MEMBERS).map(([name, members]) => group(name, members)),
  ...Object.values(USERS),
];

/** Ownership refs as the catalog sign-in resolver issues them. */
function ownershipRefs(userEntity: Entity | undefined, userRef: string) {
  const groups = (userEntity?.relations ?? [])
    .filter(r => r.type === 'memberOf')
    .map(r => r.targetRef);
  return [userRef, ...groups];
}

/**
 * The permission framework with the demo policy for the namespace
 * permission: a PermissionsService mock whose authorize() decides with the
 * policy and applies conditional decisions to the entity the request
 * names, as the catalog does.
 */
export function demoPolicyPermissions(catalog: CatalogService) {
  const applyConditions = createConditionAuthorizer([hasMemberRule]);
  const serviceCredentials = { credentials: {} as BackstageCredentials };
  return mockServices.permissions.mock({
    authorize: (async (requests: any[], options: any) => {
      const principal = options.credentials.principal;
      const userRef = principal?.userEntityRef as string | undefined;
      return Promise.all(
        requests.map(async request => {
          if (
            !userRef ||
            !isPermission(
              request.permission,
              aksBaselineNamespaceCreatePermission,
            )
          ) {
            return { result: AuthorizeResult.DENY };
          }
          const claims = ownershipRefs(
            await catalog.getEntityByRef(userRef, serviceCredentials),
            userRef,
          );
          const decision: PolicyDecision = claims.includes(PLATFORM_TEAM)
            ? { result: AuthorizeResult.ALLOW }
            : {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: aksBaselineCatalogConditions.hasMember({ claims }),
              };
          if (decision.result !== AuthorizeResult.CONDITIONAL) return decision;
          const resource = await catalog.getEntityByRef(
            request.resourceRef,
            serviceCredentials,
          );
          return {
            result: applyConditions(decision, resource)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          };
        }),
      );
    }) as PermissionsService['authorize'],
  });
}
