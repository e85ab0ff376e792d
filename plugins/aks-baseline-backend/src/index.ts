/**
 * The AKS Baseline backend plugin: evaluates AKS clusters and the catalog's
 * workloads against the baseline on a schedule, stores scores with history
 * and serves them under `/api/aks-baseline`. Modules extend it through the
 * extension points in `@aks-baseline/plugin-aks-baseline-node`.
 *
 * @packageDocumentation
 */
import {
  aksBaselineRulesExtensionPoint as nodeRulesExtensionPoint,
  type AksBaselineRulesExtensionPoint as NodeRulesExtensionPoint,
  type ClusterReadOptions as NodeClusterReadOptions,
  type ClusterSource as NodeClusterSource,
  type ClusterSourceKind as NodeClusterSourceKind,
} from '@aks-baseline/plugin-aks-baseline-node';

export { aksBaselinePlugin as default } from './plugin';
export { EVALUATION_TASK_ID, RETENTION_TASK_ID } from './plugin';

/**
 * @public
 * @deprecated Import `aksBaselineRulesExtensionPoint` from
 * `@aks-baseline/plugin-aks-baseline-node`; cluster sources are added
 * through its `aksBaselineClusterSourcesExtensionPoint`.
 */
export const aksBaselineRulesExtensionPoint = nodeRulesExtensionPoint;
/**
 * @public
 * @deprecated Import it from `@aks-baseline/plugin-aks-baseline-node`.
 */
export type AksBaselineRulesExtensionPoint = NodeRulesExtensionPoint;
/**
 * @public
 * @deprecated Import it from `@aks-baseline/plugin-aks-baseline-node`.
 */
export type ClusterReadOptions = NodeClusterReadOptions;
/**
 * @public
 * @deprecated Import it from `@aks-baseline/plugin-aks-baseline-node`.
 */
export type ClusterSource = NodeClusterSource;
/**
 * @public
 * @deprecated Import it from `@aks-baseline/plugin-aks-baseline-node`.
 */
export type ClusterSourceKind = NodeClusterSourceKind;
