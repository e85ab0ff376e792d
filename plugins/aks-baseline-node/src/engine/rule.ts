/*
 * The rule contract: what a rule declares (metadata, the subjects it applies
 * to, the kinds it reads, how to fix what it finds) and the one pure check
 * that decides and explains. How fast rules run is the engine's business,
 * not the rule author's: nothing here is there for speed.
 */
import {
  CheckStatus,
  Evidence,
  FixSuggestion,
  Profile,
  RuleMetadata,
} from '@aks-baseline/plugin-aks-baseline-common';
import type {
  ClusterView,
  KindCoverage,
  KubeObject,
  ManagedClusterView,
  NamespaceView,
  NodePoolView,
  ObjectIndex,
  RuleParameters,
  WorkloadView,
} from './types';

/**
 * What a check concluded about one subject.
 *
 * @public
 */
export interface CheckOutcome {
  status: CheckStatus;
  /** Required for every status but `pass`. */
  message?: string;
  evidence?: Evidence[];
  /**
   * Set on an `unknown` outcome that comes from a kind not among the
   * manifests for a namespace (`notProvided()` in outcomes.ts): the engine
   * reports it once per rule, kind and namespace instead of per subject.
   */
  notProvided?: { kind: string; namespace: string };
}

/**
 * What every check receives besides its subject. Valid during the call only.
 *
 * @public
 */
export interface RuleContext {
  readonly cluster: ClusterView;
  readonly index: ObjectIndex;
  readonly params: RuleParameters;
  /** The subject's profile: the namespace label wins over the cluster tag. */
  readonly profile: Profile;
  readonly now: Date;
}

/**
 * A container rule's message gets the workload its containers belong to.
 *
 * @public
 */
export interface WorkloadContext extends RuleContext {
  readonly workload: WorkloadView;
}

/**
 * What a container check receives besides the container.
 *
 * @public
 */
export interface ContainerContext extends WorkloadContext {
  /** Evidence path of the container: `spec.template.spec.containers[1]`. */
  readonly path: string;
  /** True for an init container. */
  readonly init: boolean;
}

/**
 * A container spec as found in a pod template (loosely typed: read-only).
 *
 * @public
 */
export type Container = Record<string, any>;

/**
 * A custom resource a rule reads or applies to: where the API serves it, so
 * that readers keep its objects and a live reader can list it. A kind the
 * engine knows (`KNOWN_KINDS`) is named by its kind alone.
 *
 * @public
 */
export interface CustomKind {
  kind: string;
  /** API group, e.g. `acme.example.com`. */
  group: string;
  /** Version to list, e.g. `v1`. */
  version: string;
  /** Resource name in URLs, e.g. `widgets`. */
  plural: string;
  /** Defaults to true. */
  namespaced?: boolean;
  /**
   * Served by a CustomResourceDefinition, which may not be installed
   * (then rules reading it are not applicable). Defaults to true unless
   * the group is the core group or a legacy one without a dot.
   */
  crd?: boolean;
}

/**
 * A kind by name (`Deployment`), or a custom resource with where it is served.
 *
 * @public
 */
export type KindRef = string | CustomKind;

/**
 * A kind the check reads. By default the engine gates on it: while its list
 * could not be read every subject is `unknown`; when its CRD is not
 * installed the rule is `not-applicable`; on a manifest scan without such
 * objects in the subject's namespace, a check that does not pass is
 * `unknown` (its verdict could rest on their absence). `optional` kinds are
 * listed and kept but never gated: the check judges their absence itself
 * (`ctx.index.kindStatus`).
 *
 * @public
 */
export type KindRead = KindRef | { kind: KindRef; optional: true };

/**
 * Where the data a rule reads comes from.
 *
 * @public
 */
export type RuleSource = 'arm' | 'kubernetes';

/**
 * Which subjects a rule applies to; subjects it does not apply to are
 * counted as not applicable. Checked by the engine before the check runs.
 *
 * @public
 */
export interface AppliesTo<S> {
  /** Only under these profiles. */
  profiles?: readonly Profile[];
  /**
   * Only in these coverage modes (both when absent): a rule about what only
   * hand-written manifests get wrong is `['manifests']` and skipped on
   * cluster reads; one about what only a cluster holds is `['cluster']`.
   */
  modes?: readonly KindCoverage['mode'][];
  /**
   * A test on the subject itself (its kind, spec, labels). A subject's
   * applicability that rests on other objects (a Service selecting the pod)
   * is the check's to decide, with `notApplicable(...)`: the engine can
   * then tell a manifest scan that lacks those objects from a real "no".
   */
  when?: (subject: S, ctx: RuleContext) => boolean;
}

/**
 * {@link AppliesTo} for rules whose subjects are Kubernetes objects of some kinds.
 *
 * @public
 */
export interface AppliesToKinds<S> extends AppliesTo<S> {
  /** The subjects' kinds; workload rules: every workload kind when absent. */
  kinds?: readonly KindRef[];
}

/**
 * Object rules must name their subjects' kinds (at least one).
 *
 * @public
 */
export interface AppliesToObjects extends AppliesTo<KubeObject> {
  kinds: readonly KindRef[];
}

/**
 * How to fix what a check found on one subject: `evidence` is the finding's.
 * Return `undefined` when there is nothing better to say than the rule's
 * remediation. Pure, like the check.
 *
 * @public
 */
export type FixFunction<S> = (
  subject: S,
  evidence: readonly Evidence[],
  ctx: RuleContext,
) => FixSuggestion | undefined;

/**
 * What every rule with a check declares.
 *
 * @public
 */
export interface CheckedRule<S> extends RuleMetadata {
  source: RuleSource;
  /** The kinds the check reads besides its subject (see {@link KindRead}). */
  reads?: readonly KindRead[];
  /** How to fix a failure; the rule's `remediation` says it in words. */
  fix?: FixFunction<S>;
  /**
   * Why no exact fix can be worked out from what was read (a rule without
   * `fix` says so here: listed in docs/rules.md).
   */
  fixUnavailable?: string;
  manual?: never;
}

/**
 * A rule on the managed cluster from Azure Resource Manager (skipped without one).
 *
 * @public
 */
export interface ArmClusterRule extends CheckedRule<ManagedClusterView> {
  scope: 'cluster';
  source: 'arm';
  appliesTo?: AppliesTo<ManagedClusterView>;
  check: (cluster: ManagedClusterView, ctx: RuleContext) => CheckOutcome;
}

/**
 * A rule on each agent pool of the managed cluster (Azure Resource Manager).
 *
 * @public
 */
export interface NodePoolRule extends CheckedRule<NodePoolView> {
  scope: 'nodePool';
  source: 'arm';
  appliesTo?: AppliesTo<NodePoolView>;
  check: (pool: NodePoolView, ctx: RuleContext) => CheckOutcome;
}

/**
 * A cluster-wide rule on Kubernetes objects (skipped on manifest scans).
 *
 * @public
 */
export interface KubernetesClusterRule extends CheckedRule<ClusterView> {
  scope: 'cluster';
  source: 'kubernetes';
  appliesTo?: AppliesTo<ClusterView>;
  check: (cluster: ClusterView, ctx: RuleContext) => CheckOutcome;
}

/**
 * A rule on each namespace outside the system namespaces.
 *
 * @public
 */
export interface NamespaceRule extends CheckedRule<NamespaceView> {
  scope: 'namespace';
  source: 'kubernetes';
  appliesTo?: AppliesTo<NamespaceView>;
  check: (namespace: NamespaceView, ctx: RuleContext) => CheckOutcome;
}

/**
 * A rule on each pod-producing workload as a whole.
 *
 * @public
 */
export interface WorkloadRule extends CheckedRule<WorkloadView> {
  scope: 'workload';
  source: 'kubernetes';
  appliesTo?: AppliesToKinds<WorkloadView>;
  check: (workload: WorkloadView, ctx: RuleContext) => CheckOutcome;
  container?: never;
}

/**
 * A check on one container: the evidence of what is wrong with it, empty
 * (or `undefined`) when it complies.
 *
 * @public
 */
export interface ContainerCheck {
  check: (
    container: Container,
    ctx: ContainerContext,
  ) => readonly Evidence[] | undefined;
  /**
   * The finding's message for the workload: `containers` names the
   * offending ones (init containers marked), `evidence` is theirs in order.
   */
  message: (
    containers: readonly string[],
    evidence: readonly Evidence[],
    ctx: WorkloadContext,
  ) => string;
  /** Init containers are checked too unless this is false. */
  includeInitContainers?: boolean;
}

/**
 * A rule on the containers of each workload, judged per workload: it fails
 * when any container has evidence, with every offending container's.
 *
 * @public
 */
export interface ContainerRule extends CheckedRule<WorkloadView> {
  scope: 'workload';
  source: 'kubernetes';
  appliesTo?: AppliesToKinds<WorkloadView>;
  container: ContainerCheck;
  check?: never;
}

/**
 * A rule on each object of some kinds outside the system namespaces.
 *
 * @public
 */
export interface ObjectRule extends CheckedRule<KubeObject> {
  scope: 'object';
  source: 'kubernetes';
  appliesTo: AppliesToObjects;
  check: (object: KubeObject, ctx: RuleContext) => CheckOutcome;
}

/**
 * A checklist item no API can show: reported as `manual`, never passed and
 * never scored (`manual.reason` says what to confirm).
 *
 * @public
 */
export interface ManualRule extends RuleMetadata {
  scope: 'cluster';
  source: RuleSource;
  /** `concerns`: a service's owners or the cluster's operators (absent: both). */
  manual: { reason: string; concerns?: 'service' | 'cluster' };
  check?: never;
  container?: never;
  appliesTo?: never;
  reads?: never;
  fix?: never;
  fixUnavailable?: never;
}

/**
 * Any rule: what `evaluate()` runs and extension points accept.
 *
 * @public
 */
export type RuleDefinition =
  | ArmClusterRule
  | NodePoolRule
  | KubernetesClusterRule
  | NamespaceRule
  | WorkloadRule
  | ContainerRule
  | ObjectRule
  | ManualRule;

/**
 * The same as {@link RuleDefinition}.
 *
 * @public
 */
export type AnyRuleDefinition = RuleDefinition;
