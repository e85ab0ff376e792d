/*
 * DEMO ONLY: the Backstage Kubernetes plugin reads the demo's snapshot
 * clusters (`aksBaseline.clusters[].snapshot` in app-config) with the AKS
 * Baseline snapshot reader, so its tab lists the objects the AKS Baseline
 * tab scores instead of "No resources on any known clusters". A real portal
 * does not add this module: its Kubernetes plugin reads the clusters' API
 * servers (kubernetes.clusterLocatorMethods), and those still work with it.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  kubernetesClusterSupplierExtensionPoint,
  kubernetesFetcherExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { SnapshotKubernetesFetcher } from './SnapshotKubernetesFetcher';
import {
  readSnapshotClusters,
  SnapshotClustersSupplier,
} from './snapshotClusters';

export default createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'aks-baseline-snapshots',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        clusterSuppliers: kubernetesClusterSupplierExtensionPoint,
        fetchers: kubernetesFetcherExtensionPoint,
      },
      async init({ config, logger, clusterSuppliers, fetchers }) {
        const clusters = readSnapshotClusters(config);
        if (clusters.length === 0) return;
        clusterSuppliers.addClusterSupplier(
          async ({ getDefault }) =>
            new SnapshotClustersSupplier(clusters, await getDefault()),
        );
        fetchers.addFetcher(
          async ({ getDefault }) =>
            new SnapshotKubernetesFetcher(clusters, await getDefault()),
        );
        logger.info(
          `Kubernetes plugin reads the AKS Baseline snapshot clusters (demo only): ${clusters
            .map(c => c.name)
            .join(', ')}`,
        );
      },
    });
  },
});
