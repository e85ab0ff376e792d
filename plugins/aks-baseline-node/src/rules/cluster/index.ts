/*
 * Cluster (CL-01..CL-20): read from Azure Resource Manager (the managed
 * cluster, its agent pools, maintenance configurations, upgrade profile and
 * the region's Kubernetes versions).
 */
import { RuleDefinition } from '../../engine/rule';
import {
  azureRbacEnabled,
  defenderEnabled,
  entraIdIntegration,
  kubernetesRbacEnabled,
  localAccountsDisabled,
  managedIdentity,
} from './access';
import {
  gpuPoolTaintedAndScalable,
  poolAvailabilityZones,
  poolVirtualMachineScaleSets,
  productionNoBurstableVms,
  productionPoolMinCount,
  spotPoolConfigured,
  systemPoolDedicated,
  userPoolAutoscaler,
  userPoolPresent,
} from './node-pools';
import {
  autoUpgradeChannel,
  autoscalerProfileTuned,
  maintenanceWindow,
  requiredTags,
  standardLoadBalancer,
  windowsHybridBenefit,
} from './settings';
import {
  kubernetesVersionSupported,
  nodePoolVersionMatchesControlPlane,
} from './version';

export const clusterRules: RuleDefinition[] = [
  kubernetesVersionSupported, // CL-01
  nodePoolVersionMatchesControlPlane, // CL-02
  userPoolAutoscaler, // CL-03
  productionPoolMinCount, // CL-03
  managedIdentity, // CL-04
  entraIdIntegration, // CL-05
  kubernetesRbacEnabled, // CL-06
  azureRbacEnabled, // CL-06
  localAccountsDisabled, // CL-07
  defenderEnabled, // CL-08
  poolAvailabilityZones, // CL-09
  standardLoadBalancer, // CL-10
  poolVirtualMachineScaleSets, // CL-11
  requiredTags, // CL-12
  systemPoolDedicated, // CL-13
  userPoolPresent, // CL-13
  gpuPoolTaintedAndScalable, // CL-14
  spotPoolConfigured, // CL-15
  autoUpgradeChannel, // CL-16
  maintenanceWindow, // CL-17
  productionNoBurstableVms, // CL-18
  autoscalerProfileTuned, // CL-19
  windowsHybridBenefit, // CL-20
];
