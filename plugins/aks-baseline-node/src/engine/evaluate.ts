/*
 * The evaluator: every enabled rule on every subject of its scope, passes
 * counted into per-subject tallies (never stored one by one), everything else
 * stored as findings. Scores are computed from the tallies by -common.
 *
 * Subjects are the outer loop and rules the inner one: all the workload rules
 * run on one workload before the next, so that its object, large and cold
 * in memory, is read into the cache once.
 */
import {
  CategoryTallies,
  Finding,
  ResourceRef,
  ScoreCost,
  ScoreSummary,
  SEVERITY_WEIGHTS,
  Severity,
  Tally,
  CATEGORIES,
  addCategoryTallies,
  addTally,
  emptyTally,
  explainScore,
  summarize,
} from '@aks-baseline/plugin-aks-baseline-common';
import { resolveConfig, ResolvedConfig } from './config';
import { EngineContext, newEngineContext } from './context';
import { KindTable } from './kinds';
import { buildObjectIndex } from './object-index';
import { CheckOutcome, RuleDefinition } from './rule';
import {
  partsOf,
  RuleParts,
  SubjectCheck,
  SubjectPredicate,
} from './rule-parts';
import {
  buildClusterView,
  checkParts,
  clusterRef,
  gateRule,
  SubjectEntry,
  Subjects,
  unreadableSubjectKinds,
  unreadableSubjectsMessage,
} from './subjects';
import {
  BaselineConfig,
  ClusterSnapshot,
  EvaluationResult,
  KubeObject,
  ObjectIndex,
  SubjectResult,
  WaiverConfig,
} from './types';
import { findWaiverFor, WAIVER_ANNOTATION_PREFIX } from './waivers';
import {
  DeferredFinding,
  FindingSource,
  newRenderedWords,
} from './deferred-finding';
import { suggestFix } from './suggest-fix';
import { rememberIndex } from './result-objects';

/** @public */
export interface EvaluateOptions {
  /**
   * The rules to run: `RULE_CATALOG` for the built-in ones, plus your own.
   * A definition the engine cannot run throws RuleDefinitionError.
   */
  rules: readonly RuleDefinition[];
  /** Validated here: an unknown rule id or bad value throws BaselineConfigError. */
  config?: BaselineConfig | unknown;
  /** The evaluation time (waiver expiry, certificate dates); defaults to now. */
  now?: Date;
}

/** A subject entry with the evaluator's bookkeeping (declared on every entry). */
type SubjectState = SubjectEntry;

/**
 * A rule with its configuration resolved, and the findings it produced; the
 * source its deferred findings render their words from.
 */
interface PreparedRule extends FindingSource {
  rule: RuleDefinition;
  // The rule's parts, on one object shape for the inner loop.
  parts: RuleParts;
  profiles: RuleParts['profiles'];
  when: SubjectPredicate | undefined;
  decide: SubjectCheck | undefined;
  explainCheck: SubjectCheck | undefined;
  /** Index of the category in pass 2's per-subject tally slots. */
  categoryIndex: number;
  severity: Severity;
  weight: number;
  category: Finding['category'];
  /** `aks-baseline.io/waive.<rule id>`. */
  annotationKey: string;
  /** Configuration waivers of this rule. */
  ruleWaivers: WaiverConfig[];
  /** Workload kinds the rule is limited to, if any. */
  kinds?: readonly string[];
  findings: Finding[];
  clusterName: string | undefined;
  /** The subjects it is checked on (with `kinds` for workload rules). */
  list: readonly SubjectEntry[];
  /** Set when a rule-level gate decides every subject's outcome. */
  gate?: 'unknown' | 'not-applicable';
  /** Manifest scans: the kinds the rule gates on, judged per namespace (kindStatus). */
  manifestReads?: readonly string[];
  /**
   * Manifest scans: the one finding per kind and namespace not provided
   * (`kind/namespace` →), with how many subjects it stands for.
   */
  notProvided?: Map<string, { finding: Finding; subjects: number }>;
}

const NO_ENTRIES: readonly SubjectEntry[] = Object.freeze([]);

/** Category names seen, in first-seen order, to index tally slots. */
const CATEGORY_INDEX = new Map<string, number>();
/** The same names by index (CATEGORY_INDEX's inverse). */
const CATEGORY_NAMES: string[] = [];

/** A rule-level finding (manual item, absent or unreadable kind): a few per evaluation. */
function newFinding(
  prepared: PreparedRule,
  status: Finding['status'],
  resource: ResourceRef,
  message: string,
): Finding {
  const finding: Finding = {
    ruleId: prepared.rule.id,
    baselineRef: prepared.rule.baselineRef,
    category: prepared.category,
    severity: prepared.severity,
    status,
    resource,
    message,
  };
  if (prepared.clusterName !== undefined)
    finding.cluster = prepared.clusterName;
  return finding;
}

function hasWaiverAnnotation(object: KubeObject | undefined): boolean {
  const annotations = object?.metadata?.annotations;
  if (!annotations || typeof annotations !== 'object') return false;
  for (const key in annotations) {
    if (key.startsWith(WAIVER_ANNOTATION_PREFIX)) return true;
  }
  return false;
}

/** A failing outcome as a `fail` finding, or `waived` when a valid waiver covers it. */
function failure(
  prepared: PreparedRule,
  state: SubjectState,
  tally: Tally,
  clusterName: string,
  now: Date,
  index: ObjectIndex,
): Finding {
  if (state.annotatedWaivers === undefined) {
    // On the subject's first failure: its namespace (for namespace-wide
    // waiver annotations) and whether any waiver annotation is there.
    if (state.namespace && state.scope !== 'namespace') {
      state.namespaceObject = index.namespace(state.namespace)?.object;
    }
    state.annotatedWaivers =
      hasWaiverAnnotation(state.object) ||
      hasWaiverAnnotation(state.namespaceObject);
  }
  // Without waiver annotations or config waivers of the rule there is
  // nothing to look up (the common case).
  const match =
    state.annotatedWaivers || prepared.ruleWaivers.length > 0
      ? findWaiverFor(
          prepared.rule.id,
          prepared.annotationKey,
          state.object,
          state.namespaceObject,
          prepared.ruleWaivers,
          () => ({
            cluster: clusterName,
            namespace: state.namespace,
            kind: state.ref.kind,
            name: state.ref.name,
          }),
          now,
        )
      : undefined;
  const waived = match?.waiver && !match.waiver.expired;
  if (waived) {
    tally.waived++;
  } else {
    tally.failed++;
    tally.failedWeight += prepared.weight;
  }
  const f = new DeferredFinding(
    prepared,
    waived ? 'waived' : 'fail',
    state.ref,
    prepared.clusterName,
    state,
    waived ? undefined : match?.problem,
  );
  if (match?.waiver) f.waiver = match.waiver;
  return f;
}

/**
 * A stable key for a resource reference: `kind/namespace/name`.
 *
 * @public
 */
export function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One rule's check on one subject; a check that throws is unknown. */
function runCheck(
  prepared: PreparedRule,
  check: SubjectCheck | undefined,
  entry: SubjectEntry,
  ctx: EngineContext,
): CheckOutcome {
  try {
    return checkParts(
      prepared.profiles,
      prepared.when,
      check,
      entry,
      ctx,
      prepared.manifestReads,
    );
  } catch (error) {
    // A broken rule must not sink the evaluation: it is unknown, loudly.
    return {
      status: 'unknown',
      message: `The rule failed to run: ${errorMessage(error)}`,
    };
  }
}

/** Pass 2 without interruption. */
const NEVER_PAUSE = () => false;
/** Subjects checked between two looks at the clock. */
const SUBJECTS_PER_LOOK = 64;

/**
 * Evaluates a snapshot against the rules.
 *
 * - ARM rules are skipped without a managed cluster; cluster-scope
 *   Kubernetes rules are skipped on manifest scans.
 * - A rule reading an absent CRD kind yields one rule-level not-applicable
 *   finding; an unreadable kind one rule-level unknown finding. Either way
 *   each subject's tally counts it.
 * - A rule whose subjects come from a kind that could not be listed yields
 *   one rule-level unknown finding naming the kinds, counted once (on the
 *   cluster subject); its subjects of the kinds that were read are checked.
 * - On manifests, a check resting on a kind not provided for the subject's
 *   namespace is unknown: counted per subject, one finding per rule, kind
 *   and namespace (see kindStatus in object-index.ts).
 * - Profile mismatches and `appliesTo.when` false count as not-applicable.
 * - Failures are waived by a valid annotation or config waiver (outside the
 *   score), or stay failures with `waiver.expired` when it has lapsed.
 * - Manual rules yield one `manual` finding each, outside the score.
 *
 * @public
 */
export function evaluate(
  snapshot: ClusterSnapshot,
  options: EvaluateOptions,
): EvaluationResult {
  const evaluation = beginEvaluation(snapshot, options);
  evaluation.checkSubjects(NEVER_PAUSE);
  return evaluation.finish();
}

/** @public */
export interface CooperativeEvaluateOptions extends EvaluateOptions {
  /** The longest run of checks between two turns of the event loop; default 10 ms. */
  sliceMs?: number;
  /** Gives the event loop a turn; default: resolves on the next `setImmediate`. */
  yieldControl?: () => Promise<void>;
}

function nextTurn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

/**
 * {@link evaluate} for a server: the same evaluation and result, with the
 * checks run in slices of about `sliceMs` between which other work (HTTP
 * requests) runs. Custom rules are in-process functions, which is why the
 * evaluation stays on this thread instead of moving to a worker.
 *
 * @public
 */
export async function evaluateCooperatively(
  snapshot: ClusterSnapshot,
  options: CooperativeEvaluateOptions,
): Promise<EvaluationResult> {
  const sliceMs = options.sliceMs ?? 10;
  const yieldControl = options.yieldControl ?? nextTurn;
  const evaluation = beginEvaluation(snapshot, options);
  let deadline = 0;
  const sliceOver = () => performance.now() >= deadline;
  do {
    await yieldControl();
    deadline = performance.now() + sliceMs;
  } while (!evaluation.checkSubjects(sliceOver));
  await yieldControl();
  return evaluation.finish();
}

/** An evaluation prepared (pass 1 done), run by {@link evaluate} or in slices. */
interface Evaluation {
  /**
   * Checks subjects from where it last stopped until all are checked (true)
   * or `pause` answers true (false); `pause` is asked every few subjects.
   */
  checkSubjects(pause: () => boolean): boolean;
  /** The result, once every subject is checked. */
  finish(): EvaluationResult;
}

function beginEvaluation(
  snapshot: ClusterSnapshot,
  options: EvaluateOptions,
): Evaluation {
  const rules = options?.rules;
  if (!Array.isArray(rules)) {
    throw new TypeError(
      'evaluate() needs the rules to run: { rules: RULE_CATALOG } for the built-in ones',
    );
  }
  // Refuses a definition the engine cannot run before anything is read.
  const allParts = rules.map(partsOf);
  const config: ResolvedConfig = resolveConfig(options.config, rules);
  const now = options.now ?? new Date();
  const params = config.params;
  const cluster = buildClusterView(snapshot, params, config.profile);
  const kindTable = new KindTable([
    ...(snapshot.customKinds ?? []),
    ...allParts.flatMap(p => p.customKinds),
  ]);
  const index = buildObjectIndex(snapshot, cluster, params, kindTable);
  const subjects = new Subjects(cluster, index, params, snapshot.coverage.mode);
  const clusterName =
    snapshot.coverage.mode === 'manifests' && !snapshot.managedCluster
      ? undefined
      : snapshot.name;
  // Deciding, and explaining a finding when it is read (deferred-finding.ts):
  // a context each, since a finding may be read while others are decided.
  const ctx = newEngineContext(cluster, index, params, now, true);
  const explainCtx = newEngineContext(cluster, index, params, now);

  // Subjects in the order they were first checked; their tallies live on them.
  const touched: SubjectState[] = [];
  const stateOf = (entry: SubjectEntry): SubjectState => {
    const state = entry as SubjectState;
    if (!state.slots) {
      // Sized for the categories known (an empty array would grow to 17).
      state.slots = new Array(CATEGORY_NAMES.length);
      touched.push(state);
    }
    return state;
  };
  // Cluster and pools are subjects even when every rule is skipped.
  for (const entry of subjects.cluster) stateOf(entry);
  const clusterEntry = subjects.cluster[0] as SubjectState;
  const manifests = snapshot.coverage.mode === 'manifests';

  // Findings are collected per rule and concatenated in rule order at the
  // end, so that their order does not depend on the iteration order.
  const buckets: Finding[][] = [];
  let ruleCount = 0;
  let checks = 0;
  const clusterResource = clusterRef(cluster);

  // Lists whose every entry has been touched (their subsets need no pass).
  const fullyTouched = new Set<readonly SubjectEntry[]>();
  const touchInOrder = (
    list: readonly SubjectEntry[],
    kinds: readonly string[] | undefined,
  ) => {
    if (fullyTouched.has(list)) return;
    let count = 0;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (kinds && !kinds.includes((entry.object as KubeObject).kind)) {
        continue;
      }
      stateOf(entry);
      count++;
    }
    if (count === list.length) fullyTouched.add(list);
  };

  // Pass 1, in rule order: configuration, manual items and rule-level gates;
  // subjects are touched in the order the rules reach them (the order of
  // `result.subjects`). Checks are grouped by subject list for pass 2.
  const groups = new Map<readonly SubjectEntry[], PreparedRule[]>();
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    const parts = allParts[r];
    const override = config.overrides.get(rule.id);
    if (override?.enabled === false) continue;
    const severity: Severity = override?.severity ?? rule.severity;
    const prepared: PreparedRule = {
      rule,
      parts,
      profiles: parts.profiles,
      when: parts.when,
      decide: parts.decide,
      explainCheck: parts.explain,
      categoryIndex: categoryIndexOf(rule.category),
      severity,
      weight: SEVERITY_WEIGHTS[severity],
      category: rule.category,
      annotationKey: WAIVER_ANNOTATION_PREFIX + rule.id,
      ruleWaivers: config.waivers.filter(w => w.ruleId === rule.id),
      findings: [],
      clusterName,
      list: NO_ENTRIES,
      // Declared now, set below: one hidden class for every prepared rule.
      kinds: undefined,
      gate: undefined,
      manifestReads: undefined,
      notProvided: undefined,
      ruleId: rule.id,
      baselineRef: rule.baselineRef,
      title: rule.title,
      lastRendered: newRenderedWords(),
      explain(subject: unknown): CheckOutcome {
        return runCheck(
          this,
          this.explainCheck,
          subject as SubjectEntry,
          explainCtx,
        );
      },
      suggestFix(subject, evidence) {
        return suggestFix(
          this.rule,
          subject as SubjectEntry,
          evidence,
          explainCtx,
        );
      },
    };

    if (rule.manual) {
      // A manifest scan describes no cluster to hold a checklist for.
      if (snapshot.coverage.mode === 'manifests' && !snapshot.managedCluster) {
        continue;
      }
      ruleCount++;
      prepared.findings.push(
        newFinding(prepared, 'manual', clusterResource, rule.manual.reason),
      );
      buckets.push(prepared.findings);
      continue;
    }
    const gate = gateRule(parts, snapshot, index);
    if (gate?.action === 'skip') continue;
    ruleCount++;
    buckets.push(prepared.findings);
    // Subjects that could not be listed: said once (with an unknown gate's
    // finding when there is one), and counted once.
    const unlisted = unreadableSubjectKinds(
      parts,
      snapshot,
      gate?.action === 'unknown' ? gate.kind : undefined,
    );
    if (gate) {
      prepared.gate = gate.action;
      const message =
        unlisted.length > 0 && gate.action === 'unknown'
          ? `${gate.message}. ${unreadableSubjectsMessage(unlisted)}`
          : gate.message;
      prepared.findings.push(
        newFinding(prepared, gate.action, clusterResource, message),
      );
    }
    if (unlisted.length > 0) {
      if (gate?.action !== 'unknown') {
        prepared.findings.push(
          newFinding(
            prepared,
            'unknown',
            clusterResource,
            unreadableSubjectsMessage(unlisted),
          ),
        );
      }
      const slots = clusterEntry.slots!;
      (slots[prepared.categoryIndex] ?? newSlot(slots, prepared.categoryIndex))
        .unknown++;
    }
    if (manifests && parts.gateReads.length > 0 && !gate) {
      prepared.manifestReads = parts.gateReads;
    }

    // Workload rules may narrow the workloads by kind; other scopes check
    // every entry of their list.
    if (rule.scope === 'workload') {
      prepared.list = subjects.workload;
      prepared.kinds = parts.narrowKinds;
    } else {
      prepared.list = subjects.forRule(parts);
    }
    touchInOrder(prepared.list, prepared.kinds);
    const group = groups.get(prepared.list);
    if (group) group.push(prepared);
    else groups.set(prepared.list, [prepared]);
  }

  // Pass 2: subject by subject, every rule of its list on it (a workload's
  // objects stay in cache across its rules). Passes are only counted. An
  // entry in several lists (object rules sharing kinds with each other, or
  // on Namespace and workload kinds) meets its rules list by list: nothing
  // depends on that order (tallies are per category slot, findings per
  // rule, each rule's in its list's order). Resumable: where it stopped is
  // kept in `nextGroup`, `nextEntry` and `byKind`.
  const groupList = [...groups];
  let nextGroup = 0;
  let nextEntry = 0;
  let byKind = new Map<string, PreparedRule[]>();
  const checkSubjects = (pause: () => boolean): boolean => {
    let counted = 0;
    try {
      for (; nextGroup < groupList.length; nextGroup++) {
        const [list, group] = groupList[nextGroup];
        const first = nextEntry;
        for (let i = first; i < list.length; i++) {
          if (i > first && i % SUBJECTS_PER_LOOK === 0 && pause()) {
            nextEntry = i;
            return false;
          }
          const entry = list[i];
          const state = entry as SubjectState;
          const slots = state.slots!;
          // The ref's kind is the object's (and kinds only narrow workloads).
          const kind = entry.ref.kind;
          let applicable = byKind.get(kind);
          if (!applicable) {
            applicable = group.filter(p => !p.kinds || p.kinds.includes(kind));
            byKind.set(kind, applicable);
          }
          for (let r = 0; r < applicable.length; r++) {
            const prepared = applicable[r];
            counted++;
            if (prepared.gate) {
              const tally =
                slots[prepared.categoryIndex] ??
                newSlot(slots, prepared.categoryIndex);
              if (prepared.gate === 'unknown') tally.unknown++;
              else tally.notApplicable++;
              continue;
            }
            const outcome = runCheck(prepared, prepared.decide, entry, ctx);
            const tally =
              slots[prepared.categoryIndex] ??
              newSlot(slots, prepared.categoryIndex);
            switch (outcome.status) {
              case 'pass':
                tally.passed++;
                tally.passedWeight += prepared.weight;
                break;
              case 'not-applicable':
                tally.notApplicable++;
                break;
              case 'unknown': {
                tally.unknown++;
                if (outcome.notProvided) {
                  notProvidedOnce(prepared, outcome, clusterResource);
                  break;
                }
                prepared.findings.push(
                  new DeferredFinding(
                    prepared,
                    'unknown',
                    entry.ref,
                    clusterName,
                    entry,
                    undefined,
                  ),
                );
                break;
              }
              default:
                prepared.findings.push(
                  failure(prepared, state, tally, snapshot.name, now, index),
                );
            }
          }
        }
        nextEntry = 0;
        byKind = new Map();
      }
      return true;
    } finally {
      checks += counted;
    }
  };

  const finish = (): EvaluationResult => {
    for (const group of groups.values()) {
      for (const prepared of group) {
        if (!prepared.notProvided) continue;
        for (const {
          finding,
          subjects: count,
        } of prepared.notProvided.values()) {
          finding.message += ` (${count} ${
            count === 1 ? 'check' : 'checks'
          } not made)`;
        }
      }
    }

    const findings: Finding[] = [];
    for (const bucket of buckets) {
      for (let i = 0; i < bucket.length; i++) findings.push(bucket[i]);
    }

    const subjectResults: SubjectResult[] = [];
    // Totals by category index, summed from the slots (no keyed lookups).
    const sums: (Tally | undefined)[] = new Array(CATEGORY_NAMES.length);
    for (const state of touched) {
      const slots = state.slots!;
      // One literal per shape: results are kept, a grown property store is not free.
      const tallies = talliesOf(slots);
      const result: SubjectResult = state.labels
        ? {
            ref: state.ref,
            scope: state.scope,
            tallies,
            labels: state.labels,
          }
        : { ref: state.ref, scope: state.scope, tallies };
      subjectResults.push(result);
      for (let i = 0; i < slots.length; i++) {
        const tally = slots[i];
        if (tally) addTally(sums[i] ?? newSlot(sums, i), tally);
      }
      // The entry lives on with the findings (they render from it); its
      // slots are in the tallies now.
      state.slots = undefined;
    }
    // The score's categories only, as summarize() reads them.
    const totals: CategoryTallies = {};
    for (const category of CATEGORIES) {
      const i = CATEGORY_INDEX.get(category);
      const sum = i === undefined ? undefined : sums[i];
      if (sum) totals[category] = sum;
    }

    return rememberIndex(
      {
        cluster: snapshot.name,
        evaluatedAt: now.toISOString(),
        profile: cluster.profile,
        findings,
        subjects: subjectResults,
        summary: summarize(totals),
        stats: {
          objects: snapshot.objects.length,
          ignoredKinds: { ...snapshot.ignoredKinds },
          skipped: snapshot.skipped ? [...snapshot.skipped] : [],
          rules: ruleCount,
          checks,
        },
      },
      index,
    );
  };

  return { checkSubjects, finish };
}

/**
 * Records a not-provided outcome (manifest scans): one unknown finding per
 * rule, kind and namespace, on the namespace (or the cluster for kinds
 * looked up cluster-wide), counting the subjects it stands for.
 */
function notProvidedOnce(
  prepared: PreparedRule,
  outcome: CheckOutcome,
  clusterResource: ResourceRef,
): void {
  const { kind, namespace } = outcome.notProvided!;
  const key = `${kind}/${namespace}`;
  const byKey = (prepared.notProvided ??= new Map());
  const seen = byKey.get(key);
  if (seen) {
    seen.subjects++;
    return;
  }
  const resource: ResourceRef = namespace
    ? { kind: 'Namespace', name: namespace }
    : clusterResource;
  const finding = newFinding(
    prepared,
    'unknown',
    resource,
    outcome.message ?? `No ${kind} objects are among the manifests`,
  );
  prepared.findings.push(finding);
  byKey.set(key, { finding, subjects: 1 });
}

function categoryIndexOf(category: string): number {
  let index = CATEGORY_INDEX.get(category);
  if (index === undefined) {
    index = CATEGORY_NAMES.length;
    CATEGORY_INDEX.set(category, index);
    CATEGORY_NAMES.push(category);
  }
  return index;
}

function newSlot(slots: (Tally | undefined)[], categoryIndex: number): Tally {
  const tally = emptyTally();
  slots[categoryIndex] = tally;
  return tally;
}

/** A subject's slots as the result's keyed tallies (categories in index order). */
function talliesOf(slots: (Tally | undefined)[]): CategoryTallies {
  const tallies: Record<string, Tally> = {};
  for (let i = 0; i < slots.length; i++) {
    const tally = slots[i];
    if (tally) tallies[CATEGORY_NAMES[i]] = tally;
  }
  return tallies as CategoryTallies;
}

/**
 * The score of a set of subjects (an entity's workloads, a namespace, ...).
 *
 * @public
 */
export interface SubjectsScore {
  summary: ScoreSummary;
  subjects: SubjectResult[];
  /** Findings on the selected subjects (rule-level findings are not included). */
  findings: Finding[];
}

/**
 * Scores the subjects of a result that `predicate` selects, with their
 * findings: e.g. the workloads of one catalog entity (by labels), or one
 * namespace (`s => s.ref.namespace === 'shop' || (s.ref.kind === 'Namespace' && s.ref.name === 'shop')`).
 *
 * @public
 */
export function scoreSubjects(
  result: EvaluationResult,
  predicate: (subject: SubjectResult) => boolean,
): SubjectsScore {
  const selected: SubjectResult[] = [];
  const keys = new Set<string>();
  const totals: CategoryTallies = {};
  for (const subject of result.subjects) {
    if (!predicate(subject)) continue;
    selected.push(subject);
    keys.add(refKey(subject.ref));
    addCategoryTallies(totals, subject.tallies);
  }
  const findings = result.findings.filter(f => keys.has(refKey(f.resource)));
  return { summary: summarize(totals), subjects: selected, findings };
}

/**
 * Each failing finding's cost in score points, most expensive first.
 *
 * @public
 */
export function explainSubjects(score: SubjectsScore): ScoreCost[] {
  return explainScore(score.findings, score.summary.totals);
}

/**
 * Explains a whole evaluation's score.
 *
 * @public
 */
export function explainResult(result: EvaluationResult): ScoreCost[] {
  return explainScore(result.findings, result.summary.totals);
}

/**
 * Selects the subjects in a namespace, including the Namespace itself.
 *
 * @public
 */
export function inNamespace(
  namespace: string,
): (subject: SubjectResult) => boolean {
  return s =>
    s.ref.namespace === namespace ||
    (s.ref.kind === 'Namespace' && s.ref.name === namespace);
}
