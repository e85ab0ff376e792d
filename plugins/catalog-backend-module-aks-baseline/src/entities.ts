/*
 * The catalog entities of the fleet, from what the AKS Baseline backend
 * answers: a `kubernetes-cluster` Resource per cluster and a
 * `kubernetes-namespace` Resource per namespace. Pure.
 *
 * A namespace's entity has the name and ref the namespace template gives it
 * (`<namespace>.<cluster>`), so the template's output link opens it. Its
 * objects are found as the Kubernetes plugin finds them: that namespace on
 * that cluster, every object (the selector matches any object without the
 * `aks-baseline.io/exclude` label).
 */
import { createHash } from 'crypto';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { FleetProviderConfig } from './config';

export const AKS_BASELINE_CLUSTER_ANNOTATION = 'aks-baseline.io/cluster';
export const AKS_BASELINE_NAMESPACE_ANNOTATION = 'aks-baseline.io/namespace';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
export const KUBERNETES_CLUSTER_ANNOTATION = 'backstage.io/kubernetes-cluster';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/**
 * Every object of the namespace, but those labelled out.
 *
 * @public
 */
export const NAMESPACE_SELECTOR = '!aks-baseline.io/exclude';

/**
 * A cluster as `GET /clusters` gives it (the fields used).
 *
 * @public
 */
export interface FleetCluster {
  name: string;
  sourceKind?: string;
  profile?: string;
  status?: string;
}

/**
 * A namespace as `GET /namespaces` gives it.
 *
 * @public
 */
export interface FleetNamespace {
  cluster: string;
  name: string;
  labels: Record<string, string>;
}

/** @public */
export interface FleetEntities {
  entities: Entity[];
  /** What was left out, and why (for the log). */
  skipped: string[];
}

const validator = makeValidator();

/**
 * `<namespace>.<cluster>`, shortened with a hash past 63 characters: the
 * name the namespace template's entity has (the scaffolder module's
 * namespaceEntityName), so that both name one entity.
 *
 * @public
 */
export function namespaceEntityName(
  namespace: string,
  cluster: string,
): string {
  const full = `${namespace}.${cluster}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${namespace.slice(0, 63 - 9)}.${hash}`;
}

function ownerFromLabel(value: string | undefined): string | undefined {
  if (!value || !validator.isValidEntityName(value)) return undefined;
  return stringifyEntityRef({
    kind: 'group',
    namespace: 'default',
    name: value,
  });
}

/** @public */
export function fleetEntities(
  clusters: readonly FleetCluster[],
  namespaces: readonly FleetNamespace[],
  config: FleetProviderConfig,
  location: string,
): FleetEntities {
  const entities: Entity[] = [];
  const skipped: string[] = [];
  const managedBy = {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
  const known = new Set<string>();
  for (const cluster of clusters) {
    if (!validator.isValidEntityName(cluster.name)) {
      skipped.push(`cluster ${cluster.name}: not a valid entity name`);
      continue;
    }
    known.add(cluster.name);
    if (!config.clusters) continue;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: cluster.name,
        description: `AKS cluster ${cluster.name}, evaluated against the AKS baseline`,
        annotations: {
          ...managedBy,
          [AKS_BASELINE_CLUSTER_ANNOTATION]: cluster.name,
        },
        ...(cluster.profile
          ? { labels: { 'aks-baseline.io/environment': cluster.profile } }
          : {}),
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: config.clusters.owner,
        ...(config.clusters.system ? { system: config.clusters.system } : {}),
      },
    });
  }
  if (!config.namespaces) return { entities, skipped };
  const { ownerLabel, defaultOwner } = config.namespaces;
  for (const ns of namespaces) {
    // A namespace of a cluster no longer in the fleet is not kept.
    if (!known.has(ns.cluster)) continue;
    const owner = ownerFromLabel(ns.labels[ownerLabel]) ?? defaultOwner;
    if (!owner) {
      skipped.push(
        `namespace ${ns.name} on ${ns.cluster}: no valid ${ownerLabel} label`,
      );
      continue;
    }
    const environment =
      ns.labels['aks-baseline.io/environment'] ?? ns.labels.environment;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: namespaceEntityName(ns.name, ns.cluster),
        title: `${ns.name} (${ns.cluster})`,
        description: `Kubernetes namespace ${ns.name} on ${ns.cluster}`,
        annotations: {
          ...managedBy,
          [AKS_BASELINE_NAMESPACE_ANNOTATION]: ns.name,
          [KUBERNETES_NAMESPACE_ANNOTATION]: ns.name,
          [KUBERNETES_CLUSTER_ANNOTATION]: ns.cluster,
          [KUBERNETES_LABEL_SELECTOR_ANNOTATION]: NAMESPACE_SELECTOR,
        },
        ...(environment && validator.isValidLabelValue(environment)
          ? { labels: { 'aks-baseline.io/environment': environment } }
          : {}),
      },
      spec: {
        type: 'kubernetes-namespace',
        owner,
        dependsOn: [
          stringifyEntityRef(
            parseEntityRef(ns.cluster, {
              defaultKind: 'resource',
              defaultNamespace: 'default',
            }),
          ),
        ],
      },
    });
  }
  return { entities, skipped };
}
