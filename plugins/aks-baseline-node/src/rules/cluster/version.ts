/*
 * CL-01 (current, supported Kubernetes minor) and CL-02 (node pools on the
 * control plane's version).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { PASS, fail, unknown } from '../../engine/outcomes';
import {
  ClusterView,
  KubernetesVersionModel,
  RuleDefinition,
} from '../../engine/types';
import { NO_MANAGED_CLUSTER } from './common';
import {
  AZ_CLUSTER,
  AZ_NODEPOOL,
  ParsedVersion,
  clusterVersion,
  minorKey,
  minorText,
  parseVersion,
} from './helpers';

function findVersions(
  versions: readonly KubernetesVersionModel[],
  current: ParsedVersion,
): {
  entry?: KubernetesVersionModel;
  newestGa?: ParsedVersion;
  supported: string[];
} {
  let entry: KubernetesVersionModel | undefined;
  let newestGa: ParsedVersion | undefined;
  const supported: string[] = [];
  const currentKey = minorKey(current);
  for (let i = 0; i < versions.length; i++) {
    const v = versions[i];
    const parsed = parseVersion(v?.version);
    if (!parsed) continue;
    supported.push(minorText(parsed));
    if (minorKey(parsed) === currentKey) entry = v;
    if (
      v.isPreview !== true &&
      (!newestGa || minorKey(parsed) > minorKey(newestGa))
    )
      newestGa = parsed;
  }
  return { entry, newestGa, supported };
}

function checkAgainstVersionList(
  c: ClusterView,
  versions: readonly KubernetesVersionModel[],
  path: string,
  value: string,
  current: ParsedVersion,
) {
  const { entry, newestGa, supported } = findVersions(versions, current);
  if (!entry) {
    return fail(
      `Kubernetes ${value} is no longer supported in the cluster's region: minor ${minorText(
        current,
      )} is not in the available versions (${supported.join(
        ', ',
      )}; source: listKubernetesVersions)`,
      [
        { path, value, expected: `one of ${supported.join(', ')}` },
        { path: 'listKubernetesVersions[].version', value: supported },
      ],
    );
  }
  const plans = entry.capabilities?.supportPlan;
  const mc = c.managedCluster!;
  if (
    Array.isArray(plans) &&
    plans.length > 0 &&
    plans.indexOf('KubernetesOfficial') < 0 &&
    mc.supportPlan !== 'AKSLongTermSupport'
  ) {
    return fail(
      `Kubernetes ${minorText(
        current,
      )} is only supported under AKS Long Term Support (support plans: ${plans.join(
        ', ',
      )}), and the cluster is not on that plan (source: listKubernetesVersions)`,
      [
        { path, value },
        {
          path: 'supportPlan',
          value: mc.supportPlan,
          expected: 'AKSLongTermSupport',
        },
      ],
    );
  }
  if (newestGa && minorKey(newestGa) - minorKey(current) > 1) {
    const behind = minorKey(newestGa) - minorKey(current);
    return fail(
      `Kubernetes ${value} is ${behind} minors behind the newest GA minor ${minorText(
        newestGa,
      )} (source: listKubernetesVersions); stay within one minor`,
      [
        {
          path,
          value,
          expected: `${newestGa.major}.${newestGa.minor - 1} or newer`,
        },
        { path: 'listKubernetesVersions[].version', value: supported },
      ],
    );
  }
  return PASS;
}

function checkAgainstMinimum(
  minimum: string,
  path: string,
  value: string,
  current: ParsedVersion,
  also: string,
) {
  const min = parseVersion(minimum);
  if (!min) return PASS;
  if (minorKey(current) < minorKey(min)) {
    return fail(
      `Kubernetes ${value} is older than the configured minimum ${minimum} (source: parameter minimumKubernetesVersion${also})`,
      [{ path, value, expected: `${minimum} or newer` }],
    );
  }
  return PASS;
}

export const kubernetesVersionSupported: RuleDefinition<'cluster'> = {
  id: 'kubernetes-version-supported',
  baselineRef: 'CL-01',
  category: 'cluster',
  severity: 'high',
  title:
    'Kubernetes version is supported and at most one minor behind the newest GA',
  rationale:
    'Minors that fall out of the AKS support window stop receiving security patches, and upgrades can only move one minor at a time, so lagging makes catching up slow and risky.',
  remediation: {
    summary:
      'Check the available versions, then upgrade the control plane first and the node pools one at a time.',
    command: [
      `az aks get-upgrades ${AZ_CLUSTER}`,
      `az aks upgrade ${AZ_CLUSTER} --kubernetes-version 1.32.9 --control-plane-only`,
    ].join('\n'),
  },
  scope: 'cluster',
  source: 'arm',
  check(c, ctx) {
    const mc = c.managedCluster;
    if (!mc) return NO_MANAGED_CLUSTER;
    const found = clusterVersion(mc);
    if (!found)
      return unknown('The cluster reports no Kubernetes version', [
        { path: 'currentKubernetesVersion', value: undefined },
      ]);
    const current = parseVersion(found.value);
    if (!current)
      return unknown(`Unrecognised Kubernetes version "${found.value}"`, [
        { path: found.path, value: found.value },
      ]);

    const versions = c.kubernetesVersions;
    if (versions && versions.length > 0) {
      return checkAgainstVersionList(
        c,
        versions,
        found.path,
        found.value,
        current,
      );
    }

    const upgrades = c.upgradeProfile?.controlPlaneProfile?.upgrades;
    if (Array.isArray(upgrades)) {
      // Upgrades never skip a minor, so the profile only proves a lag of more
      // than one when even the next step is two minors ahead (clusters out of
      // support); the configured minimum covers the rest.
      let newest: ParsedVersion | undefined;
      for (let i = 0; i < upgrades.length; i++) {
        if (upgrades[i]?.isPreview === true) continue;
        const p = parseVersion(upgrades[i]?.kubernetesVersion);
        if (p && (!newest || minorKey(p) > minorKey(newest))) newest = p;
      }
      if (newest && minorKey(newest) - minorKey(current) > 1) {
        const evidence: Evidence[] = [
          { path: found.path, value: found.value },
          {
            path: 'upgradeProfile.controlPlaneProfile.upgrades[].kubernetesVersion',
            value: minorText(newest),
          },
        ];
        return fail(
          `Kubernetes ${found.value} is ${
            minorKey(newest) - minorKey(current)
          } minors behind ${minorText(
            newest,
          )}, offered as an upgrade (source: upgrade profile)`,
          evidence,
        );
      }
      return checkAgainstMinimum(
        ctx.params.minimumKubernetesVersion,
        found.path,
        found.value,
        current,
        ' and upgrade profile',
      );
    }

    return checkAgainstMinimum(
      ctx.params.minimumKubernetesVersion,
      found.path,
      found.value,
      current,
      '; no list of available versions was read',
    );
  },
};

export const nodePoolVersionMatchesControlPlane: RuleDefinition<'nodePool'> = {
  id: 'node-pool-version-matches-control-plane',
  baselineRef: 'CL-02',
  category: 'cluster',
  severity: 'medium',
  title: "Node pool runs the control plane's Kubernetes version",
  rationale:
    'Node pools left behind the control plane run unpatched kubelets and drift towards the unsupported version skew; upgrade them right after the control plane, one at a time.',
  remediation: {
    summary: 'Upgrade the node pool to the control plane version.',
    command: `az aks nodepool upgrade ${AZ_NODEPOOL} --name $NODEPOOL --kubernetes-version 1.32.9`,
  },
  scope: 'nodePool',
  source: 'arm',
  check(np) {
    const mc = np.cluster.managedCluster;
    if (!mc) return NO_MANAGED_CLUSTER;
    const cp = clusterVersion(mc);
    const pool = np.pool;
    const poolPath =
      typeof pool.currentOrchestratorVersion === 'string' &&
      pool.currentOrchestratorVersion
        ? 'currentOrchestratorVersion'
        : 'orchestratorVersion';
    const poolValue = pool[poolPath];
    const cpVersion = parseVersion(cp?.value);
    const poolVersion = parseVersion(poolValue);
    if (!cp || !cpVersion || !poolVersion) {
      return unknown('The control plane or node pool version is not reported', [
        { path: `${np.path}.${poolPath}`, value: poolValue },
        { path: cp?.path ?? 'currentKubernetesVersion', value: cp?.value },
      ]);
    }
    const minorDiffers = minorKey(cpVersion) !== minorKey(poolVersion);
    const patchDiffers =
      !minorDiffers &&
      cpVersion.patch !== undefined &&
      poolVersion.patch !== undefined &&
      cpVersion.patch !== poolVersion.patch;
    if (!minorDiffers && !patchDiffers) return PASS;
    return fail(
      `Node pool ${pool.name} runs Kubernetes ${poolValue}, the control plane ${
        cp.value
      } (${minorDiffers ? 'different minor' : 'different patch'})`,
      [
        {
          path: `${np.path}.${poolPath}`,
          value: poolValue,
          expected: cp.value,
        },
      ],
    );
  },
};
