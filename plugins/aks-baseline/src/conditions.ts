import { Entity } from '@backstage/catalog-model';

/** The Kubernetes plugin's annotation: the `backstage.io/kubernetes-id` label value of the entity's objects. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** The Kubernetes plugin's annotation: a label selector for the entity's objects. */
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/**
 * Names the configured cluster a `Resource` of type `kubernetes-cluster` stands for.
 *
 * @public
 */
export const AKS_BASELINE_CLUSTER_ANNOTATION = 'aks-baseline.io/cluster';
/** The `spec.type` of `Resource` entities that are Kubernetes clusters. */
export const KUBERNETES_CLUSTER_RESOURCE_TYPE = 'kubernetes-cluster';

/**
 * The annotations that make an entity scorable, any one of them.
 *
 * @public
 */
export const AKS_BASELINE_ANNOTATIONS = [
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  AKS_BASELINE_CLUSTER_ANNOTATION,
] as const;

function annotation(entity: Entity, name: string): string | undefined {
  const value = entity.metadata.annotations?.[name];
  return value && value.trim() ? value.trim() : undefined;
}

/**
 * True when the entity has a baseline score to show: it carries
 * `backstage.io/kubernetes-id`, `backstage.io/kubernetes-label-selector` or
 * `aks-baseline.io/cluster`. For `EntitySwitch.Case if={...}`.
 *
 * @public
 */
export function isAksBaselineAvailable(entity: Entity): boolean {
  return AKS_BASELINE_ANNOTATIONS.some(name => !!annotation(entity, name));
}

/**
 * True for a `Resource` of `spec.type: kubernetes-cluster`, the entity the
 * cluster card belongs on.
 *
 * @public
 */
export function isAksBaselineCluster(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type ===
      KUBERNETES_CLUSTER_RESOURCE_TYPE
  );
}

/**
 * The configured cluster name a cluster `Resource` stands for: its
 * `aks-baseline.io/cluster` annotation, else the entity's name.
 *
 * @public
 */
export function getAksBaselineClusterName(entity: Entity): string {
  return (
    annotation(entity, AKS_BASELINE_CLUSTER_ANNOTATION) ?? entity.metadata.name
  );
}
