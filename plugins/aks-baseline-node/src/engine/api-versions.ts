/*
 * Which apiVersions the API server serves for each built-in kind the rules
 * read, and which ones Kubernetes removed (and when). The readers keep an
 * object of a built-in kind whatever its apiVersion (kinds.ts), because the
 * fields the rules read have the same shape in the removed versions; the
 * rules `workload-api-version-served` and `object-api-version-served` then
 * report the apiVersion the cluster would refuse. CRD kinds are served in
 * whatever versions their CRD declares: they are not judged here.
 */
import { kindInfo } from './kinds';

/**
 * A removed apiVersion of a kind: when it stopped being served.
 *
 * @public
 */
export interface RemovedApiVersion {
  apiVersion: string;
  /** The Kubernetes minor that stopped serving it, e.g. `1.16`. */
  removedIn: string;
}

/** Versions served today besides the kind's preferred one (kinds.ts). */
const ALSO_SERVED: Readonly<Record<string, readonly string[]>> = {
  HorizontalPodAutoscaler: ['autoscaling/v1'],
};

const RBAC_V1BETA1 = [
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', removedIn: '1.22' },
  { apiVersion: 'rbac.authorization.k8s.io/v1alpha1', removedIn: '1.22' },
];

/** The Kubernetes deprecation guide, for the kinds the rules read. */
const REMOVED: Readonly<Record<string, readonly RemovedApiVersion[]>> = {
  Deployment: [
    { apiVersion: 'extensions/v1beta1', removedIn: '1.16' },
    { apiVersion: 'apps/v1beta1', removedIn: '1.16' },
    { apiVersion: 'apps/v1beta2', removedIn: '1.16' },
  ],
  StatefulSet: [
    { apiVersion: 'apps/v1beta1', removedIn: '1.16' },
    { apiVersion: 'apps/v1beta2', removedIn: '1.16' },
  ],
  DaemonSet: [
    { apiVersion: 'extensions/v1beta1', removedIn: '1.16' },
    { apiVersion: 'apps/v1beta2', removedIn: '1.16' },
  ],
  ReplicaSet: [
    { apiVersion: 'extensions/v1beta1', removedIn: '1.16' },
    { apiVersion: 'apps/v1beta1', removedIn: '1.16' },
    { apiVersion: 'apps/v1beta2', removedIn: '1.16' },
  ],
  NetworkPolicy: [{ apiVersion: 'extensions/v1beta1', removedIn: '1.16' }],
  CronJob: [
    { apiVersion: 'batch/v2alpha1', removedIn: '1.21' },
    { apiVersion: 'batch/v1beta1', removedIn: '1.25' },
  ],
  Ingress: [
    { apiVersion: 'extensions/v1beta1', removedIn: '1.22' },
    { apiVersion: 'networking.k8s.io/v1beta1', removedIn: '1.22' },
  ],
  IngressClass: [
    { apiVersion: 'networking.k8s.io/v1beta1', removedIn: '1.22' },
  ],
  Role: RBAC_V1BETA1,
  ClusterRole: RBAC_V1BETA1,
  RoleBinding: RBAC_V1BETA1,
  ClusterRoleBinding: RBAC_V1BETA1,
  CustomResourceDefinition: [
    { apiVersion: 'apiextensions.k8s.io/v1beta1', removedIn: '1.22' },
  ],
  PodDisruptionBudget: [{ apiVersion: 'policy/v1beta1', removedIn: '1.25' }],
  HorizontalPodAutoscaler: [
    { apiVersion: 'autoscaling/v2beta1', removedIn: '1.25' },
    { apiVersion: 'autoscaling/v2beta2', removedIn: '1.26' },
  ],
};

/**
 * What the API server makes of an object's apiVersion.
 *
 * @public
 */
export type ApiVersionStatus =
  /** Served (or a CRD kind, or no apiVersion given: not judged here). */
  | { served: true }
  /** Once served, removed in `removedIn`; `replacement` is served today. */
  | { served: false; removedIn: string; replacement: string }
  /** Never served for this kind (a typo, `v1` for a Deployment). */
  | { served: false; removedIn: undefined; replacement: string };

const SERVED: ApiVersionStatus = Object.freeze({ served: true as const });

/**
 * The status of `apiVersion` for a known built-in `kind`.
 *
 * @public
 */
export function apiVersionStatus(
  kind: string,
  apiVersion: unknown,
): ApiVersionStatus {
  const info = kindInfo(kind);
  if (!info || info.crd || typeof apiVersion !== 'string') return SERVED;
  if (apiVersion === info.apiVersion) return SERVED;
  if (ALSO_SERVED[kind]?.includes(apiVersion)) return SERVED;
  const removed = REMOVED[kind]?.find(r => r.apiVersion === apiVersion);
  return {
    served: false,
    removedIn: removed?.removedIn,
    replacement: info.apiVersion,
  };
}

/**
 * Whether the API server serves `apiVersion` for `kind` (cheap: no allocation when served).
 *
 * @public
 */
export function isServedApiVersion(kind: string, apiVersion: unknown): boolean {
  return apiVersionStatus(kind, apiVersion).served;
}

/**
 * The removed versions of a kind (for documentation and tests).
 *
 * @public
 */
export function removedApiVersions(kind: string): readonly RemovedApiVersion[] {
  return REMOVED[kind] ?? [];
}
