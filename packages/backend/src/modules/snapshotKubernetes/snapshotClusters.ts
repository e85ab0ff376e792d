/*
 * DEMO ONLY. The snapshot clusters of the AKS Baseline configuration
 * (`aksBaseline.clusters[]` with `snapshot.directory`), as clusters of the
 * Kubernetes plugin, listed after the ones its own configuration locates.
 */
import type { RootConfigService } from '@backstage/backend-plugin-api';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import * as path from 'path';

/** A snapshot cluster: its name and its absolute directory. */
export interface SnapshotCluster {
  name: string;
  directory: string;
}

/**
 * The snapshot clusters configured for the AKS Baseline plugin; relative
 * directories resolve from the working directory, as that plugin does.
 */
export function readSnapshotClusters(
  config: RootConfigService,
): SnapshotCluster[] {
  return (config.getOptionalConfigArray('aksBaseline.clusters') ?? [])
    .filter(cluster => cluster.has('snapshot'))
    .map(cluster => ({
      name: cluster.getString('name'),
      directory: path.resolve(cluster.getString('snapshot.directory')),
    }));
}

/**
 * How the Kubernetes plugin sees a snapshot cluster. `localKubectlProxy` is
 * the plugin's provider without credentials (an anonymous credential), and
 * one the frontend already knows: a provider of our own would make the
 * frontend refuse the cluster. There is no API server: the proxy (pod
 * logs, exec) is pointed at a name that never resolves (RFC 6761), and
 * there is no metrics server to ask.
 */
export function snapshotClusterDetails(
  cluster: SnapshotCluster,
): ClusterDetails {
  return {
    name: cluster.name,
    title: `${cluster.name} (snapshot)`,
    url: `https://${cluster.name}.snapshot.invalid`,
    authMetadata: { 'kubernetes.io/auth-provider': 'localKubectlProxy' },
    skipMetricsLookup: true,
  };
}

/** The clusters the Kubernetes plugin locates itself, then the snapshots. */
export class SnapshotClustersSupplier implements KubernetesClustersSupplier {
  private readonly snapshots: ClusterDetails[];

  constructor(
    clusters: readonly SnapshotCluster[],
    private readonly located: KubernetesClustersSupplier,
  ) {
    this.snapshots = clusters.map(snapshotClusterDetails);
  }

  async getClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterDetails[]> {
    const located = await this.located.getClusters(options);
    const names = new Set(this.snapshots.map(c => c.name));
    const twice = located.find(c => names.has(c.name));
    if (twice) {
      // The fetcher finds a snapshot by cluster name: one name, one cluster.
      throw new Error(
        `Kubernetes cluster '${twice.name}' is configured both in kubernetes.clusterLocatorMethods and as an aksBaseline snapshot cluster`,
      );
    }
    return [...located, ...this.snapshots];
  }
}
