/*
 * The ObjectIndex: built once per evaluation from the snapshot's objects, so
 * that cross-object rules (services selecting a workload, PDBs, policies,
 * autoscalers) cost a lookup plus a short loop over one namespace's objects.
 */
import { Profile } from '@aks-baseline/plugin-aks-baseline-common';
import { crdName, isNamespacedKind, kindInfo } from './kinds';
import { matchesMapSelector, matchesSelector } from './labels';
import { namespaceProfile } from './profile';
import {
  ClusterSnapshot,
  ClusterView,
  KubeObject,
  NamespaceView,
  ObjectIndex,
  RuleParameters,
  WorkloadKind,
  WorkloadView,
} from './types';

const NONE: readonly KubeObject[] = Object.freeze([]);
const EMPTY_MAP: Readonly<Record<string, string>> = Object.freeze({});

/** Namespace objects of namespaced kinds default to `default`, as kubectl does. */
export const DEFAULT_NAMESPACE = 'default';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = Object.freeze([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
]);

const WORKLOAD_KIND_SET: ReadonlySet<string> = new Set(WORKLOAD_KINDS);

/** The namespace an object is indexed under: `''` for cluster-scoped kinds. */
export function namespaceOf(object: KubeObject): string {
  if (!isNamespacedKind(object.kind)) return '';
  const ns = object.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : DEFAULT_NAMESPACE;
}

function key3(kind: string, namespace: string, name: string): string {
  return `${kind}\u0000${namespace}\u0000${name}`;
}

function asRecord(value: unknown): Record<string, string> {
  return value && typeof value === 'object'
    ? (value as Record<string, string>)
    : (EMPTY_MAP as Record<string, string>);
}

/** Whether an object is owned by a controller of one of `kinds` (any, when omitted). */
function ownedBy(object: KubeObject, kinds?: readonly string[]): boolean {
  const refs = object.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return false;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    if (!ref || typeof ref !== 'object') continue;
    if (kinds) {
      if (kinds.includes(ref.kind)) return true;
    } else if (ref.controller !== false) {
      // A Pod with an owner is managed by it (ReplicaSet, Job, DaemonSet,
      // StatefulSet, Node for mirror pods, or an operator's custom resource).
      return true;
    }
  }
  return false;
}

const DEPLOYMENT_OWNER = ['Deployment'];
const CRONJOB_OWNER = ['CronJob'];

/**
 * The workload view of a pod-producing object, or undefined when it is not
 * a workload of its own (owned by another controller).
 */
export function toWorkloadView(
  object: KubeObject,
  profile: Profile,
): WorkloadView | undefined {
  const kind = object.kind;
  if (!WORKLOAD_KIND_SET.has(kind)) return undefined;
  if (kind === 'ReplicaSet' && ownedBy(object, DEPLOYMENT_OWNER))
    return undefined;
  if (kind === 'Job' && ownedBy(object, CRONJOB_OWNER)) return undefined;
  if (kind === 'Pod' && ownedBy(object)) return undefined;

  const spec =
    object.spec && typeof object.spec === 'object' ? object.spec : {};
  let template: any;
  let podSpecPath: string;
  if (kind === 'Pod') {
    template = { metadata: object.metadata, spec };
    podSpecPath = 'spec';
  } else if (kind === 'CronJob') {
    template = spec.jobTemplate?.spec?.template;
    podSpecPath = 'spec.jobTemplate.spec.template.spec';
  } else {
    template = spec.template;
    podSpecPath = 'spec.template.spec';
  }
  const templateMeta =
    template && typeof template.metadata === 'object' && template.metadata
      ? template.metadata
      : undefined;
  const podSpec =
    template && template.spec && typeof template.spec === 'object'
      ? template.spec
      : {};

  let replicas: number | undefined;
  if (
    kind === 'Deployment' ||
    kind === 'StatefulSet' ||
    kind === 'ReplicaSet'
  ) {
    replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  }
  // Jobs run to completion; so does a bare Pod that is never restarted.
  const longRunning =
    kind !== 'Job' &&
    kind !== 'CronJob' &&
    !(
      kind === 'Pod' &&
      (podSpec.restartPolicy === 'Never' ||
        podSpec.restartPolicy === 'OnFailure')
    );

  return {
    object,
    kind: kind as WorkloadKind,
    name: object.metadata.name,
    namespace: namespaceOf(object),
    podMeta: {
      labels: asRecord(templateMeta?.labels),
      annotations: asRecord(templateMeta?.annotations),
    },
    podSpec,
    podSpecPath,
    replicas,
    longRunning,
    profile,
  };
}

class Index implements ObjectIndex {
  private readonly objects: KubeObject[];
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly byNamespace = new Map<string, Map<string, KubeObject[]>>();
  private readonly byKey = new Map<string, KubeObject>();
  private readonly namespaceList: NamespaceView[];
  private readonly namespaceByName = new Map<string, NamespaceView>();
  private readonly workloadList: WorkloadView[] = [];
  /** `kind/namespace/name` of a scale target → HPAs and VPAs naming it. */
  private readonly autoscalersByTarget = new Map<string, KubeObject[]>();
  private readonly serviceCache = new Map<
    WorkloadView,
    readonly KubeObject[]
  >();
  private readonly pdbCache = new Map<WorkloadView, readonly KubeObject[]>();
  private readonly policyCache = new Map<WorkloadView, readonly KubeObject[]>();

  constructor(
    private readonly snapshot: ClusterSnapshot,
    cluster: ClusterView,
    params: RuleParameters,
  ) {
    this.objects = snapshot.objects;
    for (const object of this.objects) {
      const kind = object.kind;
      const ns = namespaceOf(object);
      push(this.byKind, kind, object);
      let kinds = this.byNamespace.get(ns);
      if (!kinds) this.byNamespace.set(ns, (kinds = new Map()));
      push(kinds, kind, object);
      this.byKey.set(key3(kind, ns, object.metadata.name), object);
    }

    // Namespaces: declared ones plus any seen on an object.
    const names = new Set<string>();
    for (const ns of this.byKind.get('Namespace') ?? NONE) {
      names.add(ns.metadata.name);
    }
    for (const ns of this.byNamespace.keys()) if (ns !== '') names.add(ns);
    this.namespaceList = [...names].sort().map(name => {
      const object = this.byKey.get(key3('Namespace', '', name));
      const labels = asRecord(object?.metadata.labels);
      const view: NamespaceView = {
        name,
        object,
        labels,
        profile: namespaceProfile(labels, cluster.profile, params),
      };
      this.namespaceByName.set(name, view);
      return view;
    });

    for (const object of this.objects) {
      if (!WORKLOAD_KIND_SET.has(object.kind)) continue;
      const ns = this.namespaceByName.get(namespaceOf(object));
      const view = toWorkloadView(object, ns ? ns.profile : cluster.profile);
      if (view) this.workloadList.push(view);
    }

    for (const kind of ['HorizontalPodAutoscaler', 'VerticalPodAutoscaler']) {
      for (const scaler of this.byKind.get(kind) ?? NONE) {
        const spec = scaler.spec;
        const target =
          kind === 'HorizontalPodAutoscaler'
            ? spec?.scaleTargetRef
            : spec?.targetRef;
        if (!target || typeof target.kind !== 'string') continue;
        if (typeof target.name !== 'string') continue;
        push(
          this.autoscalersByTarget,
          key3(target.kind, namespaceOf(scaler), target.name),
          scaler,
        );
      }
    }
  }

  all(): readonly KubeObject[] {
    return this.objects;
  }

  ofKind(kind: string): readonly KubeObject[] {
    return this.byKind.get(kind) ?? NONE;
  }

  inNamespace(namespace: string, kind: string): readonly KubeObject[] {
    return this.byNamespace.get(namespace)?.get(kind) ?? NONE;
  }

  get(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const ns = isNamespacedKind(kind) ? namespace || DEFAULT_NAMESPACE : '';
    return this.byKey.get(key3(kind, ns, name));
  }

  namespaces(): readonly NamespaceView[] {
    return this.namespaceList;
  }

  namespace(name: string): NamespaceView | undefined {
    return this.namespaceByName.get(name);
  }

  workloads(): readonly WorkloadView[] {
    return this.workloadList;
  }

  servicesSelecting(workload: WorkloadView): readonly KubeObject[] {
    let hit = this.serviceCache.get(workload);
    if (!hit) {
      hit = this.select(workload, 'Service', s =>
        matchesMapSelector(s.spec?.selector, workload.podMeta.labels),
      );
      this.serviceCache.set(workload, hit);
    }
    return hit;
  }

  pdbsCovering(workload: WorkloadView): readonly KubeObject[] {
    let hit = this.pdbCache.get(workload);
    if (!hit) {
      hit = this.select(workload, 'PodDisruptionBudget', p =>
        matchesSelector(p.spec?.selector, workload.podMeta.labels),
      );
      this.pdbCache.set(workload, hit);
    }
    return hit;
  }

  autoscalersTargeting(workload: WorkloadView): readonly KubeObject[] {
    return (
      this.autoscalersByTarget.get(
        key3(workload.kind, workload.namespace, workload.name),
      ) ?? NONE
    );
  }

  networkPoliciesSelecting(workload: WorkloadView): readonly KubeObject[] {
    let hit = this.policyCache.get(workload);
    if (!hit) {
      // `podSelector` is required by the API; a missing one reads as `{}`.
      hit = this.select(workload, 'NetworkPolicy', p =>
        matchesSelector(p.spec?.podSelector ?? {}, workload.podMeta.labels),
      );
      this.policyCache.set(workload, hit);
    }
    return hit;
  }

  kindStatus(kind: string): 'read' | 'unreadable' | 'absent' | 'not-provided' {
    const coverage = this.snapshot.coverage;
    if (coverage.absentKinds.includes(kind)) return 'absent';
    if (Object.prototype.hasOwnProperty.call(coverage.unreadable, kind)) {
      return 'unreadable';
    }
    if (
      coverage.mode === 'manifests' &&
      !this.byKind.has(kind) &&
      !(coverage.providedKinds ?? []).includes(kind)
    ) {
      return 'not-provided';
    }
    return 'read';
  }

  kindReason(kind: string): string | undefined {
    switch (this.kindStatus(kind)) {
      case 'unreadable':
        return `${kind} objects could not be read: ${this.snapshot.coverage.unreadable[kind]}`;
      case 'absent': {
        const info = kindInfo(kind);
        return info
          ? `The ${kind} CRD (${crdName(info)}) is not installed in the cluster`
          : `${kind} is not installed in the cluster`;
      }
      case 'not-provided':
        return `No ${kind} objects were provided in the manifests`;
      default:
        return undefined;
    }
  }

  private select(
    workload: WorkloadView,
    kind: string,
    predicate: (object: KubeObject) => boolean,
  ): readonly KubeObject[] {
    const candidates = this.inNamespace(workload.namespace, kind);
    let out: KubeObject[] | undefined;
    for (let i = 0; i < candidates.length; i++) {
      if (predicate(candidates[i])) (out ??= []).push(candidates[i]);
    }
    return out ?? NONE;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Indexes a snapshot's objects. Namespace and workload profiles are resolved
 * here (namespace label over `cluster.profile`).
 */
export function buildObjectIndex(
  snapshot: ClusterSnapshot,
  cluster: ClusterView,
  params: RuleParameters,
): ObjectIndex {
  return new Index(snapshot, cluster, params);
}
