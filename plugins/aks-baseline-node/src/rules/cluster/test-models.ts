/*
 * SDK-shaped (normalised) ManagedCluster models for the ARM rule tests: the
 * baseline-compliant production cluster of
 * __fixtures__/azure/aks-show-compliant.json as the readers return it, and
 * small builders to break one setting at a time. Test-only.
 */
import {
  AgentPoolModel,
  ClusterSnapshot,
  ManagedClusterModel,
} from '../../engine/types';
import { MakeSnapshotOptions, makeSnapshot } from '../../testUtils';

const SUB = '6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21';
const RG = 'rg-payments-prod-krc';
const SUBNET = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-payments-prod/subnets/snet-aks-nodes`;
const WORKSPACE = `/subscriptions/${SUB}/resourceGroups/rg-monitoring-prod-krc/providers/Microsoft.OperationalInsights/workspaces/log-platform-prod-krc`;

/** A pool as the SDK returns it; defaults are a zoned, autoscaled User pool. */
export function pool(
  overrides: Partial<AgentPoolModel> & { name: string },
): AgentPoolModel {
  return {
    count: 3,
    vmSize: 'Standard_D4s_v5',
    osDiskSizeGB: 128,
    osDiskType: 'Ephemeral',
    kubeletDiskType: 'OS',
    maxPods: 250,
    type: 'VirtualMachineScaleSets',
    availabilityZones: ['1', '2', '3'],
    enableAutoScaling: true,
    minCount: 3,
    maxCount: 10,
    provisioningState: 'Succeeded',
    powerState: { code: 'Running' },
    orchestratorVersion: '1.33',
    currentOrchestratorVersion: '1.33.5',
    enableNodePublicIP: false,
    mode: 'User',
    osType: 'Linux',
    osSKU: 'Ubuntu',
    nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.03.0',
    upgradeSettings: { maxSurge: '10%', maxUnavailable: '0' },
    vnetSubnetID: SUBNET,
    ...overrides,
  };
}

/** The compliant production cluster, normalised; a fresh copy on every call. */
export function compliantCluster(): ManagedClusterModel {
  return {
    id: `/subscriptions/${SUB}/resourcegroups/${RG}/providers/Microsoft.ContainerService/managedClusters/aks-payments-prod`,
    name: 'aks-payments-prod',
    location: 'koreacentral',
    type: 'Microsoft.ContainerService/ManagedClusters',
    tags: {
      CostCenter: 'CC-4711',
      Environment: 'Production',
      Owner: 'DevOps',
      Service: 'payments',
    },
    sku: { name: 'Base', tier: 'Standard' },
    identity: {
      type: 'SystemAssigned',
      principalId: '8f2c4a6e-0b1d-4e3f-a5c7-9e1b3d5f7a9c',
      tenantId: '0d6c3a1e-8f2b-4c5d-9e7a-4b1f2c3d5e6a',
    },
    provisioningState: 'Succeeded',
    powerState: { code: 'Running' },
    kubernetesVersion: '1.33',
    currentKubernetesVersion: '1.33.5',
    dnsPrefix: 'aks-payments-prod-dns',
    fqdn: 'aks-payments-prod-dns-7h3k2m9q.hcp.koreacentral.azmk8s.io',
    agentPoolProfiles: [
      pool({
        name: 'systempool',
        mode: 'System',
        maxCount: 5,
        maxPods: 110,
        nodeTaints: ['CriticalAddonsOnly=true:NoSchedule'],
      }),
      pool({
        name: 'apppool',
        vmSize: 'Standard_D8s_v5',
        count: 4,
        maxCount: 20,
        nodeLabels: { tier: 'frontend', workload: 'application' },
      }),
      pool({
        name: 'spotpool',
        count: 2,
        minCount: 0,
        scaleSetPriority: 'Spot',
        scaleSetEvictionPolicy: 'Delete',
        spotMaxPrice: -1,
        nodeLabels: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
        nodeTaints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
      }),
      pool({
        name: 'gpupool',
        vmSize: 'Standard_NC4as_T4_v3',
        count: 0,
        minCount: 0,
        maxCount: 4,
        maxPods: 110,
        osDiskType: 'Managed',
        nodeLabels: { accelerator: 'nvidia' },
        nodeTaints: ['sku=gpu:NoSchedule'],
      }),
    ],
    servicePrincipalProfile: { clientId: 'msi' },
    addonProfiles: {
      azurekeyvaultsecretsprovider: {
        enabled: true,
        config: { enableSecretRotation: 'true', rotationPollInterval: '2m' },
      },
      azurepolicy: { enabled: true, config: { version: 'v2' } },
      omsagent: {
        enabled: true,
        config: {
          logAnalyticsWorkspaceResourceID: WORKSPACE,
          useAADAuth: 'true',
        },
      },
    },
    nodeResourceGroup: 'MC_rg-payments-prod-krc_aks-payments-prod_koreacentral',
    enableRBAC: true,
    supportPlan: 'KubernetesOfficial',
    networkProfile: {
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'cilium',
      networkDataplane: 'cilium',
      podCidr: '192.168.0.0/16',
      serviceCidr: '10.0.0.0/16',
      dnsServiceIP: '10.0.0.10',
      outboundType: 'loadBalancer',
      loadBalancerSku: 'standard',
    },
    aadProfile: {
      managed: true,
      enableAzureRbac: true,
      adminGroupObjectIDs: ['4e9b6c2a-7d31-4f08-b5e2-19c8a0d73f64'],
      tenantId: '0d6c3a1e-8f2b-4c5d-9e7a-4b1f2c3d5e6a',
    },
    apiServerAccessProfile: {
      authorizedIPRanges: ['203.0.113.0/24', '198.51.100.0/24'],
      enablePrivateCluster: false,
    },
    autoUpgradeProfile: {
      upgradeChannel: 'stable',
      nodeOSUpgradeChannel: 'NodeImage',
    },
    autoScalerProfile: {
      balanceSimilarNodeGroups: 'false',
      expander: 'random',
      maxGracefulTerminationSec: '600',
      scaleDownDelayAfterAdd: '10m',
      scaleDownUnneededTime: '10m',
      scaleDownUtilizationThreshold: '0.5',
      scanInterval: '10s',
    },
    disableLocalAccounts: true,
    securityProfile: {
      defender: {
        logAnalyticsWorkspaceResourceId: WORKSPACE,
        securityMonitoring: { enabled: true },
      },
      workloadIdentity: { enabled: true },
      imageCleaner: { enabled: true, intervalHours: 168 },
    },
    oidcIssuerProfile: {
      enabled: true,
      issuerURL:
        'https://koreacentral.oic.prod-aks.azure.com/0d6c3a1e-8f2b-4c5d-9e7a-4b1f2c3d5e6a/9c1e3a5b-7d9f-4b1d-83f5-a7c9e1b3d5f7/',
    },
    azureMonitorProfile: { metrics: { enabled: true } },
    ingressProfile: { webAppRouting: { enabled: true } },
  };
}

/** The pool named `name` of a model (throws when absent, to catch typos). */
export function poolNamed(
  mc: ManagedClusterModel,
  name: string,
): AgentPoolModel {
  const found = mc.agentPoolProfiles?.find(p => p.name === name);
  if (!found) throw new Error(`no pool ${name}`);
  return found;
}

/** A snapshot of `mc` with the maintenance window of the compliant cluster. */
export function snapshotOf(
  mc: ManagedClusterModel,
  extra: Omit<MakeSnapshotOptions, 'managedCluster'> = {},
): ClusterSnapshot {
  return makeSnapshot({
    maintenanceConfigurations: [
      { name: 'default', timeInWeek: [{ day: 'Saturday', hourSlots: [2] }] },
    ],
    ...extra,
    managedCluster: mc,
  });
}
