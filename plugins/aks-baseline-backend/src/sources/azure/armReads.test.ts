/*
 * The ARM reads the `AX-` rules need beyond the managed cluster, at the
 * HTTP level with the real SDK client: Deployment Safeguards and backup
 * instances through its pipeline, the mesh revisions through the SDK, and
 * what a failure of each leaves (that part unread, the cluster read).
 */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import meshProfile from '../__fixtures__/azure/ManagedClustersGet_MeshRevisionProfile.json';
import backupList from '../__fixtures__/azure/ListBackupInstancesExtensionRouting.json';
import {
  armError,
  exampleArmCluster,
  fakeArm,
  fakeEntra,
  fakeJwt,
  FakeArmCluster,
} from '../__testUtils__/fakeAzure';
import { CATALOG_KINDS, only, sourcesFor } from '../__testUtils__/helpers';
import { SDK_MANAGED_CLUSTERS_API_VERSION } from './armReads';

const server = setupServer();
registerMswTestHooks(server);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ARM_TOKEN = fakeJwt('https://management.azure.com');
const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1';

const config: JsonObject = {
  aksBaseline: {
    clusters: [
      {
        name: 'aks-eastus',
        azure: {
          subscriptionId: '00000000-0000-0000-0000-000000000000',
          resourceGroup: 'rg1',
          clusterName: 'clustername1',
          tenantId: TENANT,
          clientId: '3f1c9d2e-5b7a-4c11-9e0d-6a8b2f4c7d90',
          clientSecret: 'Qx8~fakeClientSecretValue.DoNotLog_0123456789',
        },
        kubernetes: { enabled: false },
      },
    ],
  },
};

function cluster(): FakeArmCluster {
  const c = exampleArmCluster();
  c.cluster.properties.serviceMeshProfile = {
    mode: 'Istio',
    istio: { revisions: ['asm-1-17'] },
  };
  c.deploymentSafeguards = [
    {
      id: `${CLUSTER_ID}/providers/Microsoft.ContainerService/deploymentSafeguards/default`,
      name: 'default',
      type: 'Microsoft.ContainerService/deploymentSafeguards',
      properties: {
        level: 'Enforce',
        podSecurityStandardsLevel: 'Baseline',
        excludedNamespaces: [],
        systemExcludedNamespaces: ['kube-system'],
        provisioningState: 'Succeeded',
      },
    },
  ];
  const instance = structuredClone(backupList.responses['200'].body.value[0]);
  instance.properties.dataSourceInfo.datasourceType =
    'Microsoft.ContainerService/managedClusters';
  c.backupInstances = [instance];
  c.meshRevisionProfile = meshProfile.responses['200'].body;
  return c;
}

function setup(override?: Parameters<typeof fakeArm>[0]['override']) {
  const entra = fakeEntra({
    tenantId: TENANT,
    armToken: ARM_TOKEN,
    aksToken: fakeJwt('aks'),
  });
  const arm = fakeArm({ armToken: ARM_TOKEN, clusters: [cluster()], override });
  server.use(...entra.handlers, ...arm.handlers);
  const { sources, logger, lines } = sourcesFor(config);
  const read = () =>
    only(sources, 'aks-eastus').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
  return { arm, read, lines };
}

describe('AzureClusterSource: ARM reads for the AX rules', () => {
  it('reads Safeguards, backup instances and mesh revisions with the ARM token', async () => {
    const { arm, read } = setup();
    const snapshot = await read();
    expect(snapshot.arm).toEqual({
      apiVersion: SDK_MANAGED_CLUSTERS_API_VERSION,
      deploymentSafeguards: [
        expect.objectContaining({
          name: 'default',
          level: 'Enforce',
          podSecurityStandardsLevel: 'Baseline',
        }),
      ],
      backupInstances: [
        expect.objectContaining({
          protectionStatus: { status: 'ProtectionConfigured' },
          dataSourceInfo: expect.objectContaining({
            datasourceType: 'Microsoft.ContainerService/managedClusters',
          }),
        }),
      ],
      meshRevisions: [
        expect.objectContaining({ revision: 'asm-1-17' }),
        expect.objectContaining({ revision: 'asm-1-18' }),
      ],
    });
    const seen = (part: string) => arm.requests.find(r => r.part === part)!;
    for (const part of [
      'deploymentSafeguards',
      'backupInstances',
      'meshRevisions',
    ]) {
      expect(seen(part).authorization).toBe(`Bearer ${ARM_TOKEN}`);
    }
    expect(
      seen('deploymentSafeguards').url.searchParams.get('api-version'),
    ).toBe('2025-05-02-preview');
    expect(seen('backupInstances').url.searchParams.get('api-version')).toBe(
      '2024-04-01',
    );
    // The api-version the rules rely on is the one the SDK really sends.
    expect(seen('cluster').url.searchParams.get('api-version')).toBe(
      SDK_MANAGED_CLUSTERS_API_VERSION,
    );
  });

  it.each([
    [403, 'AuthorizationFailed', '403 Forbidden'],
    [404, 'NoRegisteredProviderFound', '404 Not Found'],
  ])(
    'leaves only the part unread on %s, with the reason',
    async (status, code, text) => {
      const { read, lines } = setup(part =>
        part === 'deploymentSafeguards' || part === 'backupInstances'
          ? armError(status, code, 'denied')
          : undefined,
      );
      const snapshot = await read();
      expect(snapshot.managedCluster?.name).toBe('clustername1');
      expect(snapshot.arm?.deploymentSafeguards).toBeUndefined();
      expect(snapshot.arm?.backupInstances).toBeUndefined();
      expect(snapshot.arm?.meshRevisions).toHaveLength(2);
      expect(snapshot.arm?.unreadable).toEqual({
        deploymentSafeguards: `Azure Resource Manager returned ${text} reading the Deployment Safeguards`,
        backupInstances: `Azure Resource Manager returned ${text} reading the Data Protection backup instances`,
      });
      expect(lines.join('\n')).toContain('the rules that need it are unknown');
    },
  );

  it('leaves the mesh revisions unread on a 500 without failing the cluster', async () => {
    const { read } = setup(part =>
      part === 'meshRevisions'
        ? armError(500, 'InternalServerError', 'boom')
        : undefined,
    );
    const snapshot = await read();
    expect(snapshot.arm?.meshRevisions).toBeUndefined();
    expect(snapshot.arm?.unreadable?.meshRevisions).toMatch(
      /^Azure Resource Manager returned 500/,
    );
    expect(snapshot.arm?.deploymentSafeguards).toHaveLength(1);
  });

  it('records why the upgrade profile was not read', async () => {
    const { read } = setup(part =>
      part === 'upgradeProfile'
        ? armError(403, 'AuthorizationFailed', 'denied')
        : undefined,
    );
    const snapshot = await read();
    expect(snapshot.upgradeProfile).toBeUndefined();
    expect(snapshot.arm?.unreadable?.upgradeProfile).toBe(
      'Azure Resource Manager returned 403 Forbidden reading the upgrade profile',
    );
  });
});
