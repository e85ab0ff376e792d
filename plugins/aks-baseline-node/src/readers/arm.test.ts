import azShowCompliant from '../__fixtures__/azure/aks-show-compliant.json';
import restPrivate from '../__fixtures__/azure/rest-managed-cluster-private.json';
import azVersions from '../__fixtures__/azure/aks-get-versions.json';
import azMaintenance from '../__fixtures__/azure/aks-maintenanceconfiguration-list.json';
import azUpgrades from '../__fixtures__/azure/aks-get-upgrades-typical.json';
import specGet from '../__fixtures__/azure/azure-rest-api-specs/2026-08-01/ManagedClustersGet.json';
import specAzureRbac from '../__fixtures__/azure/azure-rest-api-specs/2026-08-01/ManagedClustersCreate_UpdateWithEnableAzureRBAC.json';
import specAgentPool from '../__fixtures__/azure/azure-rest-api-specs/2026-08-01/AgentPoolsGet.json';
import specSpotPool from '../__fixtures__/azure/azure-rest-api-specs/2026-08-01/AgentPoolsCreate_Spot.json';
import specMaintenance from '../__fixtures__/azure/azure-rest-api-specs/2026-08-01/MaintenanceConfigurationsGet_MaintenanceWindow.json';
import specPodIdentity from '../__fixtures__/azure/azure-rest-api-specs/2026-07-01/ManagedClustersCreate_PodIdentity.json';
import sdkRecording from '../__fixtures__/azure/azure-sdk-for-js/recording_managedclusters_get_test.json';
import {
  mergeAgentPools,
  normalizeAgentPools,
  normalizeKubernetesVersions,
  normalizeMaintenanceConfigurations,
  normalizeManagedCluster,
  normalizeUpgradeProfile,
} from './arm';
import { SnapshotReadError } from './errors';

function errorOf(fn: () => unknown): SnapshotReadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SnapshotReadError) return e;
    throw e;
  }
  throw new Error('expected a SnapshotReadError');
}

describe('normalizeManagedCluster', () => {
  it('reads az aks show output (az spellings → SDK)', () => {
    const mc = normalizeManagedCluster(azShowCompliant, 'cluster.json');
    expect(mc.name).toBe('aks-payments-prod');
    expect(mc.aadProfile?.enableAzureRbac).toBe(true);
    expect(mc.enableRBAC).toBe(true);
    expect(mc).not.toHaveProperty('enableRbac');
    expect(Object.keys(mc.addonProfiles!).sort()).toEqual([
      'azurekeyvaultsecretsprovider',
      'azurepolicy',
      'omsagent',
    ]);
    // Addon config keys are data: kept as az printed them.
    expect(
      mc.addonProfiles!.omsagent.config!.logAnalyticsWorkspaceResourceID,
    ).toMatch(/workspaces\/log-platform-prod-krc$/);
    expect(mc.agentPoolProfiles![0]).toMatchObject({
      name: 'systempool',
      osSKU: 'Ubuntu',
      nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'],
    });
    expect(mc.agentPoolProfiles![0]).not.toHaveProperty('osSku');
    // az prints unset fields as null: they are dropped.
    expect(mc.aadProfile).not.toHaveProperty('adminUsers');
    expect(mc.agentPoolProfiles![0]).not.toHaveProperty('nodeLabels');
    expect(mc.tags).toMatchObject({
      Environment: 'Production',
      Owner: 'DevOps',
    });
    expect(
      mc.oidcIssuerProfile?.issuerURL ?? mc.oidcIssuerProfile?.enabled,
    ).toBeDefined();
    expect(mc.autoUpgradeProfile).not.toHaveProperty('nodeOsUpgradeChannel');
  });

  it('reads ARM REST JSON (properties envelope, enableAzureRBAC)', () => {
    const mc = normalizeManagedCluster(restPrivate, 'rest.json');
    expect(mc.name).toBe('aks-orders-prod');
    expect(mc).not.toHaveProperty('properties');
    expect(mc.aadProfile?.enableAzureRbac).toBe(true);
    expect(mc.aadProfile).not.toHaveProperty('enableAzureRBAC');
    expect(mc.addonProfiles?.azurekeyvaultsecretsprovider?.config).toEqual({
      enableSecretRotation: 'false',
      rotationPollInterval: '2m',
    });
    expect(mc.identity?.type).toBe('SystemAssigned');
    expect(mc.apiServerAccessProfile?.enablePrivateCluster).toBe(true);
  });

  it('unwraps azure-rest-api-specs examples', () => {
    const mc = normalizeManagedCluster(specGet, 'ManagedClustersGet.json');
    expect(mc.name).toBe('clustername1');
    expect(mc.enableRBAC).toBe(false);
    expect(mc.agentPoolProfiles).toEqual([
      expect.objectContaining({
        name: 'nodepool1',
        availabilityZones: ['1', '2', '3'],
      }),
    ]);
    const rbac = normalizeManagedCluster(specAzureRbac);
    expect(rbac.aadProfile).toEqual({
      enableAzureRbac: true,
      managed: true,
      tenantID: 'tenantID',
    });
    // REST kebab-case autoscaler keys become the SDK's camelCase.
    expect(rbac.autoScalerProfile).toEqual({
      scaleDownDelayAfterAdd: '15m',
      scanInterval: '20s',
    });
    const podIdentity = normalizeManagedCluster(specPodIdentity);
    expect(podIdentity.podIdentityProfile?.enabled).toBe(true);
  });

  it('unwraps azure-sdk-for-js recordings (object or string body)', () => {
    const mc = normalizeManagedCluster(sdkRecording, 'recording.json');
    expect(mc.name).toBe('myreourcexyz');
    expect(mc.servicePrincipalProfile?.clientId).toBe('azure_client_id');
    expect(mc.networkProfile?.networkPlugin).toBe('kubenet');
    expect(mc.autoScalerProfile?.maxGracefulTerminationSec).toBe('600');
    const asString = {
      Entries: [
        { RequestUri: 'x', ResponseBody: null },
        { ResponseBody: JSON.stringify(sdkRecording.Entries[0].ResponseBody) },
      ],
    };
    expect(normalizeManagedCluster(asString).name).toBe('myreourcexyz');
  });

  it('keeps SDK objects as they are (idempotent)', () => {
    const once = normalizeManagedCluster(azShowCompliant);
    expect(normalizeManagedCluster(once)).toEqual(once);
  });

  it('lower-cases addon keys and renames authorizedIpRanges', () => {
    const mc = normalizeManagedCluster({
      name: 'x',
      addonProfiles: {
        azureKeyvaultSecretsProvider: { enabled: true },
        ingressApplicationGateway: { enabled: false },
        openServiceMesh: null,
      },
      apiServerAccessProfile: { authorizedIpRanges: ['203.0.113.0/24'] },
    });
    expect(mc.addonProfiles).toEqual({
      azurekeyvaultsecretsprovider: { enabled: true },
      ingressapplicationgateway: { enabled: false },
    });
    expect(mc.apiServerAccessProfile).toEqual({
      authorizedIPRanges: ['203.0.113.0/24'],
    });
  });

  it.each([
    [[], '', /cluster\.json: expected an object, found an array/],
    [
      {},
      'name',
      /cluster\.json: name: expected a non-empty string, found nothing/,
    ],
    [{ name: 'a', properties: 'x' }, 'properties', /expected an object/],
    [
      { name: 'a', tags: { Owner: 3 } },
      'tags.Owner',
      /expected a string, found number 3/,
    ],
    [
      { name: 'a', agentPoolProfiles: [{ name: 'p' }, { count: 3 }] },
      'agentPoolProfiles[1].name',
      /agentPoolProfiles\[1\]\.name: expected a non-empty string/,
    ],
    [
      { name: 'a', agentPoolProfiles: [{ name: 'p', availabilityZones: [1] }] },
      'agentPoolProfiles[0].availabilityZones[0]',
      /expected a string, found number 1/,
    ],
    [
      { name: 'a', addonProfiles: { omsagent: true } },
      'addonProfiles.omsagent',
      /expected an object/,
    ],
    [
      { name: 'a', aadProfile: [] },
      'aadProfile',
      /expected an object, found an array/,
    ],
    [
      { responses: { 404: {} } },
      'responses',
      /without a 200\/201 response body/,
    ],
    [{ Entries: [] }, 'Entries', /without a ResponseBody/],
  ])('rejects %j at %s', (doc, path, message) => {
    const error = errorOf(() => normalizeManagedCluster(doc, 'cluster.json'));
    expect(error.file).toBe('cluster.json');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it('names the recording body when it is not JSON', () => {
    const error = errorOf(() =>
      normalizeManagedCluster(
        { Entries: [{ ResponseBody: '{"name":' }] },
        'rec.json',
      ),
    );
    expect(error.message).toMatch(
      /^rec\.json \(Entries\[0\]\.ResponseBody\): line 1: not valid JSON/,
    );
  });
});

describe('agent pools', () => {
  it('reads REST documents and merges them into the cluster', () => {
    const pools = normalizeAgentPools(specSpotPool, 'agentpools.json');
    expect(pools).toEqual([
      expect.objectContaining({
        name: 'agentpool1',
        scaleSetPriority: 'Spot',
        scaleSetEvictionPolicy: 'Delete',
        nodeTaints: ['Key1=Value1:NoSchedule'],
        nodeLabels: { key1: 'val1' },
      }),
    ]);
    const cluster = normalizeManagedCluster(specGet);
    const merged = mergeAgentPools(cluster, [
      ...normalizeAgentPools(specAgentPool),
      { name: 'nodepool1', enableAutoScaling: true },
    ]);
    expect(merged.agentPoolProfiles!.map(p => p.name)).toEqual([
      'nodepool1',
      'agentpool1',
    ]);
    expect(merged.agentPoolProfiles![0]).toMatchObject({
      enableAutoScaling: true,
      availabilityZones: ['1', '2', '3'],
    });
    expect(cluster.agentPoolProfiles![0].enableAutoScaling).toBeUndefined();
  });

  it('reads lists (`value` and arrays) and reports bad items', () => {
    expect(
      normalizeAgentPools({ value: [{ name: 'a', properties: { count: 1 } }] }),
    ).toEqual([{ name: 'a', count: 1 }]);
    expect(normalizeAgentPools([{ name: 'b', osSku: 'AzureLinux' }])).toEqual([
      { name: 'b', osSKU: 'AzureLinux' },
    ]);
    const error = errorOf(() =>
      normalizeAgentPools({ value: [{ name: 'a' }, 7] }, 'p.json'),
    );
    expect(error.message).toBe(
      'p.json: value[1]: expected an object, found number 7',
    );
  });
});

describe('maintenance, upgrades, versions', () => {
  it('reads maintenance configurations in every shape', () => {
    const az = normalizeMaintenanceConfigurations(azMaintenance);
    expect(az.map(m => m.name)).toEqual([
      'default',
      'aksManagedAutoUpgradeSchedule',
    ]);
    expect(az[0].timeInWeek).toEqual([{ day: 'Saturday', hourSlots: [2] }]);
    expect(az[0]).not.toHaveProperty('maintenanceWindow');
    const rest = normalizeMaintenanceConfigurations(specMaintenance);
    expect(rest).toEqual([
      expect.objectContaining({
        name: 'aksManagedNodeOSUpgradeSchedule',
        maintenanceWindow: expect.objectContaining({ durationHours: 4 }),
      }),
    ]);
    expect(normalizeMaintenanceConfigurations({ value: [] })).toEqual([]);
    expect(
      errorOf(() =>
        normalizeMaintenanceConfigurations(
          [{ name: 'x', timeInWeek: {} }],
          'm.json',
        ),
      ).message,
    ).toBe('m.json: [0].timeInWeek: expected a list, found an object');
  });

  it('reads the upgrade profile', () => {
    const profile = normalizeUpgradeProfile(azUpgrades);
    expect(profile.controlPlaneProfile?.kubernetesVersion).toBe('1.31.11');
    expect(profile.controlPlaneProfile?.upgrades).toEqual([
      { kubernetesVersion: '1.32.7' },
      { kubernetesVersion: '1.32.9' },
    ]);
    expect(profile).not.toHaveProperty('agentPoolProfiles');
    expect(
      normalizeUpgradeProfile({
        properties: { controlPlaneProfile: { kubernetesVersion: '1.30.1' } },
      }),
    ).toEqual({ controlPlaneProfile: { kubernetesVersion: '1.30.1' } });
  });

  it('reads Kubernetes versions (values, arrays, orchestrators)', () => {
    const versions = normalizeKubernetesVersions(azVersions);
    expect(versions[0]).toMatchObject({ version: '1.35', isPreview: true });
    expect(versions[1]).not.toHaveProperty('isPreview');
    expect(versions[2].patchVersions!['1.33.5'].upgrades).toEqual([
      '1.34.0',
      '1.34.1',
    ]);
    expect(normalizeKubernetesVersions([{ version: '1.31' }])).toEqual([
      { version: '1.31' },
    ]);
    expect(
      normalizeKubernetesVersions({
        orchestrators: [
          {
            orchestratorVersion: '1.30.4',
            upgrades: [{ orchestratorVersion: '1.31.1' }],
          },
          { orchestratorVersion: '1.31.1', isPreview: true },
          { orchestratorVersion: '1.31.2' },
        ],
      }),
    ).toEqual([
      {
        version: '1.30',
        patchVersions: { '1.30.4': { upgrades: ['1.31.1'] } },
      },
      {
        version: '1.31',
        patchVersions: {
          '1.31.1': { upgrades: [] },
          '1.31.2': { upgrades: [] },
        },
      },
    ]);
    expect(
      errorOf(() =>
        normalizeKubernetesVersions({ values: [{ version: 1.31 }] }, 'v.json'),
      ).message,
    ).toBe(
      'v.json: values[0].version: expected a non-empty string, found number 1.31',
    );
  });
});
