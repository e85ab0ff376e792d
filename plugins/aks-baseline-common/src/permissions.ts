import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Starting an evaluation (all clusters or one) costs API calls against
 * Azure and every cluster: only who the policy allows may trigger it.
 */
export const aksBaselineEvaluationRunPermission = createPermission({
  name: 'aks-baseline.evaluation.run',
  attributes: { action: 'create' },
});

/** Every permission the AKS Baseline plugins define, for the permissions registry. */
export const aksBaselinePermissions = [aksBaselineEvaluationRunPermission];
