/*
 * The Kubernetes kinds the rules read: what the live reader lists, what the
 * snapshot readers keep (anything else is ignored and counted). Secrets are
 * deliberately absent: the engine never reads secret contents. Rules may
 * declare custom resources besides these (CustomKind); a KindTable holds
 * both for the readers and the index.
 */
import type { CustomKind } from './rule';
import type { KubeObject, WorkloadKind } from './types';

/** @public */
export interface KindInfo {
  kind: string;
  /** API group; `''` for the core group. */
  group: string;
  /** Preferred version to list. */
  version: string;
  /** `group/version`, or `version` for the core group. */
  apiVersion: string;
  /** Resource name in URLs: `deployments`. */
  plural: string;
  namespaced: boolean;
  /** Backed by a CustomResourceDefinition that may not be installed. */
  crd: boolean;
  /**
   * Rules look objects of this namespaced kind up across namespaces (Velero
   * `Schedule`s live in Velero's namespace and name the namespaces they back
   * up), not in the namespace of the subject they judge.
   */
  crossNamespace: boolean;
}

function kind(
  name: string,
  group: string,
  version: string,
  plural: string,
  namespaced: boolean,
  crd = false,
  crossNamespace = false,
): KindInfo {
  return Object.freeze({
    kind: name,
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    plural,
    namespaced,
    crd,
    crossNamespace,
  });
}

/** @public */
export const KNOWN_KINDS: readonly KindInfo[] = Object.freeze([
  kind('Namespace', '', 'v1', 'namespaces', false),
  kind('Pod', '', 'v1', 'pods', true),
  kind('Service', '', 'v1', 'services', true),
  kind('ServiceAccount', '', 'v1', 'serviceaccounts', true),
  kind('ResourceQuota', '', 'v1', 'resourcequotas', true),
  kind('LimitRange', '', 'v1', 'limitranges', true),
  kind('Node', '', 'v1', 'nodes', false),
  kind('PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims', true),
  kind('ReplicationController', '', 'v1', 'replicationcontrollers', true),
  kind('Deployment', 'apps', 'v1', 'deployments', true),
  kind('StatefulSet', 'apps', 'v1', 'statefulsets', true),
  kind('DaemonSet', 'apps', 'v1', 'daemonsets', true),
  kind('ReplicaSet', 'apps', 'v1', 'replicasets', true),
  kind('Job', 'batch', 'v1', 'jobs', true),
  kind('CronJob', 'batch', 'v1', 'cronjobs', true),
  kind('Ingress', 'networking.k8s.io', 'v1', 'ingresses', true),
  kind('IngressClass', 'networking.k8s.io', 'v1', 'ingressclasses', false),
  kind('NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies', true),
  kind('PodDisruptionBudget', 'policy', 'v1', 'poddisruptionbudgets', true),
  kind(
    'HorizontalPodAutoscaler',
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    true,
  ),
  kind(
    'VerticalPodAutoscaler',
    'autoscaling.k8s.io',
    'v1',
    'verticalpodautoscalers',
    true,
    true,
  ),
  kind('Role', 'rbac.authorization.k8s.io', 'v1', 'roles', true),
  kind('ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', false),
  kind('RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'rolebindings', true),
  kind(
    'ClusterRoleBinding',
    'rbac.authorization.k8s.io',
    'v1',
    'clusterrolebindings',
    false,
  ),
  kind(
    'SecretProviderClass',
    'secrets-store.csi.x-k8s.io',
    'v1',
    'secretproviderclasses',
    true,
    true,
  ),
  kind('Schedule', 'velero.io', 'v1', 'schedules', true, true, true),
  kind(
    'VulnerabilityReport',
    'aquasecurity.github.io',
    'v1alpha1',
    'vulnerabilityreports',
    true,
    true,
  ),
  kind('Certificate', 'cert-manager.io', 'v1', 'certificates', true, true),
  kind('Gateway', 'gateway.networking.k8s.io', 'v1', 'gateways', true, true),
  kind(
    'GatewayClass',
    'gateway.networking.k8s.io',
    'v1',
    'gatewayclasses',
    false,
    true,
  ),
  kind(
    'CustomResourceDefinition',
    'apiextensions.k8s.io',
    'v1',
    'customresourcedefinitions',
    false,
  ),
]);

const BY_KIND: ReadonlyMap<string, KindInfo> = new Map(
  KNOWN_KINDS.map(info => [info.kind, info]),
);

/**
 * Every pod-producing kind: the subjects of workload rules.
 *
 * @public
 */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = Object.freeze([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'Pod',
]);

/**
 * A custom resource's description from a rule's declaration, or undefined
 * when group, version or plural is missing. Served by a CRD unless it says
 * `crd: false` or its group is the core group or a legacy one without a dot.
 */
export function customKindInfo(declared: CustomKind): KindInfo | undefined {
  const { group, version, plural } = declared;
  if (typeof group !== 'string' || !version || !plural) return undefined;
  return kind(
    declared.kind,
    group,
    version,
    plural,
    declared.namespaced !== false,
    declared.crd ?? group.includes('.'),
  );
}

/**
 * The kind's description, or undefined for a kind no rule reads.
 *
 * @public
 */
export function kindInfo(kindName: string): KindInfo | undefined {
  return BY_KIND.get(kindName);
}

/** @public */
export function isKnownKind(kindName: string): boolean {
  return BY_KIND.has(kindName);
}

/**
 * Kinds served by a CRD, by the CRD's name (`schedules.velero.io`).
 *
 * @public
 */
export function crdName(info: KindInfo): string {
  return `${info.plural}.${info.group}`;
}

/**
 * Whether a kind lives in a namespace; unknown kinds are assumed namespaced.
 *
 * @public
 */
export function isNamespacedKind(kindName: string): boolean {
  return BY_KIND.get(kindName)?.namespaced ?? true;
}

/**
 * Kinds no snapshot may carry (their contents are secret).
 *
 * @public
 */
export const FORBIDDEN_KINDS: readonly string[] = Object.freeze(['Secret']);

/**
 * The API group of an `apiVersion` (`apps/v1` → `apps`, `v1` → the empty string).
 *
 * @public
 */
export function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Whether an API group belongs to Kubernetes itself: the core group, the
 * legacy groups without a dot (`apps`, `extensions`, `batch`, `policy`,
 * `autoscaling`), `*.k8s.io` and its SIG projects' `*.x-k8s.io` (the
 * Gateway API's first `networking.x-k8s.io`). Other groups are extensions
 * of other tools.
 *
 * @public
 */
export function isKubernetesGroup(group: string): boolean {
  return !group.includes('.') || /\.(x-)?k8s\.io$/.test(group);
}

/** Where objects of namespaced kinds without a namespace go, as in kubectl. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * The kinds one read or evaluation knows: the built-in ones and the custom
 * resources its rules declare (`kindsToRead`). Lookups as the functions of
 * the same names below, which know the built-in kinds only.
 *
 * @public
 */
export class KindTable {
  private readonly custom: ReadonlyMap<string, KindInfo>;

  constructor(custom: readonly KindInfo[] = []) {
    const byKind = new Map<string, KindInfo>();
    for (const info of custom) {
      if (!BY_KIND.has(info.kind)) byKind.set(info.kind, info);
    }
    this.custom = byKind;
  }

  /** The custom kinds, in declaration order. */
  customKinds(): KindInfo[] {
    return [...this.custom.values()];
  }

  info(kindName: string): KindInfo | undefined {
    return BY_KIND.get(kindName) ?? this.custom.get(kindName);
  }

  /** Whether a kind lives in a namespace; unknown kinds are assumed namespaced. */
  isNamespaced(kindName: string): boolean {
    return this.info(kindName)?.namespaced ?? true;
  }

  /** The namespace an object is indexed under: `''` for cluster-scoped kinds. */
  namespaceOf(object: KubeObject): string {
    if (!this.isNamespaced(object.kind)) return '';
    const ns = object.metadata?.namespace;
    return typeof ns === 'string' && ns !== '' ? ns : DEFAULT_NAMESPACE;
  }

  /** As {@link kindForObject}; a custom kind matches its own group only. */
  forObject(
    apiVersion: string | undefined,
    kindName: string,
  ): KindInfo | undefined {
    const custom = this.custom.get(kindName);
    if (!custom) return kindForObject(apiVersion, kindName);
    return !apiVersion || groupOf(apiVersion) === custom.group
      ? custom
      : undefined;
  }
}

/** The table of the built-in kinds alone. */
export const BUILT_IN_KINDS = new KindTable();

/**
 * The known kind an object belongs to. A built-in kind is recognised in any
 * Kubernetes API group (`extensions/v1beta1` Deployment, `apiVersion: v1`
 * Deployment): it is the same object with a removed or invalid apiVersion,
 * evaluated and reported as such (engine/api-versions.ts). A CRD kind, or a
 * built-in kind name in another tool's group, must match the group: an
 * Istio `networking.istio.io` Gateway is not a Gateway API Gateway, a Calico
 * `projectcalico.org` NetworkPolicy not a Kubernetes one. An object without
 * apiVersion matches by kind alone.
 *
 * @public
 */
export function kindForObject(
  apiVersion: string | undefined,
  kindName: string,
): KindInfo | undefined {
  const info = BY_KIND.get(kindName);
  if (!info || !apiVersion) return info;
  const group = groupOf(apiVersion);
  if (group === info.group) return info;
  return !info.crd && isKubernetesGroup(group) ? info : undefined;
}
