/*
 * The catalog Resource describing a scaffolded namespace (type
 * `kubernetes-namespace`), owned by the requesting team and depending on
 * its cluster's Resource.
 */
import { createHash } from 'node:crypto';
import { NamespaceSpec } from './types';

/** @public */
export interface NamespaceEntity {
  apiVersion: 'backstage.io/v1alpha1';
  kind: 'Resource';
  metadata: {
    name: string;
    title: string;
    description: string;
    annotations: Record<string, string>;
    labels: Record<string, string>;
  };
  spec: {
    type: 'kubernetes-namespace';
    owner: string;
    dependsOn: string[];
  };
  [key: string]: unknown;
}

/**
 * `<namespace>.<cluster>`: the same namespace name on two clusters is two
 * resources. Shortened with a hash when it would exceed the 63 characters
 * entity names allow.
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

/** @public */
export function buildNamespaceEntity(spec: NamespaceSpec): NamespaceEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: namespaceEntityName(spec.namespace, spec.cluster),
      title: `${spec.namespace} (${spec.cluster})`,
      description: `Kubernetes namespace ${spec.namespace} on ${spec.cluster}, scaffolded to the AKS baseline (${spec.environment}).`,
      annotations: {
        'aks-baseline.io/cluster': spec.cluster,
        'aks-baseline.io/namespace': spec.namespace,
        'backstage.io/kubernetes-namespace': spec.namespace,
      },
      labels: { 'aks-baseline.io/environment': spec.environment },
    },
    spec: {
      type: 'kubernetes-namespace',
      owner: spec.owner,
      dependsOn: [`resource:default/${spec.cluster}`],
    },
  };
}
