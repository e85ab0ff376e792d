/*
 * An entity's score on one cluster: the engine's subject tallies of the
 * objects its annotations select (workloads matched on their own labels or
 * their pod template labels, plus other labelled objects such as Services),
 * summed, with the findings on those objects. A cluster Resource stands for
 * its whole cluster and gets the cluster's own result, so that one cluster
 * has one score wherever it is shown. Checks the engine could not
 * make for want of an unreadable kind count as unknown for every entity they
 * may concern, with the kinds and reasons (unreadable.ts).
 */
import {
  CategoryTallies,
  Finding,
  FindingCounts,
  ResourceRef,
  ScoreSummary,
  StoredPasses,
  UnreadableKind,
  addCategoryTallies,
  emptyTally,
  summarize,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  subjectObjectFinder,
  type AnyRuleDefinition,
  ClusterSnapshot,
  EvaluationResult,
  KubeObject,
  matchesSelector,
  SubjectResult,
} from '@aks-baseline/plugin-aks-baseline-node';
import { ITEMS_PER_STEP, runToEnd, Steps } from '../service/slices';
import { countFindings, failedRules } from '../scoring';
import { EntityTarget } from './targets';
import { anchorOf } from './selector';
import {
  collectPasses,
  ObjectPasses,
  passesOnObject,
  passRules,
  PassRules,
} from './passes';
import {
  RuleLevelUnknown,
  ruleLevelUnknowns,
  unreadableKindsOf,
} from './unreadable';

/** One entity's score on one cluster, as computed by the evaluation. */
export interface EntityClusterScoreInput {
  entityRef: string;
  summary: ScoreSummary;
  counts: FindingCounts;
  failedRules: Record<string, number>;
  findings: Finding[];
  resources: ResourceRef[];
  /** Unreadable kinds of the cluster that checks of this entity needed. */
  unreadableKinds?: UnreadableKind[];
  /** The rules that passed on its objects (passes.ts); scoring always sets it. */
  passes?: StoredPasses;
}

function keyOf(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

interface Candidate {
  subject: SubjectResult;
  key: string;
  /** Namespace the object lives in (its own name for a Namespace). */
  namespace?: string;
  /** The object's labels and, for workloads, its pod template's. */
  labelSets: Record<string, string>[];
}

/** Scopes whose subjects can belong to a workload entity. */
const WORKLOAD_SCOPES = new Set(['workload', 'object', 'namespace']);

function objectLabels(object: KubeObject | undefined) {
  const labels = object?.metadata?.labels;
  return labels && typeof labels === 'object' ? labels : undefined;
}

/** Looks objects up by the reference the engine gave their subject. */
function* objectFinderSteps(
  snapshot: ClusterSnapshot,
): Steps<(ref: ResourceRef) => KubeObject | undefined> {
  const byKey = new Map<string, KubeObject>();
  const { objects } = snapshot;
  for (let i = 0; i < objects.length; i++) {
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
    const object = objects[i];
    const name = object.metadata?.name;
    if (!name) continue;
    const ns = object.metadata.namespace ?? '';
    byKey.set(`${object.kind}/${ns}/${name}`, object);
  }
  return (ref: ResourceRef): KubeObject | undefined =>
    byKey.get(keyOf(ref)) ??
    // The engine defaults a missing namespace to `default`.
    (ref.namespace === 'default'
      ? byKey.get(`${ref.kind}//${ref.name}`)
      : undefined);
}

/**
 * The rule-level unknowns that concern an entity whose selected objects are
 * of `kinds`: a rule whose subjects could not all be listed (any of them
 * might have been the entity's: one unknown check, as the engine counts it
 * once for the cluster), and a rule gated by an unreadable kind it reads
 * on objects of a kind the entity has (its tallies counted those already).
 */
function addRuleLevelUnknowns(
  unknowns: readonly RuleLevelUnknown[],
  kinds: ReadonlySet<string>,
  tallies: CategoryTallies,
  findings: Finding[],
  unreadable: Map<string, UnreadableKind>,
): void {
  for (const unknown of unknowns) {
    const checked = unknown.subjectKinds.some(kind => kinds.has(kind));
    if (!checked && !unknown.missingSubjects) continue;
    findings.push(...unknown.findings);
    if (unknown.missingSubjects) {
      (tallies[unknown.category] ??= emptyTally()).unknown++;
    }
    for (const k of unknown.kinds) unreadable.set(k.kind, k);
  }
}

function sortedKinds(
  unreadable: ReadonlyMap<string, UnreadableKind>,
): UnreadableKind[] {
  return [...unreadable.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}

/** A cluster Resource's score: the cluster's own, every check of it. */
function wholeClusterScore(
  entityRef: string,
  result: EvaluationResult,
  clusterUnreadable: UnreadableKind[],
  passes: StoredPasses,
): EntityClusterScoreInput {
  const score: EntityClusterScoreInput = {
    entityRef,
    summary: result.summary,
    counts: countFindings(result.findings),
    failedRules: failedRules(result.findings),
    findings: result.findings,
    resources: result.subjects.map(subject => subject.ref),
    passes,
  };
  if (clusterUnreadable.length > 0) {
    score.unreadableKinds = sortedKinds(
      new Map(clusterUnreadable.map(k => [k.kind, k])),
    );
  }
  return score;
}

/**
 * Scores every target on one cluster's result. Targets that match nothing
 * on this cluster get no entry.
 */
export function scoreEntitiesOnCluster(
  result: EvaluationResult,
  snapshot: ClusterSnapshot,
  targets: readonly EntityTarget[],
  rules: readonly AnyRuleDefinition[],
  config?: unknown,
): EntityClusterScoreInput[] {
  return runToEnd(scoreEntitySteps(result, snapshot, targets, rules, config));
}

/** {@link scoreEntitiesOnCluster} as steps, for a server to run in slices. */
export function* scoreEntitySteps(
  result: EvaluationResult,
  snapshot: ClusterSnapshot,
  targets: readonly EntityTarget[],
  rules: readonly AnyRuleDefinition[],
  /** The evaluation's `aksBaseline.baseline` (rules' severities and switches). */
  config?: unknown,
): Steps<EntityClusterScoreInput[]> {
  const cluster = result.cluster;
  const forPasses: PassRules = passRules(rules, config);
  // The findings by object; filled below, before any entity is scored.
  const findingsByKey = new Map<string, Finding[]>();
  // An object's passes, worked out once for every entity that selects it.
  const passesByKey = new Map<string, ObjectPasses>();
  const passesOf = (subject: SubjectResult) => {
    const key = keyOf(subject.ref);
    let passes = passesByKey.get(key);
    if (!passes) {
      passes = passesOnObject(
        forPasses,
        subject,
        findingsByKey.get(key),
        result.profile,
      );
      passesByKey.set(key, passes);
    }
    return { ref: subject.ref, passes };
  };
  // The engine's own index when the result is fresh from it; else one here.
  const findObject =
    subjectObjectFinder(result) ?? (yield* objectFinderSteps(snapshot));
  const unknowns = ruleLevelUnknowns(result, snapshot, rules);
  const clusterUnreadable = unreadableKindsOf(snapshot);

  const candidates: Candidate[] = [];
  const byLabel = new Map<string, Candidate[]>();
  // Items handled since the last yield (a target counts its candidates).
  let work = 0;
  for (const subject of result.subjects) {
    if (++work >= ITEMS_PER_STEP) {
      work = 0;
      yield;
    }
    if (!WORKLOAD_SCOPES.has(subject.scope)) continue;
    const labelSets: Record<string, string>[] = [];
    const own = objectLabels(findObject(subject.ref));
    if (own) labelSets.push(own);
    if (subject.labels && subject.labels !== own)
      labelSets.push(subject.labels);
    if (labelSets.length === 0) continue;
    const candidate: Candidate = {
      subject,
      key: keyOf(subject.ref),
      namespace:
        subject.ref.kind === 'Namespace'
          ? subject.ref.name
          : subject.ref.namespace,
      labelSets,
    };
    candidates.push(candidate);
    const seen = new Set<string>();
    for (const labels of labelSets) {
      for (const [key, value] of Object.entries(labels)) {
        const entry = `${key}=${value}`;
        if (seen.has(entry)) continue;
        seen.add(entry);
        let list = byLabel.get(entry);
        if (!list) byLabel.set(entry, (list = []));
        list.push(candidate);
      }
    }
  }

  for (const finding of result.findings) {
    if (++work >= ITEMS_PER_STEP) {
      work = 0;
      yield;
    }
    const key = keyOf(finding.resource);
    let list = findingsByKey.get(key);
    if (!list) findingsByKey.set(key, (list = []));
    list.push(finding);
  }

  const out: EntityClusterScoreInput[] = [];
  for (const target of targets) {
    if (++work >= ITEMS_PER_STEP) {
      work = 0;
      yield;
    }
    if (target.clusterName === cluster) {
      work += result.subjects.length;
      out.push(
        wholeClusterScore(
          target.entityRef,
          result,
          clusterUnreadable,
          collectPasses(result.subjects.map(passesOf)),
        ),
      );
      continue;
    }
    const selected: SubjectResult[] = [];
    const workloads = target.workloads;
    if (workloads && (!workloads.cluster || workloads.cluster === cluster)) {
      const anchor = anchorOf(workloads.selector);
      const pool = anchor
        ? byLabel.get(`${anchor.key}=${anchor.value}`) ?? []
        : candidates;
      work += pool.length;
      for (const candidate of pool) {
        if (
          workloads.namespace &&
          candidate.namespace !== workloads.namespace
        ) {
          continue;
        }
        if (
          candidate.labelSets.some(l => matchesSelector(workloads.selector, l))
        ) {
          selected.push(candidate.subject);
        }
      }
    }
    if (selected.length === 0) continue;

    const tallies: CategoryTallies = {};
    const findings: Finding[] = [];
    const resources: ResourceRef[] = [];
    for (const subject of selected) {
      addCategoryTallies(tallies, subject.tallies);
      resources.push(subject.ref);
      const list = findingsByKey.get(keyOf(subject.ref));
      if (list) findings.push(...list);
    }
    const unreadable = new Map<string, UnreadableKind>();
    const kinds = new Set(selected.map(subject => subject.ref.kind));
    addRuleLevelUnknowns(unknowns, kinds, tallies, findings, unreadable);
    const score: EntityClusterScoreInput = {
      entityRef: target.entityRef,
      summary: summarize(tallies),
      counts: countFindings(findings),
      failedRules: failedRules(findings),
      findings,
      resources,
      passes: collectPasses(selected.map(passesOf)),
    };
    if (unreadable.size > 0) score.unreadableKinds = sortedKinds(unreadable);
    out.push(score);
  }
  return out;
}
