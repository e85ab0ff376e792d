/*
 * What the create action needs to know about a cluster from ARM: where it
 * is, its OIDC issuer, and whether a namespace on it can be an AKS managed
 * namespace with the team's access granted by Azure RBAC.
 *
 * The criterion: the cluster is configured with `managedCluster` (and
 * `managedNamespaces` not false), and its ARM document has Azure RBAC for
 * Kubernetes authorization (`aadProfile.enableAzureRBAC`): a role assignment
 * on the managed namespace's scope only grants Kubernetes access there.
 * Whether the resource type answers is known on the first managed-namespace
 * read (see managedNamespace.ts): an API that does not know it falls back too.
 */
import { get as getManagedCluster } from '@azure/arm-containerservice/api/managedClusters';
import type { ContainerServiceContext } from '@azure/arm-containerservice/api';
import type { ManagedClusterTarget } from '../config';
import { armError } from './armErrors';

export interface ManagedClusterFacts {
  /** ARM id of the managed cluster. */
  id: string;
  location: string;
  /** `oidcIssuerProfile.issuerURL`; undefined when the issuer is off. */
  oidcIssuer?: string;
  /** Why namespaces cannot be managed namespaces here; undefined when they can. */
  unsupported?: string;
}

export function managedClusterId(target: ManagedClusterTarget): string {
  return `/subscriptions/${target.subscriptionId}/resourceGroups/${target.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${target.name}`;
}

export async function readManagedCluster(
  context: ContainerServiceContext,
  target: ManagedClusterTarget,
  clusterName: string,
  signal?: AbortSignal,
): Promise<ManagedClusterFacts> {
  let cluster;
  try {
    cluster = await getManagedCluster(
      context,
      target.resourceGroup,
      target.name,
      { abortSignal: signal },
    );
  } catch (error) {
    throw armError(
      error,
      `read managed cluster ${target.name}`,
      clusterName,
      'Grant it Azure Kubernetes Service Cluster User Role (or Reader) on the cluster.',
    );
  }
  const issuer = cluster.oidcIssuerProfile?.enabled
    ? cluster.oidcIssuerProfile.issuerURL
    : undefined;
  let unsupported: string | undefined;
  if (!target.managedNamespaces) {
    unsupported = 'managedNamespaces is false in its configuration';
  } else if (cluster.aadProfile?.enableAzureRbac !== true) {
    unsupported =
      'it does not use Azure RBAC for Kubernetes authorization (aadProfile.enableAzureRBAC), so an Azure role assignment on a namespace would grant nothing';
  }
  return {
    id: cluster.id ?? managedClusterId(target),
    location: cluster.location,
    oidcIssuer: issuer || undefined,
    unsupported,
  };
}
