/*
 * The evaluator: every enabled rule on every subject of its scope, passes
 * counted into per-subject tallies (never stored one by one), everything else
 * stored as findings. Scores are computed from the tallies by -common.
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
  addCategoryTallies,
  emptyTally,
  explainScore,
  summarize,
} from '@aks-baseline/plugin-aks-baseline-common';
import { RULE_CATALOG } from '../rules';
import { resolveConfig, ResolvedConfig } from './config';
import { buildObjectIndex } from './object-index';
import {
  buildClusterView,
  checkSubject,
  clusterRef,
  gateRule,
  MutableRuleContext,
  SubjectEntry,
  Subjects,
} from './subjects';
import {
  AnyRuleDefinition,
  BaselineConfig,
  CheckOutcome,
  ClusterSnapshot,
  EvaluationResult,
  KubeObject,
  SubjectResult,
} from './types';
import { findWaiverFor, WAIVER_ANNOTATION_PREFIX } from './waivers';

export interface EvaluateOptions {
  /** Defaults to the whole {@link RULE_CATALOG}. */
  rules?: readonly AnyRuleDefinition[];
  /** Validated here: an unknown rule id or bad value throws BaselineConfigError. */
  config?: BaselineConfig | unknown;
  /** The evaluation time (waiver expiry, certificate dates); defaults to now. */
  now?: Date;
}

/** Per-evaluation state kept on the subject entries (created per evaluation). */
interface SubjectState extends SubjectEntry {
  tallies?: CategoryTallies;
  /** Namespace object, for namespace-wide waiver annotations. */
  namespaceObject?: KubeObject;
}

/** A stable key for a resource reference: `kind/namespace/name`. */
export function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Evaluates a snapshot against the rules.
 *
 * - ARM rules are skipped without a managed cluster; cluster-scope
 *   Kubernetes rules are skipped on manifest scans.
 * - A rule reading an absent CRD kind yields one rule-level not-applicable
 *   finding; an unreadable kind one rule-level unknown finding. Either way
 *   each subject's tally counts it.
 * - Profile mismatches and `appliesTo` false count as not-applicable.
 * - Failures are waived by a valid annotation or config waiver (outside the
 *   score), or stay failures with `waiver.expired` when it has lapsed.
 * - Manual rules yield one `manual` finding each, outside the score.
 */
export function evaluate(
  snapshot: ClusterSnapshot,
  options: EvaluateOptions = {},
): EvaluationResult {
  const rules = options.rules ?? RULE_CATALOG;
  const config: ResolvedConfig = resolveConfig(options.config, rules);
  const now = options.now ?? new Date();
  const params = config.params;
  const cluster = buildClusterView(snapshot, params, config.profile);
  const index = buildObjectIndex(snapshot, cluster, params);
  const subjects = new Subjects(cluster, index, params);
  const clusterName =
    snapshot.coverage.mode === 'manifests' && !snapshot.managedCluster
      ? undefined
      : snapshot.name;
  const ctx: MutableRuleContext = {
    cluster,
    index,
    params,
    profile: cluster.profile,
    now,
  };

  // Subjects in the order they were first checked; their tallies live on them.
  const touched: SubjectState[] = [];
  const stateOf = (entry: SubjectEntry): SubjectState => {
    const state = entry as SubjectState;
    if (!state.tallies) {
      state.tallies = {};
      if (entry.namespace && entry.scope !== 'namespace') {
        state.namespaceObject = index.namespace(entry.namespace)?.object;
      }
      touched.push(state);
    }
    return state;
  };
  // Cluster and pools are subjects even when every rule is skipped.
  for (const entry of subjects.cluster) stateOf(entry);

  const findings: Finding[] = [];
  let ruleCount = 0;
  let checks = 0;
  const clusterResource = clusterRef(cluster);

  for (const rule of rules) {
    const override = config.overrides.get(rule.id);
    if (override?.enabled === false) continue;
    const severity: Severity = override?.severity ?? rule.severity;
    const weight = SEVERITY_WEIGHTS[severity];
    const category = rule.category;
    const annotationKey = WAIVER_ANNOTATION_PREFIX + rule.id;
    const ruleWaivers = config.waivers.filter(w => w.ruleId === rule.id);
    const base = (
      status: Finding['status'],
      resource: ResourceRef,
      message: string,
    ): Finding => {
      const finding: Finding = {
        ruleId: rule.id,
        baselineRef: rule.baselineRef,
        category,
        severity,
        status,
        resource,
        message,
      };
      if (clusterName !== undefined) finding.cluster = clusterName;
      return finding;
    };

    if (rule.manual) {
      // A manifest scan describes no cluster to hold a checklist for.
      if (snapshot.coverage.mode === 'manifests' && !snapshot.managedCluster) {
        continue;
      }
      ruleCount++;
      findings.push(base('manual', clusterResource, rule.manual.reason));
      continue;
    }
    const gate = gateRule(rule, snapshot, index);
    if (gate?.action === 'skip') continue;
    ruleCount++;
    const entries = subjects.forRule(rule);

    if (gate) {
      findings.push(base(gate.action, clusterResource, gate.message));
      for (const entry of entries) {
        checks++;
        const tally = tallyOf(stateOf(entry), category);
        if (gate.action === 'unknown') tally.unknown++;
        else tally.notApplicable++;
      }
      continue;
    }

    for (const entry of entries) {
      checks++;
      let outcome: CheckOutcome;
      try {
        outcome = checkSubject(rule, entry, ctx);
      } catch (error) {
        // A broken rule must not sink the evaluation: it is unknown, loudly.
        outcome = {
          status: 'unknown',
          message: `The rule failed to run: ${errorMessage(error)}`,
        };
      }
      const state = stateOf(entry);
      const tally = tallyOf(state, category);
      switch (outcome.status) {
        case 'pass':
          tally.passed++;
          tally.passedWeight += weight;
          break;
        case 'not-applicable':
          tally.notApplicable++;
          break;
        case 'unknown': {
          tally.unknown++;
          const f = base('unknown', entry.ref, outcome.message ?? 'Unknown');
          if (outcome.evidence) f.evidence = outcome.evidence;
          findings.push(f);
          break;
        }
        default: {
          let message = outcome.message ?? rule.title;
          const match = findWaiverFor(
            rule.id,
            annotationKey,
            entry.object,
            state.namespaceObject,
            ruleWaivers,
            () => ({
              cluster: snapshot.name,
              namespace: entry.namespace,
              kind: entry.ref.kind,
              name: entry.ref.name,
            }),
            now,
          );
          const waived = match?.waiver && !match.waiver.expired;
          if (waived) {
            tally.waived++;
          } else {
            tally.failed++;
            tally.failedWeight += weight;
            if (match?.problem) message = `${message} (${match.problem})`;
          }
          const f = base(waived ? 'waived' : 'fail', entry.ref, message);
          if (outcome.evidence) f.evidence = outcome.evidence;
          if (match?.waiver) f.waiver = match.waiver;
          findings.push(f);
        }
      }
    }
  }

  const subjectResults: SubjectResult[] = [];
  const totals: CategoryTallies = {};
  for (const state of touched) {
    const result: SubjectResult = {
      ref: state.ref,
      scope: state.scope,
      tallies: state.tallies!,
    };
    if (state.labels) result.labels = state.labels;
    subjectResults.push(result);
    addCategoryTallies(totals, state.tallies!);
  }

  return {
    cluster: snapshot.name,
    evaluatedAt: now.toISOString(),
    profile: cluster.profile,
    findings,
    subjects: subjectResults,
    summary: summarize(totals),
    stats: {
      objects: snapshot.objects.length,
      ignoredKinds: { ...snapshot.ignoredKinds },
      rules: ruleCount,
      checks,
    },
  };
}

function tallyOf(state: SubjectState, category: Finding['category']): Tally {
  const tallies = state.tallies!;
  let tally = tallies[category];
  if (!tally) {
    tally = emptyTally();
    tallies[category] = tally;
  }
  return tally;
}

/** The score of a set of subjects (an entity's workloads, a namespace, ...). */
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

/** Each failing finding's cost in score points, most expensive first. */
export function explainSubjects(score: SubjectsScore): ScoreCost[] {
  return explainScore(score.findings, score.summary.totals);
}

/** Explains a whole evaluation's score. */
export function explainResult(result: EvaluationResult): ScoreCost[] {
  return explainScore(result.findings, result.summary.totals);
}

/** Selects the subjects in a namespace, including the Namespace itself. */
export function inNamespace(
  namespace: string,
): (subject: SubjectResult) => boolean {
  return s =>
    s.ref.namespace === namespace ||
    (s.ref.kind === 'Namespace' && s.ref.name === namespace);
}
