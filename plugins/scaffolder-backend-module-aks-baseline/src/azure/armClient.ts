/*
 * Azure Resource Manager access for the create action: one
 * @azure/arm-containerservice client context per managed cluster (its
 * operations for managed clusters and managed namespaces, and its pipeline,
 * with the same token and retries, for the role assignment it has no
 * operation for).
 */
import {
  createContainerService,
  type ContainerServiceContext,
} from '@azure/arm-containerservice/api';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { ManagedClusterTarget } from '../config';

/** @public */
export interface ArmAccessOptions {
  /** For tests: replaces DefaultAzureCredential. */
  credential?: (cluster: ManagedClusterTarget) => TokenCredential;
  /** Delay between polls of a long-running PUT; the SDK's default otherwise. */
  pollIntervalMs?: number;
  /** For tests: no retry with the SDK's back-off. */
  maxRetries?: number;
}

/**
 * ARM clients by managed cluster, created on first use.
 *
 * @public
 */
export interface ArmAccess {
  context(cluster: ManagedClusterTarget): ContainerServiceContext;
  readonly pollIntervalMs?: number;
}

/** @public */
export function createArmAccess(options: ArmAccessOptions = {}): ArmAccess {
  const contexts = new Map<string, ContainerServiceContext>();
  const credential =
    options.credential ??
    ((cluster: ManagedClusterTarget) =>
      new DefaultAzureCredential({
        managedIdentityClientId: cluster.clientId,
        workloadIdentityClientId: cluster.clientId,
        tenantId: cluster.tenantId,
      }));
  return {
    pollIntervalMs: options.pollIntervalMs,
    context(cluster) {
      const key = `${cluster.subscriptionId}/${cluster.clientId ?? ''}/${
        cluster.tenantId ?? ''
      }`;
      let context = contexts.get(key);
      if (!context) {
        context = createContainerService(
          credential(cluster),
          cluster.subscriptionId,
          {
            userAgentOptions: { userAgentPrefix: 'aks-baseline-scaffolder' },
            ...(options.maxRetries !== undefined
              ? { retryOptions: { maxRetries: options.maxRetries } }
              : {}),
          },
        );
        contexts.set(key, context);
      }
      return context;
    },
  };
}
