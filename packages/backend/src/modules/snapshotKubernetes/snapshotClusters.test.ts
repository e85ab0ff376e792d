import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { resolve } from 'node:path';
import {
  readSnapshotClusters,
  SnapshotClustersSupplier,
} from './snapshotClusters';

const LIVE: ClusterDetails = {
  name: 'aks-live',
  url: 'https://aks-live-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443',
  authMetadata: { 'kubernetes.io/auth-provider': 'aks' },
};

const config = mockServices.rootConfig({
  data: {
    aksBaseline: {
      clusters: [
        {
          name: 'aks-prod-westeurope',
          snapshot: {
            directory: '../../examples/clusters/aks-prod-westeurope',
          },
        },
        {
          name: 'aks-live',
          azure: {
            subscriptionId: '00000000-0000-0000-0000-000000000000',
            resourceGroup: 'rg-live',
          },
        },
      ],
    },
  },
});

describe('snapshot clusters', () => {
  const credentials = mockCredentials.user();

  it('are the aksBaseline clusters with a snapshot, their directories resolved', () => {
    expect(readSnapshotClusters(config)).toEqual([
      {
        name: 'aks-prod-westeurope',
        directory: resolve('../../examples/clusters/aks-prod-westeurope'),
      },
    ]);
    expect(readSnapshotClusters(mockServices.rootConfig({ data: {} }))).toEqual(
      [],
    );
  });

  it('come after the clusters the Kubernetes plugin locates itself', async () => {
    const supplier = new SnapshotClustersSupplier(
      readSnapshotClusters(config),
      { getClusters: async () => [LIVE] },
    );
    const clusters = await supplier.getClusters({ credentials });
    expect(clusters.map(c => [c.name, c.title])).toEqual([
      ['aks-live', undefined],
      ['aks-prod-westeurope', 'aks-prod-westeurope (snapshot)'],
    ]);
    // No credentials, and no API server to reach.
    expect(clusters[1]).toMatchObject({
      authMetadata: { 'kubernetes.io/auth-provider': 'localKubectlProxy' },
      url: 'https://aks-prod-westeurope.snapshot.invalid',
      skipMetricsLookup: true,
    });
  });

  it('refuse a name the Kubernetes plugin also locates', async () => {
    const supplier = new SnapshotClustersSupplier(
      readSnapshotClusters(config),
      { getClusters: async () => [{ ...LIVE, name: 'aks-prod-westeurope' }] },
    );
    await expect(supplier.getClusters({ credentials })).rejects.toThrow(
      "Kubernetes cluster 'aks-prod-westeurope' is configured both in kubernetes.clusterLocatorMethods and as an aksBaseline snapshot cluster",
    );
  });
});
