/*
 * Managed cluster resource ids: what configured and discovered clusters are
 * matched on. ARM treats them case-insensitively, so they are compared
 * lower-cased.
 */

export interface ManagedClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
}

const MANAGED_CLUSTER_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i;

/** The parts of a managed cluster id, or undefined for any other id. */
export function parseManagedClusterId(
  id: unknown,
): ManagedClusterRef | undefined {
  if (typeof id !== 'string') return undefined;
  const match = MANAGED_CLUSTER_ID.exec(id);
  if (!match) return undefined;
  return {
    subscriptionId: match[1],
    resourceGroup: match[2],
    clusterName: match[3],
  };
}

export function managedClusterId(ref: ManagedClusterRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${ref.clusterName}`;
}

/** The key two ids are compared on. */
export function armIdKey(id: string): string {
  return id.toLowerCase();
}
