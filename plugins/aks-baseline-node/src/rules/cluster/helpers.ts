/*
 * Small, allocation-free helpers shared by the ARM-sourced rules (cluster,
 * node pools and the ARM parts of networking, identity and operations).
 */
import {
  AddonProfileModel,
  AgentPoolModel,
  ManagedClusterModel,
} from '../../engine/types';

/** `az aks ... $RESOURCE_GROUP $CLUSTER` prefix, spelled as in the seed. */
export const AZ_CLUSTER = '--resource-group $RESOURCE_GROUP --name $CLUSTER';
export const AZ_NODEPOOL =
  '--resource-group $RESOURCE_GROUP --cluster-name $CLUSTER';

/** Case-insensitive string equality; `undefined` equals nothing. */
export function eqi(value: unknown, expected: string): boolean {
  return (
    typeof value === 'string' &&
    value.length === expected.length &&
    value.toLowerCase() === expected
  );
}

/**
 * An add-on profile by its lower-case key. The readers normalise keys to
 * lower case; the fallback scan (only on a miss) keeps a hand-built model
 * with `azureKeyvaultSecretsProvider` working too.
 */
export function addonProfile(
  mc: ManagedClusterModel,
  lowerKey: string,
): { key: string; profile: AddonProfileModel } | undefined {
  const addons = mc.addonProfiles;
  if (!addons) return undefined;
  const direct = addons[lowerKey];
  if (direct) return { key: lowerKey, profile: direct };
  for (const key in addons) {
    if (
      Object.prototype.hasOwnProperty.call(addons, key) &&
      key.toLowerCase() === lowerKey &&
      addons[key]
    ) {
      return { key, profile: addons[key] };
    }
  }
  return undefined;
}

/** Whether the add-on is present and `enabled: true`. */
export function addonEnabled(
  mc: ManagedClusterModel,
  lowerKey: string,
): boolean {
  return addonProfile(mc, lowerKey)?.profile.enabled === true;
}

/** A version as numbers; `undefined` when it is not `major.minor[.patch]`. */
export interface ParsedVersion {
  major: number;
  minor: number;
  /** Absent when the version names a minor only (`1.32`). */
  patch?: number;
}

const VERSION_RE = /^v?(\d+)\.(\d+)(?:\.(\d+))?/;

export function parseVersion(
  version: string | undefined | null,
): ParsedVersion | undefined {
  if (typeof version !== 'string') return undefined;
  const m = VERSION_RE.exec(version.trim());
  if (!m) return undefined;
  return m[3] === undefined
    ? { major: Number(m[1]), minor: Number(m[2]) }
    : { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** A single comparable number for a minor: `1.32` → 1032. */
export function minorKey(v: ParsedVersion): number {
  return v.major * 1000 + v.minor;
}

export function minorText(v: ParsedVersion): string {
  return `${v.major}.${v.minor}`;
}

/**
 * The running control-plane version: `currentKubernetesVersion` (what runs)
 * before `kubernetesVersion` (what was asked for, may be a bare minor).
 */
export function clusterVersion(
  mc: ManagedClusterModel,
): { path: string; value: string } | undefined {
  if (
    typeof mc.currentKubernetesVersion === 'string' &&
    mc.currentKubernetesVersion
  )
    return {
      path: 'currentKubernetesVersion',
      value: mc.currentKubernetesVersion,
    };
  if (typeof mc.kubernetesVersion === 'string' && mc.kubernetesVersion)
    return { path: 'kubernetesVersion', value: mc.kubernetesVersion };
  return undefined;
}

/**
 * Whether a pool is a System pool. Old API versions have no `mode`: the
 * first pool is then the system pool, unless another one is marked System.
 */
export function isSystemPool(
  pool: AgentPoolModel,
  pools: readonly AgentPoolModel[] | undefined,
): boolean {
  if (typeof pool.mode === 'string') return eqi(pool.mode, 'system');
  if (!pools || pools.length === 0) return true;
  for (let i = 0; i < pools.length; i++) {
    if (eqi(pools[i].mode, 'system')) return false;
  }
  return pools[0] === pool;
}

export function isSpotPool(pool: AgentPoolModel): boolean {
  return eqi(pool.scaleSetPriority, 'spot');
}

const GPU_VM_RE = /^standard_n/i;
const BURSTABLE_VM_RE = /^standard_b/i;

/** N-series VMs (NC, ND, NV, ...) carry GPUs. */
export function isGpuPool(pool: AgentPoolModel): boolean {
  return typeof pool.vmSize === 'string' && GPU_VM_RE.test(pool.vmSize);
}

/** B-series VMs are burstable: CPU credits, not for steady production load. */
export function isBurstableVmSize(vmSize: string | undefined): boolean {
  return typeof vmSize === 'string' && BURSTABLE_VM_RE.test(vmSize);
}

export function isWindowsPool(pool: AgentPoolModel): boolean {
  return eqi(pool.osType, 'windows');
}

/**
 * Whether a pool carries a taint `key=value:effect` (AKS prints taints as
 * strings). The key is compared exactly, the value and effect too; `value`
 * `undefined` accepts any value, `effects` lists the accepted effects.
 */
export function hasTaint(
  pool: AgentPoolModel,
  key: string,
  value: string | undefined,
  effects: readonly string[],
): boolean {
  const taints = pool.nodeTaints;
  if (!Array.isArray(taints)) return false;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i];
    if (typeof taint !== 'string') continue;
    const colon = taint.lastIndexOf(':');
    if (colon < 0) continue;
    const effect = taint.slice(colon + 1).trim();
    if (effects.indexOf(effect) < 0) continue;
    const kv = taint.slice(0, colon);
    const eq = kv.indexOf('=');
    const k = (eq < 0 ? kv : kv.slice(0, eq)).trim();
    if (k !== key) continue;
    if (value === undefined) return true;
    if (eq >= 0 && kv.slice(eq + 1).trim() === value) return true;
  }
  return false;
}

/** Distinct non-empty zones of a pool. */
export function zoneCount(pool: AgentPoolModel): number {
  const zones = pool.availabilityZones;
  if (!Array.isArray(zones)) return 0;
  let count = 0;
  for (let i = 0; i < zones.length; i++) {
    const zone = zones[i];
    if (!zone) continue;
    let seen = false;
    for (let j = 0; j < i; j++) if (zones[j] === zone) seen = true;
    if (!seen) count++;
  }
  return count;
}

/**
 * The pool's node floor: `minCount` when the autoscaler runs, else `count`.
 * Returns the path it read for evidence.
 */
export function poolFloor(pool: AgentPoolModel): {
  field: 'minCount' | 'count';
  value: number | undefined;
} {
  return pool.enableAutoScaling === true
    ? { field: 'minCount', value: pool.minCount }
    : { field: 'count', value: pool.count };
}

/** Whether any pool runs the cluster autoscaler. */
export function anyPoolAutoscaled(mc: ManagedClusterModel): boolean {
  const pools = mc.agentPoolProfiles;
  if (!pools) return false;
  for (let i = 0; i < pools.length; i++) {
    if (pools[i].enableAutoScaling === true) return true;
  }
  return false;
}

/** Reads a property that one source spells differently (az vs SDK). */
export function eitherOf<T>(
  obj: Record<string, unknown> | undefined,
  preferred: string,
  alternative: string,
): { key: string; value: T | undefined } {
  if (!obj) return { key: preferred, value: undefined };
  const a = obj[preferred];
  if (a !== undefined && a !== null) return { key: preferred, value: a as T };
  const b = obj[alternative];
  if (b !== undefined && b !== null) return { key: alternative, value: b as T };
  return { key: preferred, value: undefined };
}
