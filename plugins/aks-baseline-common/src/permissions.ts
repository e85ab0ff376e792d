import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Starting an evaluation (all clusters or one) costs API calls against
 * Azure and every cluster: only who the policy allows may trigger it.
 *
 * @public
 */
export const aksBaselineEvaluationRunPermission = createPermission({
  name: 'aks-baseline.evaluation.run',
  attributes: { action: 'create' },
});

/**
 * Creating a namespace for an owner, or changing one that owner holds, with
 * the scaffolder's `aks-baseline:namespace:create`. A resource permission on
 * the owner's catalog entity (the Group, or a User), so a policy can answer
 * with catalog conditions (for example "the user is a member of it") that
 * the catalog evaluates against that entity.
 *
 * @public
 */
export const aksBaselineNamespaceCreatePermission = createPermission({
  name: 'aks-baseline.namespace.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Reading an entity's AKS Baseline results: its score, history and
 * findings, and for a cluster `Resource` the cluster's own results. A
 * resource permission on the catalog entity, so a policy can answer with
 * catalog conditions (owner, kind, label...). The backend also requires
 * that the user may read the entity in the catalog (`catalog.entity.read`),
 * so with no rule for this permission findings follow the catalog.
 *
 * @public
 */
export const aksBaselineFindingsReadPermission = createPermission({
  name: 'aks-baseline.findings.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Confirming (or withdrawing) an item of an entity's manual checklist: a
 * confirmation is shared by everyone who sees the entity, with who and
 * when. A resource permission on the catalog entity (the service, or the
 * cluster's `Resource`), so a policy can limit it to the owners.
 *
 * @public
 */
export const aksBaselineManualConfirmPermission = createPermission({
  name: 'aks-baseline.manual.confirm',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission the AKS Baseline plugins define, for the permissions registry.
 *
 * @public
 */
export const aksBaselinePermissions = [
  aksBaselineEvaluationRunPermission,
  aksBaselineNamespaceCreatePermission,
  aksBaselineFindingsReadPermission,
  aksBaselineManualConfirmPermission,
];
