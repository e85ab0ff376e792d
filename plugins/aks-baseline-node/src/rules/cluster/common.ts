import { CheckOutcome } from '../../engine/types';

/**
 * Returned when a cluster-scoped ARM rule runs without a ManagedCluster
 * (the engine normally skips ARM rules then; this keeps checks total).
 */
export const NO_MANAGED_CLUSTER: CheckOutcome = Object.freeze({
  status: 'unknown' as const,
  message: 'The cluster was not read from Azure Resource Manager',
});
