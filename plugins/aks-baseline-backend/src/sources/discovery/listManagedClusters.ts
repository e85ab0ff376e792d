/*
 * Lists the managed clusters of one subscription (or one of its resource
 * groups) through @azure/arm-containerservice, every page of it. A scope
 * that fails is reported with a safe reason, never thrown past the caller.
 */
import {
  ContainerServiceClient,
  type ManagedCluster,
} from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';
import type { AzureClientOverrides } from '../azure/AzureClusterSource';
import { describeStatus, statusOf, toClusterReadError } from '../errors';
import type { SourceTuning } from '../tuning';
import { parseManagedClusterId } from './armId';
import type { ListedCluster } from './select';

/** A subscription, or one resource group of it. */
export interface DiscoveryScope {
  subscriptionId: string;
  resourceGroup?: string;
}

export function scopeKey(scope: DiscoveryScope): string {
  return `${scope.subscriptionId}/${scope.resourceGroup ?? '*'}`.toLowerCase();
}

export function describeScope(scope: DiscoveryScope): string {
  return scope.resourceGroup
    ? `subscription ${scope.subscriptionId}, resource group ${scope.resourceGroup}`
    : `subscription ${scope.subscriptionId}`;
}

export type ScopeListing =
  | { ok: true; clusters: ListedCluster[]; skipped: string[] }
  | { ok: false; status?: number; reason: string };

export interface ListOptions {
  credential: TokenCredential;
  tuning: SourceTuning;
  arm?: AzureClientOverrides;
  signal: AbortSignal;
  /** Secret values that must not reach a reason. */
  secrets: readonly string[];
}

function toListed(cluster: ManagedCluster): ListedCluster | string {
  const ref = parseManagedClusterId(cluster.id);
  if (!ref)
    return `an item without a managed cluster id (${String(cluster.id).slice(
      0,
      200,
    )})`;
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(cluster.tags ?? {})) {
    if (typeof value === 'string') tags[key] = value;
  }
  return {
    ...ref,
    id: cluster.id!,
    ...(cluster.location ? { location: cluster.location } : {}),
    tags,
  };
}

export async function listManagedClusters(
  scope: DiscoveryScope,
  options: ListOptions,
): Promise<ScopeListing> {
  const client = new ContainerServiceClient(
    options.credential,
    scope.subscriptionId,
    {
      retryOptions: {
        maxRetries: options.tuning.maxRetries,
        retryDelayInMs: options.tuning.retryDelayMs,
        maxRetryDelayInMs: options.tuning.maxRetryDelayMs,
      },
      userAgentOptions: { userAgentPrefix: 'aks-baseline-backstage' },
      ...(options.arm?.endpoint ? { endpoint: options.arm.endpoint } : {}),
    },
  );
  const requestOptions = { abortSignal: options.signal };
  const pages = scope.resourceGroup
    ? client.managedClusters.listByResourceGroup(
        scope.resourceGroup,
        requestOptions,
      )
    : client.managedClusters.list(requestOptions);
  const clusters: ListedCluster[] = [];
  const skipped: string[] = [];
  try {
    for await (const cluster of pages) {
      const listed = toListed(cluster);
      if (typeof listed === 'string') skipped.push(listed);
      else clusters.push(listed);
    }
  } catch (error) {
    const status = statusOf(error);
    if (
      scope.resourceGroup &&
      status === 404 &&
      (error as { code?: unknown }).code === 'ResourceGroupNotFound'
    ) {
      // A group that does not exist there holds no cluster.
      return { ok: true, clusters: [], skipped };
    }
    const mapped = toClusterReadError(error, {
      cluster: describeScope(scope),
      action: `listing managed clusters in ${describeScope(scope)}`,
      service: 'Azure Resource Manager',
      signal: options.signal,
      secrets: options.secrets,
    });
    return {
      ok: false,
      ...(status !== undefined ? { status } : {}),
      reason:
        status === 403
          ? `Azure Resource Manager returned ${describeStatus(
              403,
            )} listing managed clusters in ${describeScope(
              scope,
            )}: grant the identity Reader (Microsoft.ContainerService/managedClusters/read) there`
          : mapped.reason,
    };
  }
  return { ok: true, clusters, skipped };
}
