import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  aksBaselineEvaluationRunPermission,
  aksBaselineFindingsReadPermission,
  aksBaselineManualConfirmPermission,
  aksBaselineNamespaceCreatePermission,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineCatalogConditions } from '@aks-baseline/plugin-scaffolder-backend-module-aks-baseline';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  techInsightsCheckUpdatePermission,
  techInsightsFactRetrieverReadPermission,
} from '@backstage-community/plugin-tech-insights-common';
import {
  createScaffolderTemplateConditionalDecision,
  scaffolderTemplateConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';

/** The platform team: starts evaluations, creates namespaces for any team. */
export const PLATFORM_TEAM_REF = 'group:default/platform-engineering';

/** The namespace template's page where the owner can be any team. */
export const ANY_OWNER_TAG = 'aks-baseline-any-owner';

/**
 * The demo portal's permission policy, the one place where the portal
 * decides who may do what:
 * - starting an AKS Baseline evaluation costs API calls against Azure and
 *   every cluster, so only the platform team may;
 * - a namespace may be created or changed for an owner by the platform
 *   team, and by others for the groups they are members of (a condition
 *   the catalog applies to the owner entity);
 * - AKS Baseline results (scores, findings, a cluster's results through
 *   its `Resource` entity) are shown to the platform team for every
 *   entity, and to others for the entities their teams own (a condition
 *   the AKS Baseline backend has the catalog apply in its query);
 * - template pages tagged `aks-baseline-any-owner` (any team as owner) are
 *   shown to the platform team only;
 * - Tech Insights facts (`tech-insights.fact-retriever.read`: latest facts,
 *   fact ranges, schemas) and check runs (`tech-insights.check.run`, whose
 *   answer holds the facts) are the platform team's only: Tech Insights
 *   permissions name no entity, so they cannot be limited to a team's own
 *   entities as AKS Baseline results are, and the AKS Baseline facts are
 *   those results (score, grade, findings by severity). The list of checks
 *   (`tech-insights.check.read`, configuration only) is everyone's;
 * - everything else is allowed in the demo.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const platform = claims.includes(PLATFORM_TEAM_REF);

    if (isPermission(request.permission, aksBaselineEvaluationRunPermission)) {
      return {
        result: platform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }

    // Manual checklist items are confirmed by the platform team, and by
    // the teams that own the service (or the cluster's Resource).
    if (isPermission(request.permission, aksBaselineManualConfirmPermission)) {
      if (platform) return { result: AuthorizeResult.ALLOW };
      if (!user) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }

    if (isPermission(request.permission, aksBaselineFindingsReadPermission)) {
      if (platform) return { result: AuthorizeResult.ALLOW };
      if (!user) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }

    if (
      isPermission(request.permission, aksBaselineNamespaceCreatePermission)
    ) {
      if (platform) return { result: AuthorizeResult.ALLOW };
      if (!user) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        request.permission,
        aksBaselineCatalogConditions.hasMember({ claims }),
      );
    }

    if (
      isPermission(
        request.permission,
        techInsightsFactRetrieverReadPermission,
      ) ||
      isPermission(request.permission, techInsightsCheckUpdatePermission)
    ) {
      return {
        result: platform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }

    if (
      isResourcePermission(request.permission, 'scaffolder-template') &&
      request.permission.name === 'scaffolder.template.parameter.read' &&
      !platform
    ) {
      return createScaffolderTemplateConditionalDecision(request.permission, {
        not: scaffolderTemplateConditions.hasTag({ tag: ANY_OWNER_TAG }),
      });
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
