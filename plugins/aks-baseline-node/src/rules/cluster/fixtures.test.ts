/*
 * The ARM rules on whole documents, through the readers: the az-shaped
 * compliant and typical clusters (reused by the demo), a REST-shaped private
 * cluster, and the published API example.
 */
import azCompliant from '../../__fixtures__/azure/aks-show-compliant.json';
import azTypical from '../../__fixtures__/azure/aks-show-typical.json';
import azVersions from '../../__fixtures__/azure/aks-get-versions.json';
import azMaintenance from '../../__fixtures__/azure/aks-maintenanceconfiguration-list.json';
import azUpgradesTypical from '../../__fixtures__/azure/aks-get-upgrades-typical.json';
import restPrivate from '../../__fixtures__/azure/rest-managed-cluster-private.json';
import specGet from '../../__fixtures__/azure/azure-rest-api-specs/2026-08-01/ManagedClustersGet.json';
import { ClusterSnapshot } from '../../engine/types';
import { AnyRuleDefinition } from '../../engine/rule';
import {
  normalizeKubernetesVersions,
  normalizeMaintenanceConfigurations,
  normalizeManagedCluster,
  normalizeUpgradeProfile,
} from '../../readers';
import {
  MakeSnapshotOptions,
  evaluateRule,
  makeSnapshot,
} from '../../testUtils';
import { identityArmRules } from '../identity/arm';
import { networkingArmRules } from '../networking/arm';
import { operationsArmRules } from '../operations/arm';
import { clusterRules } from './index';

const ARM_RULES: AnyRuleDefinition[] = [
  ...clusterRules,
  ...networkingArmRules,
  ...identityArmRules,
  ...operationsArmRules,
];

/** `ruleId[/subject]: status` for every outcome that is not a pass. */
function notPassing(s: ClusterSnapshot): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of ARM_RULES) {
    if (rule.manual) continue;
    for (const o of evaluateRule(rule, s)) {
      if (o.status === 'pass' || o.status === 'not-applicable') continue;
      const key =
        rule.scope === 'nodePool' ? `${rule.id}/${o.ref.name}` : rule.id;
      out[key] = o.status;
    }
  }
  return out;
}

function snapshot(
  doc: unknown,
  extra: Omit<MakeSnapshotOptions, 'managedCluster'> = {},
) {
  return makeSnapshot({
    managedCluster: normalizeManagedCluster(doc),
    ...extra,
  });
}

describe('ARM rules on whole documents', () => {
  it('az aks show: the baseline-compliant production cluster passes everything', () => {
    const s = snapshot(azCompliant, {
      maintenanceConfigurations:
        normalizeMaintenanceConfigurations(azMaintenance),
      kubernetesVersions: normalizeKubernetesVersions(azVersions),
    });
    expect(s.managedCluster?.tags?.Environment).toBe('Production');
    expect(notPassing(s)).toEqual({});
  });

  it('az aks show: the typical cluster fails what a brownfield cluster fails', () => {
    const s = snapshot(azTypical, {
      maintenanceConfigurations: [],
      upgradeProfile: normalizeUpgradeProfile(azUpgradesTypical),
    });
    expect(notPassing(s)).toEqual({
      'node-pool-version-matches-control-plane/apppool': 'fail',
      'user-pool-autoscaler-enabled/apppool': 'fail',
      'production-pool-min-count/apppool': 'fail',
      'cluster-managed-identity': 'fail',
      'cluster-entra-id-integration': 'fail',
      'azure-rbac-for-kubernetes': 'fail',
      'local-accounts-disabled': 'fail',
      'defender-for-containers-enabled': 'fail',
      'node-pool-availability-zones/nodepool1': 'fail',
      'node-pool-availability-zones/apppool': 'fail',
      'cluster-required-tags': 'fail',
      'system-pool-dedicated/nodepool1': 'fail',
      'auto-upgrade-channel-set': 'fail',
      'planned-maintenance-window': 'fail',
      'production-pool-no-burstable-vms/apppool': 'fail',
      'azure-cni-in-production': 'fail',
      'azure-cni-overlay': 'fail',
      'network-policy-engine-enabled': 'fail',
      'api-server-access-restricted': 'fail',
      'workload-identity-enabled': 'fail',
      'keyvault-secrets-provider-rotation': 'fail',
      'managed-prometheus-enabled': 'fail',
      'azure-policy-addon-enabled': 'fail',
      // The upgrade profile offers 1.32, the next minor: whether newer ones
      // exist is not in it, and no list of versions was read.
      'kubernetes-version-supported': 'unknown',
    });
  });

  it('REST JSON: the private cluster is read with its REST spellings', () => {
    // No IngressClass was read (manifest coverage): an ingress controller
    // installed with Helm would not show in ARM, so the ingress rule cannot
    // fail; nor can the version rule judge without any version data.
    const s = snapshot(restPrivate, {
      maintenanceConfigurations:
        normalizeMaintenanceConfigurations(azMaintenance),
      coverage: { mode: 'manifests' },
    });
    expect(notPassing(s)).toEqual({
      'production-pool-min-count/win22': 'fail', // minCount 2
      'cluster-autoscaler-profile-tuned': 'fail',
      'windows-azure-hybrid-benefit': 'fail',
      'azure-cni-overlay': 'fail',
      'managed-ingress-addon': 'unknown',
      'kubernetes-version-supported': 'unknown',
      'keyvault-secrets-provider-rotation': 'fail',
      'managed-prometheus-enabled': 'fail',
      'azure-policy-addon-enabled': 'fail',
    });
    const [scaler] = evaluateRule(
      clusterRules.find(r => r.id === 'cluster-autoscaler-profile-tuned')!,
      s,
    );
    expect(scaler.evidence?.map(e => [e.path, e.value])).toEqual([
      ['autoScalerProfile.scaleDownDelayAfterAdd', '15m'],
      ['autoScalerProfile.scaleDownUtilizationThreshold', '0.6'],
    ]);
  });

  it('the published ManagedClusters_Get example: kubenet, RBAC off, service principal', () => {
    const s = snapshot(specGet);
    const failing = notPassing(s);
    expect(failing).toMatchObject({
      'kubernetes-rbac-enabled': 'fail',
      'cluster-managed-identity': 'fail',
      'network-policy-engine-enabled': 'fail',
      'api-server-access-restricted': 'fail',
      // No version data in the example, and no built-in minimum.
      'kubernetes-version-supported': 'unknown',
    });
    // The example omits what real responses carry: unknown, never pass.
    expect(failing['cluster-power-state-running']).toBe('unknown');
    expect(failing['planned-maintenance-window']).toBe('unknown');
  });
});
