import { createBackendModule } from '@backstage/backend-plugin-api';
import { aksBaselineEvaluationRunPermission } from '@aks-baseline/plugin-aks-baseline-common';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/** The group whose members may start AKS Baseline evaluations. */
export const PLATFORM_TEAM_REF = 'group:default/platform-engineering';

/**
 * The demo portal's permission policy, the one place where the portal
 * decides who may do what. Starting an AKS Baseline evaluation costs API
 * calls against Azure and every cluster, so only the platform team may;
 * everything else is allowed in the demo.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, aksBaselineEvaluationRunPermission)) {
      const groups = user?.info.ownershipEntityRefs ?? [];
      return {
        result: groups.includes(PLATFORM_TEAM_REF)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
