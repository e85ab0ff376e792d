/*
 * The objects of a baseline-compliant namespace, in the order they must be
 * applied (the Namespace first; the RoleBinding last, once everything it
 * grants access to exists).
 */
import { parseEntityRef } from '@backstage/catalog-model';
import { stringify } from 'yaml';
import {
  ENVIRONMENT_LABELS,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  OBJECT_NAMES,
  OWNER_ANNOTATION,
  OWNER_LABEL,
  TEAM_GROUP_ANNOTATION,
} from './defaults';
import { Manifest, NamespaceSpec } from './types';

/**
 * The owner's entity name: a valid label value, unlike the full ref.
 *
 * @public
 */
export function ownerLabelValue(owner: string): string {
  return parseEntityRef(owner).name;
}

function commonLabels(spec: NamespaceSpec): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [OWNER_LABEL]: ownerLabelValue(spec.owner),
  };
}

/** @public */
export function buildNamespaceManifests(spec: NamespaceSpec): Manifest[] {
  const ns = spec.namespace;
  const level = spec.podSecurity;
  const common = commonLabels(spec);
  const environmentLabels: Record<string, string> = {};
  for (const key of ENVIRONMENT_LABELS)
    environmentLabels[key] = spec.environment;

  const namespace: Manifest = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: {
        ...spec.labels,
        ...common,
        ...environmentLabels,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/audit-version': 'latest',
        'pod-security.kubernetes.io/warn': level,
        'pod-security.kubernetes.io/warn-version': 'latest',
      },
      annotations: {
        [OWNER_ANNOTATION]: spec.owner,
        [TEAM_GROUP_ANNOTATION]: spec.team.group,
      },
    },
  };

  const quota: Manifest = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: OBJECT_NAMES.quota, namespace: ns, labels: common },
    spec: { hard: { ...spec.quota } },
  };

  const limits: Record<string, unknown>[] = [
    {
      type: 'Container',
      default: { ...spec.limitRange.default },
      defaultRequest: { ...spec.limitRange.defaultRequest },
      min: { ...spec.limitRange.min },
      max: { ...spec.limitRange.max },
    },
  ];
  if (spec.limitRange.podMax && Object.keys(spec.limitRange.podMax).length) {
    limits.push({ type: 'Pod', max: { ...spec.limitRange.podMax } });
  }
  const limitRange: Manifest = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: OBJECT_NAMES.limitRange, namespace: ns, labels: common },
    spec: { limits },
  };

  const denyIngress: Manifest = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: OBJECT_NAMES.denyIngress, namespace: ns, labels: common },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };

  const serviceAccount: Manifest = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: spec.workloadIdentity.serviceAccountName,
      namespace: ns,
      labels: { ...common, 'azure.workload.identity/use': 'true' },
      annotations: {
        'azure.workload.identity/client-id': spec.workloadIdentity.clientId,
      },
    },
  };

  const roleBinding: Manifest = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: OBJECT_NAMES.roleBinding, namespace: ns, labels: common },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: spec.team.role,
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: spec.team.group,
      },
    ],
  };

  return [
    namespace,
    quota,
    limitRange,
    denyIngress,
    serviceAccount,
    roleBinding,
  ];
}

/**
 * The kinds {@link buildNamespaceManifests} produces: complete for the namespace.
 *
 * @public
 */
export const NAMESPACE_MANIFEST_KINDS = [
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'ServiceAccount',
  'RoleBinding',
];

/**
 * Multi-document YAML, one document per object, in apply order.
 *
 * @public
 */
export function toMultiDocumentYaml(manifests: readonly unknown[]): string {
  return manifests.map(m => stringify(m, { lineWidth: 0 })).join('---\n');
}

/**
 * `Kind/name` for messages and outputs.
 *
 * @public
 */
export function describeManifest(m: Manifest): string {
  return m.metadata.namespace
    ? `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`
    : `${m.kind} ${m.metadata.name}`;
}

/**
 * File names for the render action: `00-namespace.yaml`, ...
 *
 * @public
 */
export function manifestFileName(m: Manifest, index: number): string {
  const kind = m.kind.toLowerCase();
  return `${String(index).padStart(2, '0')}-${kind}-${m.metadata.name}.yaml`;
}
