/**
 * The AKS Baseline backend plugin: evaluates AKS clusters and the catalog's
 * workloads against the baseline on a schedule, stores scores with history
 * and serves them under `/api/aks-baseline`.
 *
 * @packageDocumentation
 */
export { aksBaselinePlugin as default } from './plugin';
export { EVALUATION_TASK_ID, RETENTION_TASK_ID } from './plugin';
export {
  aksBaselineRulesExtensionPoint,
  type AksBaselineRulesExtensionPoint,
} from './extensions';
export type {
  ClusterReadOptions,
  ClusterSource,
  ClusterSourceKind,
} from './sources/types';
