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

const CODE_0 = 48;
const CODE_9 = 57;
const CODE_DOT = 46;
const CODE_EQ = 61;

/** Reads the digits at `i`; returns the end index (== i when none). */
function digitsEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c < CODE_0 || c > CODE_9) break;
    j++;
  }
  return j;
}

/** The integer written in `text[from, to)` (digits only). */
function intAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (text.charCodeAt(i) - CODE_0);
  return n;
}

/**
 * A comparable number for a version's minor: `1.32.9` → 1032; `NaN` when
 * the text is not `[v]major.minor[.patch]`. Allocation-free.
 */
export function minorKeyOf(version: unknown): number {
  if (typeof version !== 'string') return NaN;
  let i = 0;
  while (i < version.length && version.charCodeAt(i) === 32) i++;
  if (version[i] === 'v') i++;
  const majorEnd = digitsEnd(version, i);
  if (majorEnd === i || version.charCodeAt(majorEnd) !== CODE_DOT) return NaN;
  const minorEnd = digitsEnd(version, majorEnd + 1);
  if (minorEnd === majorEnd + 1) return NaN;
  return (
    intAt(version, i, majorEnd) * 1000 + intAt(version, majorEnd + 1, minorEnd)
  );
}

/** The patch number of `major.minor.patch`; `NaN` when there is none. */
export function patchOf(version: unknown): number {
  if (typeof version !== 'string' || Number.isNaN(minorKeyOf(version)))
    return NaN;
  const first = version.indexOf('.');
  const second = version.indexOf('.', first + 1);
  if (second < 0) return NaN;
  const end = digitsEnd(version, second + 1);
  return end === second + 1 ? NaN : intAt(version, second + 1, end);
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

/**
 * Whether a pool carries a taint `key=value:effect` (AKS prints taints as
 * strings). Key, value and effect are compared exactly; `value` `undefined`
 * accepts any value, `effects` lists the accepted effects. Allocation-free.
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
    if (typeof taint !== 'string' || !taint.startsWith(key)) continue;
    const colon = taint.lastIndexOf(':');
    if (colon < key.length) continue;
    let effectOk = false;
    for (let e = 0; e < effects.length; e++) {
      const effect = effects[e];
      if (
        taint.length - colon - 1 === effect.length &&
        taint.startsWith(effect, colon + 1)
      )
        effectOk = true;
    }
    if (!effectOk) continue;
    const after = taint.charCodeAt(key.length);
    if (value === undefined) {
      // `key:Effect` or `key=anything:Effect`
      if (key.length === colon || after === CODE_EQ) return true;
      continue;
    }
    if (
      after === CODE_EQ &&
      key.length + 1 + value.length === colon &&
      taint.startsWith(value, key.length + 1)
    )
      return true;
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
 * non-null of `preferred`, `alternative`. Allocation-free.
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
