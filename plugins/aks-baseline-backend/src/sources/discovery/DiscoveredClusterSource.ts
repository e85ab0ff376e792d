/*
 * A discovered managed cluster: read as a configured `azure` cluster is (ARM,
 * then the Kubernetes API with a Microsoft Entra token). When the backend's
 * identity has no data-plane access (401/403 from the API server or for its
 * CA, or a private cluster's API server cannot be reached), the cluster is
 * evaluated on ARM alone and the snapshot says why: every
 * Kubernetes kind is unreadable, so the rules reading them are unknown,
 * never passed.
 */
import type { TokenCredential } from '@azure/identity';
import {
  isClusterReadError,
  type ClusterReadError,
  type ClusterReadOptions,
  type ClusterSnapshot,
  type ClusterSource,
} from '@aks-baseline/plugin-aks-baseline-node';
import {
  AzureClusterSource,
  type AzureClientOverrides,
} from '../azure/AzureClusterSource';
import type { AzureIdentitySpec } from '../azureCredentials';
import type { SourceTuning } from '../tuning';
import type { ManagedClusterRef } from './armId';

/** Failures that mean "no data-plane access", not "try again later". */
const NO_DATA_PLANE = new Set(['unauthorized', 'forbidden', 'network']);

/**
 * A network failure means "no data-plane access" only for a private
 * cluster (its API server resolves inside its network alone); for a public
 * one it may pass, and the last full result is kept instead.
 */
function withoutDataPlane(
  error: ClusterReadError,
  snapshot: ClusterSnapshot,
): boolean {
  if (error.code !== 'network') return true;
  return (
    snapshot.managedCluster?.apiServerAccessProfile?.enablePrivateCluster ===
    true
  );
}

/** The snapshot of an ARM-only read, with every Kubernetes kind unreadable. */
export function armOnly(
  snapshot: ClusterSnapshot,
  options: ClusterReadOptions,
  reason: string,
): ClusterSnapshot {
  const unreadable: Record<string, string> = {};
  for (const info of options.kinds) unreadable[info.kind] = reason;
  return {
    ...snapshot,
    objects: [],
    coverage: {
      mode: 'manifests',
      unreadable,
      absentKinds: [],
      providedKinds: [],
    },
  };
}

export class DiscoveredClusterSource implements ClusterSource {
  readonly kind = 'azure' as const;
  private readonly full?: AzureClusterSource;
  private readonly arm: AzureClusterSource;

  constructor(
    readonly name: string,
    /** The resource id as ARM listed it. */
    readonly id: string,
    ref: ManagedClusterRef,
    options: {
      identity: AzureIdentitySpec;
      credential: () => TokenCredential;
      kubernetesEnabled: boolean;
      tuning: SourceTuning;
      arm?: AzureClientOverrides;
    },
  ) {
    const azure = { ...ref, ...options.identity };
    this.arm = new AzureClusterSource(
      name,
      azure,
      { enabled: false },
      options.credential,
      options.tuning,
      options.arm,
    );
    if (options.kubernetesEnabled) {
      this.full = new AzureClusterSource(
        name,
        azure,
        { enabled: true },
        options.credential,
        options.tuning,
        options.arm,
      );
    }
  }

  secretValues(): string[] {
    return [...(this.full?.secretValues() ?? []), ...this.arm.secretValues()];
  }

  async read(options: ClusterReadOptions): Promise<ClusterSnapshot> {
    if (!this.full) {
      return armOnly(
        await this.arm.read(options),
        options,
        'not read: discovery.azure.kubernetes.enabled is false (evaluated on Azure Resource Manager alone)',
      );
    }
    try {
      return await this.full.read(options);
    } catch (error) {
      if (
        !isClusterReadError(error) ||
        !NO_DATA_PLANE.has(error.code) ||
        options.signal.aborted
      ) {
        throw error;
      }
      let snapshot: ClusterSnapshot;
      try {
        snapshot = await this.arm.read(options);
      } catch {
        // ARM itself failed too: the first failure says more.
        throw error;
      }
      if (!withoutDataPlane(error, snapshot)) throw error;
      const reason = `no data-plane access (${error.reason}); evaluated on Azure Resource Manager alone`;
      options.logger.warn(`Cluster ${this.name}: ${reason}`);
      return armOnly(snapshot, options, reason);
    }
  }
}
