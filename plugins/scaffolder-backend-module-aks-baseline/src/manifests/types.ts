/*
 * What a namespace request resolves to: every value decided (presets
 * expanded, defaults applied, names validated), so that building the
 * manifests is a pure function of it.
 */

/** @public */
export const QUOTA_KEYS = [
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
  'persistentvolumeclaims',
  'services.loadbalancers',
] as const;

/** @public */
export type QuotaKey = (typeof QUOTA_KEYS)[number];

/**
 * `spec.hard` of the ResourceQuota.
 *
 * @public
 */
export type Quota = Record<QuotaKey, string>;

/** @public */
export const QUOTA_PRESETS = ['small', 'medium', 'large'] as const;
/** @public */
export type QuotaPreset = (typeof QUOTA_PRESETS)[number];

/**
 * `cpu`, `memory` (and `ephemeral-storage`) quantities.
 *
 * @public
 */
export type ResourceMap = Record<string, string>;

/** @public */
export interface LimitRangeValues {
  default: ResourceMap;
  defaultRequest: ResourceMap;
  min: ResourceMap;
  max: ResourceMap;
  /** Per-pod maximum (sum of its containers). */
  podMax?: ResourceMap;
}

/** @public */
export const ENVIRONMENTS = ['production', 'non-production'] as const;
/** @public */
export type Environment = (typeof ENVIRONMENTS)[number];

/** @public */
export const POD_SECURITY_LEVELS = ['restricted', 'baseline'] as const;
/** @public */
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** @public */
export interface NamespaceSpec {
  /** The cluster's configured name (for outputs and the catalog entity only). */
  cluster: string;
  namespace: string;
  /** Full entity ref, e.g. `group:default/team-payments`. */
  owner: string;
  environment: Environment;
  podSecurity: PodSecurityLevel;
  quota: Quota;
  limitRange: LimitRangeValues;
  workloadIdentity: { clientId: string; serviceAccountName: string };
  team: { group: string; role: string };
  /** Extra labels on the Namespace. */
  labels: Record<string, string>;
}

/**
 * A Kubernetes object as sent to the API server (no status).
 *
 * @public
 */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
}
