import {
  aksBaselineEvaluationRunPermission,
  aksBaselineFindingsReadPermission,
  aksBaselineManualConfirmPermission,
  aksBaselineNamespaceCreatePermission,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  ANY_OWNER_TAG,
  DemoPermissionPolicy,
  PLATFORM_TEAM_REF,
} from './permissionPolicy';

const parameterRead = createPermission({
  name: 'scaffolder.template.parameter.read',
  attributes: { action: 'read' },
  resourceType: 'scaffolder-template',
});

function userIn(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: 'user:default/someone',
      ownershipEntityRefs,
    },
    info: { userEntityRef: 'user:default/someone', ownershipEntityRefs },
    token: 'unused',
    credentials: {} as any,
  } as unknown as PolicyQueryUser;
}

/** A decision limited to catalog entities for which `rule` holds for the claims. */
function catalogCondition(rule: string, claims: string[]) {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
    conditions: { rule, resourceType: 'catalog-entity', params: { claims } },
  };
}

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();
  const PLATFORM = ['user:default/someone', PLATFORM_TEAM_REF];
  const TEAM = ['user:default/someone', 'group:default/team-payments'];
  /** The decision for a user with these claims; none: a caller without a user. */
  const decide = (permission: Permission, ...claims: string[]) =>
    policy.handle(
      { permission },
      claims.length > 0 ? userIn(...claims) : undefined,
    );

  it('lets the platform team confirm any manual checklist item, and other teams those of the entities they own', async () => {
    const permission = aksBaselineManualConfirmPermission;
    expect(await decide(permission, ...PLATFORM)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(permission, ...TEAM)).toEqual(
      catalogCondition('IS_ENTITY_OWNER', TEAM),
    );
    expect(await decide(permission)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows catalog reads for a signed-in user', async () => {
    const decision = await policy.handle(
      {
        permission: createPermission({
          name: 'catalog.entity.read',
          attributes: { action: 'read' },
        }),
      },
      userIn('user:default/someone'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets the platform team start AKS Baseline evaluations', async () => {
    expect(
      await decide(aksBaselineEvaluationRunPermission, ...PLATFORM),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('refuses evaluations to other teams and to callers without a user', async () => {
    const permission = aksBaselineEvaluationRunPermission;
    expect(await decide(permission, 'group:default/team-payments')).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await decide(permission)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets the platform team create namespaces for any owner', async () => {
    expect(
      await decide(aksBaselineNamespaceCreatePermission, ...PLATFORM),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets others create namespaces for the groups they are members of', async () => {
    const permission = aksBaselineNamespaceCreatePermission;
    expect(await decide(permission, ...TEAM)).toEqual(
      catalogCondition('HAS_MEMBER', TEAM),
    );
    expect(await decide(permission)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('shows AKS Baseline results of every entity to the platform team', async () => {
    expect(
      await decide(aksBaselineFindingsReadPermission, ...PLATFORM),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("shows others the results of their teams' entities, and callers without a user none", async () => {
    const permission = aksBaselineFindingsReadPermission;
    expect(await decide(permission, ...TEAM)).toEqual(
      catalogCondition('IS_ENTITY_OWNER', TEAM),
    );
    expect(await decide(permission)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('shows the any-team template page to the platform team only', async () => {
    expect(await decide(parameterRead, ...PLATFORM)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await decide(parameterRead, ...TEAM)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-template',
      conditions: {
        not: {
          rule: 'HAS_TAG',
          resourceType: 'scaffolder-template',
          params: { tag: ANY_OWNER_TAG },
        },
      },
    });
  });
});
