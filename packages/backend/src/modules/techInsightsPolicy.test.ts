/*
 * The demo policy on Tech Insights' permissions, which name no entity:
 * facts and check runs (whose answers hold the facts) for the platform team
 * only, the list of checks for everyone.
 */
import {
  techInsightsCheckReadPermission,
  techInsightsCheckUpdatePermission,
  techInsightsFactRetrieverReadPermission,
} from '@backstage-community/plugin-tech-insights-common';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { DemoPermissionPolicy, PLATFORM_TEAM_REF } from './permissionPolicy';

function userIn(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as unknown as PolicyQueryUser;
}

const ME = 'user:default/someone';
const policy = new DemoPermissionPolicy();
const decide = (permission: Permission, user?: PolicyQueryUser) =>
  policy.handle({ permission }, user);

describe('DemoPermissionPolicy on Tech Insights', () => {
  it.each([
    ['facts', techInsightsFactRetrieverReadPermission],
    ['check runs', techInsightsCheckUpdatePermission],
  ])('gives %s to the platform team only', async (_what, permission) => {
    expect(await decide(permission, userIn(ME, PLATFORM_TEAM_REF))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(
      await decide(permission, userIn(ME, 'group:default/team-payments')),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(permission)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('gives the list of checks (configuration) to everyone', async () => {
    expect(await decide(techInsightsCheckReadPermission, userIn(ME))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
