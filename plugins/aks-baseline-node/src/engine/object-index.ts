/*
 * The ObjectIndex: built once per evaluation from the snapshot's objects, so
 * that cross-object rules (services selecting a workload, PDBs, policies,
 * autoscalers) cost a lookup plus a short loop over one namespace's objects.
 */
import { Profile } from '@aks-baseline/plugin-aks-baseline-common';
import {
  BUILT_IN_KINDS,
  crdName,
  DEFAULT_NAMESPACE,
  KindTable,
  WORKLOAD_KINDS,
} from './kinds';
import { matchesMapSelector, matchesSelector } from './labels';
import { namespaceProfile } from './profile';
import { keepShapesAlive } from './shape-anchors';
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

/** Workload kinds, to their constant strings (cheaper to hash and compare than each object's copy). */
const WORKLOAD_KIND_OF: ReadonlyMap<string, WorkloadKind> = new Map(
  WORKLOAD_KINDS.map(kind => [kind, kind]),
);

/**
 * The namespace an object of a built-in kind is indexed under: `''` for
 * cluster-scoped kinds (`ObjectIndex.namespaceOf` knows custom kinds too).
 *
 * @public
 */
export function namespaceOf(object: KubeObject): string {
  return BUILT_IN_KINDS.namespaceOf(object);
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
 *
 * @public
 */
export function toWorkloadView(
  object: KubeObject,
  profile: Profile,
  namespace?: string,
): WorkloadView | undefined {
  const kind = WORKLOAD_KIND_OF.get(object.kind);
  if (!kind) return undefined;
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
    kind === 'ReplicaSet' ||
    kind === 'ReplicationController'
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
    kind,
    name: object.metadata.name,
    namespace: namespace ?? namespaceOf(object),
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

const NO_ORDINALS: readonly number[] = Object.freeze([]);

type SelectingKind = 'Service' | 'PodDisruptionBudget' | 'NetworkPolicy';

function serviceSelector(service: KubeObject): any {
  return service.spec?.selector;
}

function pdbSelector(pdb: KubeObject): any {
  return pdb.spec?.selector;
}

function policySelector(policy: KubeObject): any {
  // `podSelector` is required by the API; a missing one reads as `{}`.
  return policy.spec?.podSelector ?? {};
}

const SELECTOR_OF: Record<SelectingKind, (object: KubeObject) => any> = {
  Service: serviceSelector,
  PodDisruptionBudget: pdbSelector,
  NetworkPolicy: policySelector,
};

/** A namespace's objects by kind, with the namespace's name (one string per namespace). */
class KindLists extends Map<string, KubeObject[]> {
  constructor(readonly name: string) {
    super();
  }
}

class Index implements ObjectIndex {
  private readonly objects: KubeObject[];
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly byNamespace = new Map<string, KindLists>();
  /** kind → namespace → name → object, built per kind on the first `get`. */
  private readonly byName = new Map<
    string,
    Map<string, Map<string, KubeObject>>
  >();
  private readonly namespaceList: NamespaceView[];
  private readonly namespaceByName = new Map<string, NamespaceView>();
  private readonly workloadList: WorkloadView[] = [];
  /** Scale target kind → namespace → name → HPAs and VPAs naming it. */
  private readonly autoscalersByTarget = new Map<
    string,
    Map<string, Map<string, KubeObject[]>>
  >();
  private readonly serviceCache = new Map<
    WorkloadView,
    readonly KubeObject[]
  >();
  private readonly pdbCache = new Map<WorkloadView, readonly KubeObject[]>();
  private readonly policyCache = new Map<WorkloadView, readonly KubeObject[]>();
  private readonly scalerCache = new Map<WorkloadView, readonly KubeObject[]>();
  /**
   * The workloads of `workloadList` by their position in it: their
   * selections are precomputed into arrays by position.
   */
  private readonly ordinalOf = new Map<WorkloadView, number>();
  /** The last workload asked about (rules ask several times in a row). */
  private lastWorkload?: WorkloadView;
  private lastOrdinal: number | undefined;
  /** Per kind, by workload position: the objects of the kind selecting it. */
  private readonly selections = new Map<string, (KubeObject[] | undefined)[]>();
  /** By workload position, filled as asked. */
  private readonly scalersByOrdinal: (readonly KubeObject[] | undefined)[] = [];
  /** namespace → positions of its workloads. */
  private workloadsByNamespace?: Map<string, number[]>;
  /** namespace → label key → label value → positions of workloads carrying it. */
  private readonly byLabel = new Map<
    string,
    Map<string, Map<unknown, number[]>>
  >();

  constructor(
    private readonly snapshot: ClusterSnapshot,
    cluster: ClusterView,
    params: RuleParameters,
    private readonly kindTable: KindTable,
  ) {
    this.objects = snapshot.objects;
    // One pass over the objects (they are large and cold in memory); the
    // workload views too, their profiles once the namespaces are known.
    const pending: WorkloadView[] = [];
    for (let i = 0; i < this.objects.length; i++) {
      const object = this.objects[i];
      const kind = object.kind;
      const ns = this.kindTable.namespaceOf(object);
      push(this.byKind, kind, object);
      let kinds = this.byNamespace.get(ns);
      if (!kinds) this.byNamespace.set(ns, (kinds = new KindLists(ns)));
      push(kinds, kind, object);
      if (WORKLOAD_KIND_OF.has(kind)) {
        // The namespace string the index keys by: one copy per namespace.
        const view = toWorkloadView(object, cluster.profile, kinds.name);
        if (view) pending.push(view);
      }
    }

    // Namespaces: declared ones plus any seen on an object.
    const names = new Set<string>();
    for (const ns of this.byKind.get('Namespace') ?? NONE) {
      names.add(ns.metadata.name);
    }
    for (const ns of this.byNamespace.keys()) if (ns !== '') names.add(ns);
    this.namespaceList = [...names].sort().map(name => {
      const object = this.get('Namespace', undefined, name);
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

    for (const view of pending) {
      const ns = this.namespaceByName.get(view.namespace);
      if (ns) view.profile = ns.profile;
      this.ordinalOf.set(view, this.workloadList.length);
      this.workloadList.push(view);
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
        let byNs = this.autoscalersByTarget.get(target.kind);
        if (!byNs)
          this.autoscalersByTarget.set(target.kind, (byNs = new Map()));
        const ns = this.kindTable.namespaceOf(scaler);
        let byName = byNs.get(ns);
        if (!byName) byNs.set(ns, (byName = new Map()));
        push(byName, target.name, scaler);
      }
    }
  }

  all(): readonly KubeObject[] {
    return this.objects;
  }

  namespaceOf(object: KubeObject): string {
    return this.kindTable.namespaceOf(object);
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
    const ns = this.kindTable.isNamespaced(kind)
      ? namespace || DEFAULT_NAMESPACE
      : '';
    let byNs = this.byName.get(kind);
    if (!byNs) {
      // Later objects win, as in a List with duplicates.
      byNs = new Map();
      for (const object of this.byKind.get(kind) ?? NONE) {
        const objectNs = this.kindTable.namespaceOf(object);
        let names = byNs.get(objectNs);
        if (!names) byNs.set(objectNs, (names = new Map()));
        names.set(String(object.metadata.name), object);
      }
      this.byName.set(kind, byNs);
    }
    return byNs.get(ns)?.get(String(name));
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
    const ordinal = this.ordinal(workload);
    if (ordinal !== undefined) {
      return this.selectionsOf('Service')[ordinal] ?? NONE;
    }
    let found = this.serviceCache.get(workload);
    if (!found) {
      found = this.select(workload, 'Service', s =>
        matchesMapSelector(serviceSelector(s), workload.podMeta.labels),
      );
      this.serviceCache.set(workload, found);
    }
    return found;
  }

  pdbsCovering(workload: WorkloadView): readonly KubeObject[] {
    const ordinal = this.ordinal(workload);
    if (ordinal !== undefined) {
      return this.selectionsOf('PodDisruptionBudget')[ordinal] ?? NONE;
    }
    let found = this.pdbCache.get(workload);
    if (!found) {
      found = this.select(workload, 'PodDisruptionBudget', p =>
        matchesSelector(pdbSelector(p), workload.podMeta.labels),
      );
      this.pdbCache.set(workload, found);
    }
    return found;
  }

  autoscalersTargeting(workload: WorkloadView): readonly KubeObject[] {
    // Two rules ask for each workload: the second gets it by position
    // instead of comparing its name strings again.
    const ordinal = this.ordinal(workload);
    let found =
      ordinal !== undefined
        ? this.scalersByOrdinal[ordinal]
        : this.scalerCache.get(workload);
    if (!found) {
      found =
        this.autoscalersByTarget
          .get(workload.kind)
          ?.get(workload.namespace)
          ?.get(workload.name) ?? NONE;
      if (ordinal !== undefined) this.scalersByOrdinal[ordinal] = found;
      else this.scalerCache.set(workload, found);
    }
    return found;
  }

  networkPoliciesSelecting(workload: WorkloadView): readonly KubeObject[] {
    const ordinal = this.ordinal(workload);
    if (ordinal !== undefined) {
      return this.selectionsOf('NetworkPolicy')[ordinal] ?? NONE;
    }
    let found = this.policyCache.get(workload);
    if (!found) {
      found = this.select(workload, 'NetworkPolicy', p =>
        matchesSelector(policySelector(p), workload.podMeta.labels),
      );
      this.policyCache.set(workload, found);
    }
    return found;
  }

  /**
   * What the absence of an object means. This is the one place it is
   * decided; rules and the evaluator follow it.
   *
   * - Cluster mode (a live read or a full dump): every kind was listed
   *   cluster-wide, so an object that is not there does not exist (`read`),
   *   unless its list failed (`unreadable`: rules unknown) or its CRD is not
   *   installed (`absent`: rules not-applicable).
   * - Manifest mode (files given to the CLI or the scaffolder): the manifests
   *   are a part of what the cluster will hold. A kind is `read` for a
   *   namespace when the manifests hold at least one object of it in that
   *   namespace (they are then taken to define that namespace's objects of
   *   the kind), or when the caller declared it complete (`providedKinds`);
   *   otherwise it is `not-provided` there and its absence is no evidence:
   *   a check that would fail (or not apply) for want of such an object is
   *   `unknown` instead, reported once per rule, kind and namespace. A
   *   namespace's `Namespace` object is provided when the manifests hold
   *   it. Cluster-scoped kinds, kinds looked up across namespaces (Velero
   *   `Schedule`) and a call without namespace count objects anywhere.
   *   Objects of other namespaces never change a namespace's verdict.
   */
  kindStatus(
    kind: string,
    namespace?: string,
  ): 'read' | 'unreadable' | 'absent' | 'not-provided' {
    const coverage = this.snapshot.coverage;
    if (coverage.absentKinds.includes(kind)) return 'absent';
    if (Object.prototype.hasOwnProperty.call(coverage.unreadable, kind)) {
      return 'unreadable';
    }
    if (coverage.mode !== 'manifests') return 'read';
    if ((coverage.providedKinds ?? []).includes(kind)) return 'read';
    return this.providedIn(kind, namespace) ? 'read' : 'not-provided';
  }

  /** Manifest mode: whether the manifests hold objects of `kind` for `namespace`. */
  private providedIn(kind: string, namespace: string | undefined): boolean {
    if (namespace) {
      if (kind === 'Namespace') {
        return this.get('Namespace', undefined, namespace) !== undefined;
      }
      const info = this.kindTable.info(kind);
      if (info?.namespaced !== false && !info?.crossNamespace) {
        return this.byNamespace.get(namespace)?.has(kind) ?? false;
      }
    }
    return this.byKind.has(kind);
  }

  kindReason(kind: string, namespace?: string): string | undefined {
    switch (this.kindStatus(kind, namespace)) {
      case 'unreadable':
        return `${kind} objects could not be read: ${this.snapshot.coverage.unreadable[kind]}`;
      case 'absent': {
        const info = this.kindTable.info(kind);
        return info
          ? `The ${kind} CRD (${crdName(info)}) is not installed in the cluster`
          : `${kind} is not installed in the cluster`;
      }
      case 'not-provided':
        return notProvidedReason(kind, namespace, this.kindTable);
      default:
        return undefined;
    }
  }

  /** The position of an indexed workload, or undefined for another view. */
  private ordinal(workload: WorkloadView): number | undefined {
    if (workload !== this.lastWorkload) {
      this.lastWorkload = workload;
      this.lastOrdinal = this.ordinalOf.get(workload);
    }
    return this.lastOrdinal;
  }

  /**
   * Which indexed workloads each object of `kind` selects, computed once per
   * kind: each object's selector is matched against the workloads of its
   * namespace carrying its first matchLabels pair (all of them when it has
   * none), instead of every workload scanning every object of its namespace.
   * Lists keep the objects' order.
   */
  private selectionsOf(kind: SelectingKind): (KubeObject[] | undefined)[] {
    let out = this.selections.get(kind);
    if (out) return out;
    out = new Array(this.workloadList.length);
    const selectorOf = SELECTOR_OF[kind];
    const plainMap = kind === 'Service';
    const workloadList = this.workloadList;
    // Namespace by namespace: the namespace is known without reading it
    // from each object, and a workload only meets its namespace's objects.
    for (const [ns, kinds] of this.byNamespace) {
      const objects = kinds.get(kind);
      if (!objects) continue;
      const workloads = this.workloadsIn(ns);
      if (workloads.length === 0) continue;
      let labelMaps = this.byLabel.get(ns);
      if (!labelMaps) this.byLabel.set(ns, (labelMaps = new Map()));
      for (let i = 0; i < objects.length; i++) {
        const object = objects[i];
        const selector = selectorOf(object);
        const candidates = this.candidates(
          labelMaps,
          workloads,
          selector,
          plainMap,
        );
        for (let j = 0; j < candidates.length; j++) {
          const ordinal = candidates[j];
          const labels = workloadList[ordinal].podMeta.labels;
          if (
            plainMap
              ? matchesMapSelector(selector, labels)
              : matchesSelector(selector, labels)
          ) {
            const list = out[ordinal];
            if (list) list.push(object);
            else out[ordinal] = [object];
          }
        }
      }
    }
    this.selections.set(kind, out);
    return out;
  }

  private workloadsIn(namespace: string): readonly number[] {
    let byNs = this.workloadsByNamespace;
    if (!byNs) {
      byNs = new Map();
      const list = this.workloadList;
      for (let i = 0; i < list.length; i++) push(byNs, list[i].namespace, i);
      this.workloadsByNamespace = byNs;
    }
    return byNs.get(namespace) ?? NO_ORDINALS;
  }

  /**
   * The workloads a selector can match: those whose labels hold its first
   * string-valued matchLabels pair (every selector term must hold), or all of
   * them when there is no such pair; the matcher decides. A Service selector
   * without any pair selects nothing.
   */
  private candidates(
    labelMaps: Map<string, Map<unknown, number[]>>,
    workloads: readonly number[],
    selector: any,
    plainMap: boolean,
  ): readonly number[] {
    // Neither matcher selects anything with a missing or scalar selector.
    if (!selector || typeof selector !== 'object') return NO_ORDINALS;
    const pairs = plainMap ? selector : selector.matchLabels;
    if (pairs && typeof pairs === 'object') {
      for (const key in pairs) {
        if (!Object.prototype.hasOwnProperty.call(pairs, key)) continue;
        const value = pairs[key];
        if (typeof value !== 'string') return workloads;
        let byValue = labelMaps.get(key);
        if (!byValue) {
          byValue = new Map();
          for (let i = 0; i < workloads.length; i++) {
            const labels = this.workloadList[workloads[i]].podMeta.labels;
            if (Object.prototype.hasOwnProperty.call(labels, key)) {
              push(byValue, labels[key], workloads[i]);
            }
          }
          labelMaps.set(key, byValue);
        }
        return byValue.get(value) ?? NO_ORDINALS;
      }
    }
    return plainMap ? NO_ORDINALS : workloads;
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

/**
 * Why a kind that is not among the manifests (for a namespace) cannot be judged.
 *
 * @public
 */
export function notProvidedReason(
  kind: string,
  namespace?: string,
  kinds: KindTable = BUILT_IN_KINDS,
): string {
  if (kind === 'Namespace' && namespace) {
    return `The Namespace ${namespace} is not among the manifests: its labels and settings are unknown`;
  }
  const info = kinds.info(kind);
  const where =
    namespace && info?.namespaced !== false && !info?.crossNamespace
      ? ` in namespace ${namespace}`
      : '';
  return `No ${kind} objects${where} are among the manifests: the cluster may hold some, so their absence is not evidence`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** An index of no objects: it holds the class's hidden class (below). */
const EMPTY_INDEX = new Index(
  {
    name: '',
    objects: [],
    ignoredKinds: {},
    coverage: { mode: 'cluster', absentKinds: [], unreadable: {} },
  } as unknown as ClusterSnapshot,
  { name: '', profile: 'production' } as ClusterView,
  { systemNamespaces: [] } as unknown as RuleParameters,
  BUILT_IN_KINDS,
);

// An empty index and namespace list hold their hidden classes between
// evaluations (see shape-anchors.ts).
keepShapesAlive(EMPTY_INDEX, new KindLists(''));

/** An index of no objects (for shape anchors elsewhere). */
export function emptyObjectIndex(): ObjectIndex {
  return EMPTY_INDEX;
}

/**
 * Indexes a snapshot's objects. Namespace and workload profiles are resolved
 * here (namespace label over `cluster.profile`). `kinds` knows the custom
 * resources among them (by default those the snapshot was read with).
 *
 * @public
 */
export function buildObjectIndex(
  snapshot: ClusterSnapshot,
  cluster: ClusterView,
  params: RuleParameters,
  kinds: KindTable = new KindTable(snapshot.customKinds),
): ObjectIndex {
  return new Index(snapshot, cluster, params, kinds);
}
