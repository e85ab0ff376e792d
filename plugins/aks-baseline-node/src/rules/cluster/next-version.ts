/*
 * The version a cluster upgrades to next, from what the snapshot read: the
 * region's available versions (listKubernetesVersions), else the cluster's
 * upgrade profile. Upgrades move one minor at a time, so it is the lowest
 * GA minor above the running one, at its newest patch.
 */
import { ManagedClusterView } from '../../engine/types';
import { clusterVersionPath, minorKeyOf, patchOf } from './helpers';

export interface NextVersion {
  version: string;
  source: 'listKubernetesVersions' | 'upgrade profile';
}

/** The newest patch of a list of versions of one minor (the bare minor last). */
function newestPatch(versions: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const v of versions) {
    if (best === undefined) best = v;
    else if (
      !(patchOf(best) >= patchOf(v)) ||
      (Number.isNaN(patchOf(best)) && !Number.isNaN(patchOf(v)))
    ) {
      best = v;
    }
  }
  return best;
}

/** The next version to upgrade the control plane to, or undefined when not read. */
export function nextKubernetesVersion(
  c: ManagedClusterView,
): NextVersion | undefined {
  const path = clusterVersionPath(c.managedCluster);
  const current = minorKeyOf(path ? c.managedCluster[path] : undefined);
  if (Number.isNaN(current)) return undefined;

  const list = c.kubernetesVersions;
  if (list && list.length > 0) {
    let next: (typeof list)[number] | undefined;
    for (const entry of list) {
      const key = minorKeyOf(entry?.version);
      if (entry?.isPreview === true || !(key > current)) continue;
      if (!next || key < minorKeyOf(next.version)) next = entry;
    }
    if (next) {
      const patches = Object.keys(next.patchVersions ?? {});
      return {
        version: newestPatch(patches) ?? next.version,
        source: 'listKubernetesVersions',
      };
    }
  }

  const upgrades = c.upgradeProfile?.controlPlaneProfile?.upgrades;
  if (Array.isArray(upgrades)) {
    let lowest = NaN;
    for (const u of upgrades) {
      const key = minorKeyOf(u?.kubernetesVersion);
      if (u?.isPreview === true || !(key > current)) continue;
      if (!(key >= lowest)) lowest = key;
    }
    if (!Number.isNaN(lowest)) {
      const ofMinor = upgrades
        .filter(
          u =>
            u?.isPreview !== true &&
            minorKeyOf(u?.kubernetesVersion) === lowest,
        )
        .map(u => u.kubernetesVersion as string);
      return { version: newestPatch(ofMinor)!, source: 'upgrade profile' };
    }
  }
  return undefined;
}
