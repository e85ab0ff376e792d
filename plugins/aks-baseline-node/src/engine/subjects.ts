/*
 * What rules are evaluated against: the subjects of each scope, their
 * references and profiles, and the rule-level gates (missing ARM data,
 * manifest scans, unreadable or absent kinds). Shared by `evaluate` and the
 * test helpers so that both see exactly the same subjects.
 */
import {
  Profile,
  ResourceRef,
  RuleScope,
  Tally,
} from '@aks-baseline/plugin-aks-baseline-common';
import { EngineContext } from './context';
import { WORKLOAD_KINDS } from './kinds';
import { clusterProfile } from './profile';
import { emptyObjectIndex } from './object-index';
import { notProvided } from './outcomes';
import { CheckOutcome, RuleDefinition } from './rule';
import {
  partsOf,
  RuleParts,
  SubjectCheck,
  SubjectPredicate,
} from './rule-parts';
import { keepShapesAlive } from './shape-anchors';
import {
  ClusterSnapshot,
  ClusterView,
  KindCoverage,
  KubeObject,
  ManagedClusterView,
  NodePoolView,
  ObjectIndex,
  RuleParameters,
  WorkloadView,
} from './types';

/** One subject of a scope, with what results are keyed and scored by. */
export interface SubjectEntry {
  scope: RuleScope;
  subject: unknown;
  ref: ResourceRef;
  profile: Profile;
  labels?: Record<string, string>;
  /** The Kubernetes object behind the subject (for annotation waivers). */
  object?: KubeObject;
  /** Namespace for waiver scoping; absent for cluster-level subjects. */
  namespace?: string;
  // The evaluator's bookkeeping, declared on every entry from the start (see
  // newEntry): set by `evaluate()`, unset elsewhere.
  /** Tallies by category index, once a rule has reached the subject. */
  slots?: (Tally | undefined)[];
  /** The subject's Namespace object, for namespace-wide waiver annotations. */
  namespaceObject?: KubeObject;
  /** Whether the object or its namespace has a waiver annotation (on the first failure). */
  annotatedWaivers?: boolean;
}

/**
 * Every entry is made here, with every field, so that all entries share one
 * hidden class from birth. Fields added later would each hang a map
 * transition off it; V8 holds transitions weakly, collects them once no
 * entry is alive (between evaluations), and then throws away the optimised
 * code that checked for them (deopt reason "weak objects").
 */
function newEntry(
  scope: RuleScope,
  subject: unknown,
  ref: ResourceRef,
  profile: Profile,
  labels: Record<string, string> | undefined,
  object: KubeObject | undefined,
  namespace: string | undefined,
): SubjectEntry {
  return {
    scope,
    subject,
    ref,
    profile,
    labels,
    object,
    namespace,
    slots: undefined,
    namespaceObject: undefined,
    annotatedWaivers: undefined,
  };
}

/** @public */
export function buildClusterView(
  snapshot: ClusterSnapshot,
  params: RuleParameters,
  forcedProfile?: Profile,
): ClusterView {
  return {
    name: snapshot.name,
    managedCluster: snapshot.managedCluster,
    maintenanceConfigurations: snapshot.maintenanceConfigurations,
    upgradeProfile: snapshot.upgradeProfile,
    kubernetesVersions: snapshot.kubernetesVersions,
    arm: snapshot.arm,
    profile: clusterProfile(snapshot.managedCluster, params, forcedProfile),
  };
}

export function clusterRef(cluster: ClusterView): ResourceRef {
  return { kind: 'ManagedCluster', name: cluster.name };
}

export function objectRef(object: KubeObject, ns: string): ResourceRef {
  const ref: ResourceRef = { kind: object.kind, name: object.metadata.name };
  if (ns) ref.namespace = ns;
  if (object.apiVersion) ref.apiVersion = object.apiVersion;
  return ref;
}

const WORKLOAD_KIND_SET: ReadonlySet<string> = new Set(WORKLOAD_KINDS);

/** {@link objectRef} of a workload's object, from its view (no cold reads). */
function workloadRef(w: WorkloadView): ResourceRef {
  const ref: ResourceRef = { kind: w.kind, name: w.name };
  if (w.namespace) ref.namespace = w.namespace;
  const apiVersion = w.object.apiVersion;
  if (apiVersion) ref.apiVersion = apiVersion;
  return ref;
}

/**
 * The subjects of every scope, computed once per evaluation. System
 * namespaces (params.systemNamespaces) are left out of namespace, workload
 * and object scopes; cluster-scoped objects are kept.
 */
export class Subjects {
  readonly cluster: SubjectEntry[];
  readonly nodePool: SubjectEntry[];
  readonly namespace: SubjectEntry[];
  readonly workload: SubjectEntry[];
  private readonly objectsByKind = new Map<string, SubjectEntry[]>();
  private readonly system: ReadonlySet<string>;
  /**
   * Namespace and workload entries by object, so that object rules on those
   * kinds share them; built only when such a rule asks (keying by object
   * touches every object, and other kinds never share).
   */
  private byObject?: Map<KubeObject, SubjectEntry>;

  constructor(
    readonly clusterView: ClusterView,
    private readonly index: ObjectIndex,
    params: RuleParameters,
    // Unused: namespace subjects do not depend on the mode.
    _mode: KindCoverage['mode'] = 'cluster',
  ) {
    this.system = new Set(params.systemNamespaces);
    this.cluster = [
      newEntry(
        'cluster',
        clusterView,
        clusterRef(clusterView),
        clusterView.profile,
        clusterView.managedCluster?.tags,
        undefined,
        undefined,
      ),
    ];
    const pools = clusterView.managedCluster?.agentPoolProfiles ?? [];
    // Pools come with the managed cluster: their rules see it.
    const managed = clusterView as ManagedClusterView;
    this.nodePool = pools.map((pool, i) => {
      const view: NodePoolView = {
        pool,
        path: `agentPoolProfiles[${i}]`,
        cluster: managed,
      };
      return newEntry(
        'nodePool',
        view,
        { kind: 'AgentPool', name: String(pool.name) },
        clusterView.profile,
        pool.nodeLabels,
        undefined,
        undefined,
      );
    });
    this.namespace = [];
    for (const ns of index.namespaces()) {
      if (this.system.has(ns.name)) continue;
      // On manifests a namespace only referenced by objects is a subject
      // too: its rules read kinds the manifests may not provide for it, and
      // are then unknown there (see kindStatus), never silently skipped.
      this.namespace.push(
        newEntry(
          'namespace',
          ns,
          { kind: 'Namespace', name: ns.name },
          ns.profile,
          ns.labels,
          ns.object,
          ns.name,
        ),
      );
    }
    this.workload = [];
    for (const w of index.workloads()) {
      if (this.system.has(w.namespace)) continue;
      this.workload.push(
        newEntry(
          'workload',
          w,
          workloadRef(w),
          w.profile,
          w.podMeta.labels,
          w.object,
          w.namespace,
        ),
      );
    }
  }

  isSystemNamespace(name: string): boolean {
    return this.system.has(name);
  }

  /** Subjects of an object-scope rule: objects of `kinds` outside system namespaces. */
  objects(kinds: readonly string[] | undefined): SubjectEntry[] {
    if (!kinds || kinds.length === 0) return [];
    if (kinds.length === 1) return this.objectsOfKind(kinds[0]);
    const out: SubjectEntry[] = [];
    for (const kind of kinds) {
      const list = this.objectsOfKind(kind);
      for (let i = 0; i < list.length; i++) out.push(list[i]);
    }
    return out;
  }

  /** The subjects a rule is evaluated against. */
  forRule(parts: RuleParts): SubjectEntry[] {
    switch (parts.rule.scope) {
      case 'cluster':
        return this.cluster;
      case 'nodePool':
        return this.nodePool;
      case 'namespace':
        return this.namespace;
      case 'workload': {
        const kinds = parts.narrowKinds;
        return kinds
          ? this.workload.filter(e =>
              kinds.includes((e.object as KubeObject).kind),
            )
          : this.workload;
      }
      case 'object':
        return this.objects(parts.narrowKinds);
      default:
        return [];
    }
  }

  /** Every distinct subject entry created so far. */
  all(): SubjectEntry[] {
    const seen = new Set<SubjectEntry>();
    const out: SubjectEntry[] = [];
    const add = (e: SubjectEntry) => {
      if (!seen.has(e)) {
        seen.add(e);
        out.push(e);
      }
    };
    this.cluster.forEach(add);
    this.nodePool.forEach(add);
    this.namespace.forEach(add);
    this.workload.forEach(add);
    for (const list of this.objectsByKind.values()) list.forEach(add);
    return out;
  }

  private sharedEntry(object: KubeObject): SubjectEntry | undefined {
    let byObject = this.byObject;
    if (!byObject) {
      byObject = new Map();
      for (const entry of this.namespace) {
        if (entry.object) byObject.set(entry.object, entry);
      }
      for (const entry of this.workload) byObject.set(entry.object!, entry);
      this.byObject = byObject;
    }
    return byObject.get(object);
  }

  private objectsOfKind(kind: string): SubjectEntry[] {
    let list = this.objectsByKind.get(kind);
    if (list) return list;
    list = [];
    const mayShare = kind === 'Namespace' || WORKLOAD_KIND_SET.has(kind);
    for (const object of this.index.ofKind(kind)) {
      const ns = this.index.namespaceOf(object);
      if (ns && this.system.has(ns)) continue;
      // A Namespace object is in no namespace but is one: skip system ones.
      if (kind === 'Namespace' && this.system.has(object.metadata.name)) {
        continue;
      }
      let entry = mayShare ? this.sharedEntry(object) : undefined;
      if (!entry) {
        const nsView = ns ? this.index.namespace(ns) : undefined;
        entry = newEntry(
          'object',
          object,
          objectRef(object, ns),
          nsView ? nsView.profile : this.clusterView.profile,
          object.metadata.labels,
          object,
          ns || undefined,
        );
      }
      list.push(entry);
    }
    this.objectsByKind.set(kind, list);
    return list;
  }
}

// Its hidden class outlives one evaluation (see shape-anchors.ts).
keepShapesAlive(
  new Subjects(
    { name: '', profile: 'production' } as ClusterView,
    emptyObjectIndex(),
    { systemNamespaces: [] } as unknown as RuleParameters,
  ),
);

/**
 * A rule that needs a cluster read, on a snapshot without one: skipped for
 * manifests, but unknown when the snapshot says the cluster's list of a
 * kind it reads or judges failed (a cluster evaluated on ARM alone).
 */
function clusterReadFailed(
  parts: RuleParts,
  index: ObjectIndex,
): RuleGate | undefined {
  const kinds = [...parts.reads, ...parts.subjectKinds];
  const kind = kinds.find(k => index.kindStatus(k) === 'unreadable');
  return kind
    ? { action: 'unknown', message: index.kindReason(kind)!, kind }
    : undefined;
}

/** A verdict for a whole rule, reached before any subject is checked. */
export type RuleGate =
  /** Not evaluated at all, not counted (no ARM data; cluster rule on manifests). */
  | { action: 'skip'; reason: string }
  /** Every subject gets this outcome; one finding for the rule. */
  | { action: 'unknown' | 'not-applicable'; message: string; kind?: string };

/**
 * Rule-level gates, in order: ARM rules need the managed cluster; cluster
 * Kubernetes rules need a full cluster read; a rule limited to some coverage
 * modes (`appliesTo.modes`) is skipped in the others; a read kind whose CRD
 * is absent makes the rule not-applicable; an unreadable one, unknown. A
 * kind not provided by manifests is judged per namespace, by
 * {@link checkParts}.
 */
export function gateRule(
  parts: RuleParts,
  snapshot: ClusterSnapshot,
  index: ObjectIndex,
): RuleGate | undefined {
  const rule = parts.rule;
  if (rule.source === 'arm' && !snapshot.managedCluster) {
    return {
      action: 'skip',
      reason: 'No Azure Resource Manager data in this snapshot',
    };
  }
  if (
    rule.scope === 'cluster' &&
    rule.source === 'kubernetes' &&
    snapshot.coverage.mode === 'manifests'
  ) {
    return (
      clusterReadFailed(parts, index) ?? {
        action: 'skip',
        reason: 'Cluster-wide Kubernetes rules are not evaluated on manifests',
      }
    );
  }
  if (parts.modes && !parts.modes.includes(snapshot.coverage.mode)) {
    const cluster = snapshot.coverage.mode === 'cluster';
    return (
      (cluster ? undefined : clusterReadFailed(parts, index)) ?? {
        action: 'skip',
        reason: cluster
          ? 'Only evaluated on manifests: objects read from a cluster are served as read'
          : 'Only evaluated on cluster reads',
      }
    );
  }
  const reads = parts.gateReads;
  for (const kind of reads) {
    if (index.kindStatus(kind) === 'absent') {
      return {
        action: 'not-applicable',
        message: index.kindReason(kind)!,
        kind,
      };
    }
  }
  for (const kind of reads) {
    if (index.kindStatus(kind) === 'unreadable') {
      return { action: 'unknown', message: index.kindReason(kind)!, kind };
    }
  }
  return undefined;
}

/**
 * The kinds a rule's subjects come from (none for cluster and node-pool rules).
 *
 * @public
 */
export function subjectKindsOf(rule: RuleDefinition): readonly string[] {
  return partsOf(rule).subjectKinds;
}

/**
 * The kinds a rule reads that the engine gates on (see `KindRead`): an
 * unreadable one makes the rule unknown, an absent CRD not applicable.
 *
 * @public
 */
export function gatedReadsOf(rule: RuleDefinition): readonly string[] {
  return partsOf(rule).gateReads;
}

/**
 * Subject kinds of a rule whose list failed, with the reasons: the rule
 * could not be checked on their objects (it is still checked on the objects
 * of the kinds that were read). `except` is a kind a gate already reported.
 */
export function unreadableSubjectKinds(
  parts: RuleParts,
  snapshot: ClusterSnapshot,
  except?: string,
): { kind: string; reason: string }[] {
  const unreadable = snapshot.coverage.unreadable;
  let out: { kind: string; reason: string }[] | undefined;
  for (const kind of parts.subjectKinds) {
    if (kind === except) continue;
    if (Object.prototype.hasOwnProperty.call(unreadable, kind)) {
      (out ??= []).push({ kind, reason: unreadable[kind] });
    }
  }
  return out ?? [];
}

/** The message of the rule-level unknown finding for unreadable subject kinds. */
export function unreadableSubjectsMessage(
  kinds: readonly { kind: string; reason: string }[],
): string {
  const parts = kinds.map(
    k => `${k.kind} objects could not be read: ${k.reason}`,
  );
  return `${parts.join('; ')}. This rule could not be checked on them.`;
}

export const PROFILE_MISMATCH: CheckOutcome = Object.freeze({
  status: 'not-applicable' as const,
  message: 'Does not apply to this profile',
});
export const NOT_APPLICABLE: CheckOutcome = Object.freeze({
  status: 'not-applicable' as const,
  message: 'Does not apply to this subject',
});
const NO_CHECK: CheckOutcome = Object.freeze({
  status: 'unknown' as const,
  message: 'The rule has no check',
});

/**
 * Runs one rule on one subject, explained (message and evidence): profiles,
 * `appliesTo.when`, the check, then the manifest gate on the rule's gated
 * reads (see {@link checkParts}).
 */
export function checkSubject(
  rule: RuleDefinition,
  entry: SubjectEntry,
  ctx: EngineContext,
): CheckOutcome {
  const parts = partsOf(rule);
  return checkParts(
    parts.profiles,
    parts.when,
    parts.explain,
    entry,
    ctx,
    parts.gateReads.length > 0 ? parts.gateReads : undefined,
  );
}

/**
 * {@link checkSubject} with the rule's parts passed in: the evaluator keeps
 * them on one object shape, so that reading them is not a megamorphic load
 * on rule objects that all differ in shape.
 */
export function checkParts(
  profiles: readonly Profile[] | undefined,
  when: SubjectPredicate | undefined,
  check: SubjectCheck | undefined,
  entry: SubjectEntry,
  ctx: EngineContext,
  manifestReads?: readonly string[],
): CheckOutcome {
  ctx.profile = entry.profile;
  if (profiles && !profiles.includes(entry.profile)) {
    return PROFILE_MISMATCH;
  }
  const subject = entry.subject as never;
  if (when && !when(subject, ctx)) return NOT_APPLICABLE;
  if (!check) return NO_CHECK;
  const outcome = check(subject, ctx);
  if (!manifestReads || outcome.status === 'pass' || outcome.notProvided) {
    return outcome;
  }
  return manifestGate(outcome, manifestReads, entry, ctx);
}

/**
 * Manifest scans (kindStatus in object-index.ts): a check that did not pass
 * on a subject whose namespace lacks objects of a kind the rule reads could
 * not tell that the object it looked for is missing, so its verdict is
 * unknown (not provided) rather than a failure or not-applicable. A pass
 * stands: it rests on objects that are there. Only `not-provided` kinds
 * change anything, so in cluster mode this never alters an outcome.
 */
function manifestGate(
  outcome: CheckOutcome,
  reads: readonly string[],
  entry: SubjectEntry,
  ctx: EngineContext,
): CheckOutcome {
  const namespace = entry.namespace ?? '';
  for (let i = 0; i < reads.length; i++) {
    const kind = reads[i];
    if (ctx.index.kindStatus(kind, namespace) === 'not-provided') {
      // Worded by the index, which knows the custom kinds too.
      const reason = ctx.index.kindReason(kind, namespace);
      return reason
        ? { ...notProvided(kind, namespace), message: reason }
        : notProvided(kind, namespace);
    }
  }
  return outcome;
}
