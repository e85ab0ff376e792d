/*
 * CL-01 (current, supported Kubernetes minor) and CL-02 (node pools on the
 * control plane's version).
 *
 * CL-01 judges from data, in this order: the region's list of versions
 * (listKubernetesVersions) decides everything; the upgrade profile alone
 * proves a lag of more than one minor (upgrades never skip one, so an offer
 * two minors ahead means the cluster fell out of support) and shows a
 * cluster with no newer minor on offer to be current. Otherwise the lag is
 * not known: the rule is unknown, unless `parameters.minimumKubernetesVersion`
 * gives a floor of your own. There is no built-in minimum: a constant goes
 * stale with every AKS release.
 */
import { PASS, fail, unknown } from '../../engine/outcomes';
import { ManagedClusterView, KubernetesVersionModel } from '../../engine/types';
import { ArmClusterRule, NodePoolRule } from '../../engine/rule';
import {
  AZ_CLUSTER,
  AZ_NODEPOOL,
  clusterVersionPath,
  minorKeyOf,
  minorText,
  patchOf,
} from './helpers';
import { azCommand, azPoolCommand, fillIn } from '../shared/fixes';
import { nextKubernetesVersion } from './next-version';

/** The minors of the list, for messages (failure path only). */
function minorsOf(versions: readonly KubernetesVersionModel[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < versions.length; i++) {
    const key = minorKeyOf(versions[i]?.version);
    if (!Number.isNaN(key)) out.push(minorText(key));
  }
  return out;
}

function checkAgainstVersionList(
  c: ManagedClusterView,
  versions: readonly KubernetesVersionModel[],
  path: string,
  value: string,
  current: number,
) {
  let entry: KubernetesVersionModel | undefined;
  let newestGa = NaN;
  for (let i = 0; i < versions.length; i++) {
    const v = versions[i];
    const key = minorKeyOf(v?.version);
    if (Number.isNaN(key)) continue;
    if (key === current) entry = v;
    if (v.isPreview !== true && !(key <= newestGa)) newestGa = key;
  }
  if (!entry) {
    const supported = minorsOf(versions);
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
  const mc = c.managedCluster;
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
  if (newestGa - current > 1) {
    return fail(
      `Kubernetes ${value} is ${
        newestGa - current
      } minors behind the newest GA minor ${minorText(
        newestGa,
      )} (source: listKubernetesVersions); stay within one minor`,
      [
        { path, value, expected: `${minorText(newestGa - 1)} or newer` },
        { path: 'listKubernetesVersions[].version', value: minorsOf(versions) },
      ],
    );
  }
  return PASS;
}

/**
 * Against the configured floor when there is one; unknown otherwise (`why`
 * says what data was missing).
 */
function checkAgainstMinimum(
  minimum: string | undefined,
  path: string,
  value: string,
  current: number,
  why: string,
) {
  if (minimum === undefined) {
    return unknown(
      `Whether Kubernetes ${value} is supported and current cannot be told: ${why}. Read the region's versions (az aks get-versions / listKubernetesVersions), or set parameters.minimumKubernetesVersion.`,
      [{ path, value }],
    );
  }
  const min = minorKeyOf(minimum);
  if (current < min) {
    return fail(
      `Kubernetes ${value} is older than the configured minimum ${minimum} (source: parameter minimumKubernetesVersion; ${why})`,
      [{ path, value, expected: `${minimum} or newer` }],
    );
  }
  return PASS;
}

export const kubernetesVersionSupported: ArmClusterRule = {
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
  // One minor at a time, to the version the data offers; the node pools
  // follow (node-pool-version-matches-control-plane).
  fix(c) {
    const next = nextKubernetesVersion(c);
    return azCommand(
      c.managedCluster,
      n => [
        `az aks upgrade ${n} --kubernetes-version ${
          next?.version ??
          fillIn('the next minor listed by az aks get-upgrades')
        } --control-plane-only`,
      ],
      next
        ? `Upgrade the control plane of ${c.name} to ${next.version} (the next minor, from the ${next.source}), then the node pools; repeat until within one minor of the newest`
        : `Upgrade the control plane of ${c.name} by one minor, then the node pools`,
      next
        ? undefined
        : `Neither the available versions nor the upgrade profile was read: fill in the next minor from az aks get-upgrades`,
    );
  },
  check(c, ctx) {
    const mc = c.managedCluster;
    const path = clusterVersionPath(mc);
    if (!path)
      return unknown('The cluster reports no Kubernetes version', [
        { path: 'currentKubernetesVersion', value: undefined },
      ]);
    const value = mc[path]!;
    const current = minorKeyOf(value);
    if (Number.isNaN(current))
      return unknown(`Unrecognised Kubernetes version "${value}"`, [
        { path, value },
      ]);

    const versions = c.kubernetesVersions;
    if (versions && versions.length > 0) {
      return checkAgainstVersionList(c, versions, path, value, current);
    }

    const upgrades = c.upgradeProfile?.controlPlaneProfile?.upgrades;
    if (Array.isArray(upgrades)) {
      // Upgrades never skip a minor, so the profile only proves a lag of more
      // than one when even the next step is two minors ahead (clusters out of
      // support), and a current cluster when no newer minor is offered.
      let newest = NaN;
      for (let i = 0; i < upgrades.length; i++) {
        if (upgrades[i]?.isPreview === true) continue;
        const key = minorKeyOf(upgrades[i]?.kubernetesVersion);
        if (!(key <= newest)) newest = key;
      }
      if (!(newest > current)) return PASS;
      if (newest - current > 1) {
        return fail(
          `Kubernetes ${value} is ${newest - current} minors behind ${minorText(
            newest,
          )}, offered as an upgrade (source: upgrade profile)`,
          [
            { path, value },
            {
              path: 'upgradeProfile.controlPlaneProfile.upgrades[].kubernetesVersion',
              value: minorText(newest),
            },
          ],
        );
      }
      return checkAgainstMinimum(
        ctx.params.minimumKubernetesVersion,
        path,
        value,
        current,
        `the upgrade profile offers ${minorText(
          newest,
        )}, but newer minors may exist beyond it and no list of available versions was read`,
      );
    }

    return checkAgainstMinimum(
      ctx.params.minimumKubernetesVersion,
      path,
      value,
      current,
      'neither the list of available versions nor the upgrade profile was read',
    );
  },
};

export const nodePoolVersionMatchesControlPlane: NodePoolRule = {
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
  fix(np) {
    const mc = np.cluster.managedCluster;
    const path = clusterVersionPath(mc);
    const version = path ? mc[path] : undefined;
    if (!version) return undefined;
    return azPoolCommand(
      mc,
      np.pool.name,
      n => `az aks nodepool upgrade ${n} --kubernetes-version ${version}`,
      `Upgrade node pool ${np.pool.name} to the control plane's ${version}`,
    );
  },
  check(np) {
    const mc = np.cluster.managedCluster;
    const cpPath = clusterVersionPath(mc);
    const cpValue = cpPath ? mc[cpPath] : undefined;
    const pool = np.pool;
    const poolPath =
      typeof pool.currentOrchestratorVersion === 'string' &&
      pool.currentOrchestratorVersion
        ? 'currentOrchestratorVersion'
        : 'orchestratorVersion';
    const poolValue = pool[poolPath];
    const cpMinor = minorKeyOf(cpValue);
    const poolMinor = minorKeyOf(poolValue);
    if (Number.isNaN(cpMinor) || Number.isNaN(poolMinor)) {
      return unknown('The control plane or node pool version is not reported', [
        { path: `${np.path}.${poolPath}`, value: poolValue },
        { path: cpPath ?? 'currentKubernetesVersion', value: cpValue },
      ]);
    }
    const minorDiffers = cpMinor !== poolMinor;
    const cpPatch = patchOf(cpValue);
    const poolPatch = patchOf(poolValue);
    // NaN (a bare minor such as `1.33`) never differs.
    const patchDiffers =
      !minorDiffers &&
      !Number.isNaN(cpPatch) &&
      !Number.isNaN(poolPatch) &&
      cpPatch !== poolPatch;
    if (!minorDiffers && !patchDiffers) return PASS;
    return fail(
      `Node pool ${
        pool.name
      } runs Kubernetes ${poolValue}, the control plane ${cpValue} (${
        minorDiffers ? 'different minor' : 'different patch'
      })`,
      [{ path: `${np.path}.${poolPath}`, value: poolValue, expected: cpValue }],
    );
  },
};
