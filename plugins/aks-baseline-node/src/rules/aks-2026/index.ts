/*
 * Beyond the seed: AKS in 2026 (AX-01..AX-15): capabilities and retirements
 * the seed document predates, read from the managed cluster, its
 * Deployment Safeguards, backup instances and region, and PodDisruptionBudgets.
 */
import { RuleDefinition } from '../../engine/rule';
import {
  nodePoolEncryptionAtHost,
  nodePoolOsImageSupported,
  nodePoolSshDisabled,
  nodePoolTrustedLaunch,
} from './node-pools';
import {
  clusterBackupConfigured,
  deploymentSafeguardsOn,
  istioRevisionSupported,
} from './platform';
import {
  costAnalysisEnabled,
  egressControlled,
  etcdKmsEncryption,
  httpApplicationRoutingOff,
  imageCleanerEnabled,
  kmsKeyVaultPrivate,
  nodeResourceGroupLocked,
  runCommandDisabled,
  uptimeSlaTier,
} from './settings';
import {
  apiVersionServedInTarget,
  nodeImageCurrent,
  pdbAllowsUpgradeDrain,
} from './upgrade';

/**
 * Judged only against a target minor (`parameters.targetKubernetesVersion`,
 * the CLI's --target-version) and on manifests: not in the catalog, so that
 * scans without a target do not count it as not applicable on every object.
 */
export { apiVersionServedInTarget };

export const aks2026Rules: RuleDefinition[] = [
  nodePoolOsImageSupported, // AX-01
  imageCleanerEnabled, // AX-02
  etcdKmsEncryption, // AX-03
  kmsKeyVaultPrivate, // AX-03
  runCommandDisabled, // AX-04
  egressControlled, // AX-05
  uptimeSlaTier, // AX-06
  nodeResourceGroupLocked, // AX-07
  deploymentSafeguardsOn, // AX-08
  nodePoolTrustedLaunch, // AX-09
  nodePoolEncryptionAtHost, // AX-09
  nodePoolSshDisabled, // AX-10
  costAnalysisEnabled, // AX-11
  istioRevisionSupported, // AX-12
  httpApplicationRoutingOff, // AX-13
  pdbAllowsUpgradeDrain, // AX-14
  nodeImageCurrent, // AX-14
  clusterBackupConfigured, // AX-15
];
