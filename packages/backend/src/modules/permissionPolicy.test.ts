import { aksBaselineEvaluationRunPermission } from '@aks-baseline/plugin-aks-baseline-common';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { DemoPermissionPolicy, PLATFORM_TEAM_REF } from './permissionPolicy';

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
});
