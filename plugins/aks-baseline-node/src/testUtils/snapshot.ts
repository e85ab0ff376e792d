import type {
  ArmReads,
  ClusterSnapshot,
  KindCoverage,
  KindInfo,
  KubeObject,
  KubernetesVersionModel,
  MaintenanceConfigurationModel,
  ManagedClusterModel,
  UpgradeProfileModel,
} from '@aks-baseline/plugin-aks-baseline-node';
import { kindInfo, KindTable } from '../engine/kinds';
import { normalizeManagedCluster } from '../readers/arm';

/** @public */
export interface MakeSnapshotOptions {
  /** Defaults to the managed cluster's name, else `test-cluster`. */
  name?: string;
  /** SDK-shaped cluster (the normalised model), used as given. */
  managedCluster?: ManagedClusterModel;
  /**
   * A cluster in any shape the readers accept (`az aks show -o json`, ARM
   * REST, a wrapped API example or SDK recording): normalised by the real
   * reader. Takes precedence over `managedCluster`.
   */
  azureCluster?: unknown;
  /**
   * Objects, or `kubectl get -o json` Lists (their `items` are flattened),
   * in any mix. Objects of kinds no rule reads are counted as ignored.
   */
  objects?: Array<KubeObject | { kind?: string; items?: unknown[] }>;
  /**
   * Custom resources to keep, as the readers would with the rules' kinds
   * (`kindsToRead(rules)`); objects of other unknown kinds are ignored.
   */
  kinds?: readonly KindInfo[];
  /** Merged over `{ mode: 'cluster', unreadable: {}, absentKinds: [] }`. */
  coverage?: Partial<KindCoverage>;
  maintenanceConfigurations?: MaintenanceConfigurationModel[];
  upgradeProfile?: UpgradeProfileModel;
  kubernetesVersions?: KubernetesVersionModel[];
  /** ARM reads beyond the managed cluster (`AX-` rules). */
  arm?: ArmReads;
}

function isList(value: any): value is { items: unknown[] } {
  return (
    value &&
    typeof value === 'object' &&
    Array.isArray(value.items) &&
    (value.kind === 'List' ||
      (typeof value.kind === 'string' && value.kind.endsWith('List')))
  );
}

/**
 * A snapshot for tests: sensible defaults (full cluster coverage, nothing
 * unreadable or absent) and objects given as objects or Lists.
 *
 * @public
 */
export function makeSnapshot(
  options: MakeSnapshotOptions = {},
): ClusterSnapshot {
  const kinds = new KindTable(options.kinds);
  const objects: KubeObject[] = [];
  const ignoredKinds: Record<string, number> = {};
  const add = (o: any) => {
    if (isList(o)) {
      for (const item of o.items) add(item);
      return;
    }
    if (kinds.info(o.kind)) objects.push(o as KubeObject);
    else ignoredKinds[o.kind] = (ignoredKinds[o.kind] ?? 0) + 1;
  };
  for (const o of options.objects ?? []) add(o);
  const managedCluster =
    options.azureCluster !== undefined
      ? normalizeManagedCluster(options.azureCluster, 'azureCluster')
      : options.managedCluster;
  const customKinds = kinds.customKinds();
  return {
    ...(customKinds.length > 0 ? { customKinds } : {}),
    name: options.name ?? managedCluster?.name ?? 'test-cluster',
    managedCluster,
    maintenanceConfigurations: options.maintenanceConfigurations,
    upgradeProfile: options.upgradeProfile,
    kubernetesVersions: options.kubernetesVersions,
    ...(options.arm ? { arm: options.arm } : {}),
    objects,
    coverage: {
      mode: 'cluster',
      unreadable: {},
      absentKinds: [],
      ...options.coverage,
    },
    ignoredKinds,
  };
}

/**
 * A Kubernetes object for tests. `apiVersion` is the kind's usual one
 * (override through `extra.apiVersion`).
 *
 * @public
 */
export function kubeObject(
  kind: string,
  name: string,
  namespace?: string,
  spec?: unknown,
  extra: Partial<KubeObject> & {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): KubeObject {
  const { labels, annotations, metadata, ...rest } = extra;
  const object: KubeObject = {
    apiVersion: rest.apiVersion ?? defaultApiVersion(kind),
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...metadata,
    },
    ...rest,
  };
  if (spec !== undefined) object.spec = spec;
  return object;
}

function defaultApiVersion(kind: string): string {
  return kindInfo(kind)?.apiVersion ?? 'v1';
}

/**
 * A Deployment with one container, for quick tests.
 *
 * @public
 */
export function deployment(
  name: string,
  namespace: string,
  podSpec: Record<string, unknown> = {
    containers: [{ name, image: `contoso.azurecr.io/${name}:1.0.0` }],
  },
  options: {
    replicas?: number;
    labels?: Record<string, string>;
    podLabels?: Record<string, string>;
  } = {},
): KubeObject {
  const podLabels = options.podLabels ?? { app: name };
  return kubeObject(
    'Deployment',
    name,
    namespace,
    {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: podLabels },
      template: { metadata: { labels: podLabels }, spec: podSpec },
    },
    { labels: options.labels },
  );
}

/**
 * A Namespace with labels.
 *
 * @public
 */
export function namespaceObject(
  name: string,
  labels?: Record<string, string>,
): KubeObject {
  return kubeObject('Namespace', name, undefined, undefined, { labels });
}
