import {
  aksBaselineEvaluationRunPermission,
  aksBaselineFindingsReadPermission,
  aksBaselineManualConfirmPermission,
  aksBaselineNamespaceCreatePermission,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AuthorizeResult,
  createPermission,
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

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it('lets the platform team confirm any manual checklist item, and other teams those of the entities they own', async () => {
    expect(
      await policy.handle(
        { permission: aksBaselineManualConfirmPermission },
        userIn('user:default/someone', PLATFORM_TEAM_REF),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: aksBaselineManualConfirmPermission },
        userIn('user:default/someone', 'group:default/team-payments'),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/someone', 'group:default/team-payments'],
        },
      },
    });
    expect(
      await policy.handle({ permission: aksBaselineManualConfirmPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
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
    const decision = await policy.handle(
      { permission: aksBaselineEvaluationRunPermission },
      userIn('user:default/someone', PLATFORM_TEAM_REF),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('refuses evaluations to other teams and to callers without a user', async () => {
    expect(
      await policy.handle(
        { permission: aksBaselineEvaluationRunPermission },
        userIn('group:default/team-payments'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle({ permission: aksBaselineEvaluationRunPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets the platform team create namespaces for any owner', async () => {
    expect(
      await policy.handle(
        { permission: aksBaselineNamespaceCreatePermission },
        userIn('user:default/someone', PLATFORM_TEAM_REF),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets others create namespaces for the groups they are members of', async () => {
    const claims = ['user:default/someone', 'group:default/team-payments'];
    expect(
      await policy.handle(
        { permission: aksBaselineNamespaceCreatePermission },
        userIn(...claims),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'HAS_MEMBER',
        resourceType: 'catalog-entity',
        params: { claims },
      },
    });
    expect(
      await policy.handle({ permission: aksBaselineNamespaceCreatePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('shows AKS Baseline results of every entity to the platform team', async () => {
    expect(
      await policy.handle(
        { permission: aksBaselineFindingsReadPermission },
        userIn('user:default/someone', PLATFORM_TEAM_REF),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("shows others the results of their teams' entities, and callers without a user none", async () => {
    const claims = ['user:default/someone', 'group:default/team-payments'];
    expect(
      await policy.handle(
        { permission: aksBaselineFindingsReadPermission },
        userIn(...claims),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims },
      },
    });
    expect(
      await policy.handle({ permission: aksBaselineFindingsReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('shows the any-team template page to the platform team only', async () => {
    expect(
      await policy.handle(
        { permission: parameterRead },
        userIn('user:default/someone', PLATFORM_TEAM_REF),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: parameterRead },
        userIn('user:default/someone', 'group:default/team-payments'),
      ),
    ).toEqual({
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
