/*
 * Helpers shared by the ARM-sourced rules (cluster, node pools and the ARM
 * parts of networking, identity and operations).
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
 * The key an add-on is stored under. The readers normalise keys to lower
 * case; the fallback scan (only on a miss) keeps a hand-built model with
 * `azureKeyvaultSecretsProvider` working too. `undefined` when absent.
 */
export function addonKey(
  mc: ManagedClusterModel,
  lowerKey: string,
): string | undefined {
  const addons = mc.addonProfiles;
  if (!addons) return undefined;
  if (addons[lowerKey]) return lowerKey;
  for (const key in addons) {
    if (
      Object.prototype.hasOwnProperty.call(addons, key) &&
      key.toLowerCase() === lowerKey &&
      addons[key]
    ) {
      return key;
    }
  }
  return undefined;
}

/** An add-on profile by its lower-case key (see {@link addonKey}). */
export function addonProfile(
  mc: ManagedClusterModel,
  lowerKey: string,
): AddonProfileModel | undefined {
  const key = addonKey(mc, lowerKey);
  return key === undefined ? undefined : mc.addonProfiles![key];
}

/** Whether the add-on is present and `enabled: true`. */
export function addonEnabled(
  mc: ManagedClusterModel,
  lowerKey: string,
): boolean {
  return addonProfile(mc, lowerKey)?.enabled === true;
}

/** `[v]major.minor`, after leading spaces; the rest is not read. */
const MINOR_RE = /^ *v?(\d+)\.(\d+)/;
/** The digits after the second dot. */
const PATCH_RE = /^[^.]*\.[^.]*\.(\d+)/;

/**
 * A comparable number for a version's minor: `1.32.9` → 1032; `NaN` when
 * the text is not `[v]major.minor[.patch]`.
 */
export function minorKeyOf(version: unknown): number {
  if (typeof version !== 'string') return NaN;
  const match = MINOR_RE.exec(version);
  return match ? Number(match[1]) * 1000 + Number(match[2]) : NaN;
}

/** The patch number of `major.minor.patch`; `NaN` when there is none. */
export function patchOf(version: unknown): number {
  if (typeof version !== 'string' || Number.isNaN(minorKeyOf(version)))
    return NaN;
  const match = PATCH_RE.exec(version);
  return match ? Number(match[1]) : NaN;
}

/** `1032` → `1.32`. */
export function minorText(minorKey: number): string {
  return `${Math.floor(minorKey / 1000)}.${minorKey % 1000}`;
}

/**
 * Where the running control-plane version is: `currentKubernetesVersion`
 * (what runs) before `kubernetesVersion` (what was asked for, may be a bare
 * minor).
 */
export function clusterVersionPath(
  mc: ManagedClusterModel,
): 'currentKubernetesVersion' | 'kubernetesVersion' | undefined {
  if (
    typeof mc.currentKubernetesVersion === 'string' &&
    mc.currentKubernetesVersion
  )
    return 'currentKubernetesVersion';
  if (typeof mc.kubernetesVersion === 'string' && mc.kubernetesVersion)
    return 'kubernetesVersion';
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

/** A taint as AKS prints it: `key=value:Effect` or `key:Effect`. */
function parseTaint(
  taint: string,
): { key: string; value?: string; effect: string } | undefined {
  const colon = taint.lastIndexOf(':');
  if (colon < 0) return undefined;
  const head = taint.slice(0, colon);
  const effect = taint.slice(colon + 1);
  const eq = head.indexOf('=');
  return eq < 0
    ? { key: head, effect }
    : { key: head.slice(0, eq), value: head.slice(eq + 1), effect };
}

/**
 * Whether a pool carries a taint `key=value:effect`. Key, value and effect
 * are compared exactly; `value` `undefined` accepts any value (or none),
 * `effects` lists the accepted effects.
 */
export function hasTaint(
  pool: AgentPoolModel,
  key: string,
  value: string | undefined,
  effects: readonly string[],
): boolean {
  const taints = pool.nodeTaints;
  if (!Array.isArray(taints)) return false;
  return taints.some(taint => {
    const parsed = typeof taint === 'string' ? parseTaint(taint) : undefined;
    return (
      parsed !== undefined &&
      parsed.key === key &&
      effects.includes(parsed.effect) &&
      (value === undefined || parsed.value === value)
    );
  });
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
 * The field holding the pool's node floor: `minCount` when the autoscaler
 * runs, else `count`.
 */
export function floorField(pool: AgentPoolModel): 'minCount' | 'count' {
  return pool.enableAutoScaling === true ? 'minCount' : 'count';
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

/**
 * A property that sources spell differently (az vs SDK vs REST): the first
 * non-null of `preferred`, `alternative`.
 */
export function pick(
  obj: Record<string, unknown> | undefined,
  preferred: string,
  alternative: string,
): unknown {
  if (!obj) return undefined;
  const a = obj[preferred];
  if (a !== undefined && a !== null) return a;
  const b = obj[alternative];
  return b === null ? undefined : b;
}

/** The key {@link pick} read from, for evidence paths. */
export function pickKey(
  obj: Record<string, unknown> | undefined,
  preferred: string,
  alternative: string,
): string {
  if (obj && (obj[preferred] === undefined || obj[preferred] === null)) {
    const b = obj[alternative];
    if (b !== undefined && b !== null) return alternative;
  }
  return preferred;
}
