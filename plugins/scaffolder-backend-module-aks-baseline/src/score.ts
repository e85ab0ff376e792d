/*
 * Scores manifests with the AKS Baseline engine, the way the portal scores
 * clusters: a manifest-mode snapshot (cluster-wide and ARM rules skipped),
 * with the kinds the manifests are complete for declared as provided so
 * their absence counts.
 */
import {
  evaluate,
  EvaluationResult,
  isNamespacedKind,
  kindsToRead,
  KubeObject,
  readSnapshot,
  RULE_CATALOG,
  RuleDefinition,
} from '@aks-baseline/plugin-aks-baseline-node';
import {
  Finding,
  RuleScope,
  ScoreSummary,
} from '@aks-baseline/plugin-aks-baseline-common';
import { Environment } from './manifests';

export interface ScoreOptions {
  /** Snapshot name (the cluster, or the workspace path). */
  name: string;
  /** Namespace for namespaced objects that name none (as `kubectl apply -n`). */
  namespace?: string;
  /** Forces the profile; otherwise namespace labels or non-production. */
  environment?: Environment;
  /** Kinds whose absence is real (the manifests are complete for them). */
  providedKinds?: string[];
  /** BaselineConfig for the engine (rules, parameters, waivers). */
  baseline?: unknown;
  /**
   * Only the rules of these scopes (e.g. `workload` and `object` for a
   * service's manifests, which do not own their namespace); all by default.
   */
  scopes?: RuleScope[];
  /**
   * The rules to run: the built-in catalog by default; the module passes
   * it with the custom rules of the backend's rule packages.
   */
  rules?: readonly RuleDefinition[];
  now?: Date;
}

/** A failing (or unknown) rule, flattened for step outputs and messages. */
export interface RuleProblem {
  ruleId: string;
  baselineRef: string;
  severity: string;
  status: string;
  resource: string;
  message: string;
}

export interface ManifestScore {
  score: number | null;
  grade: string | null;
  summary: ScoreSummary;
  failing: RuleProblem[];
  unknown: RuleProblem[];
  result: EvaluationResult;
}

function describe(f: Finding): RuleProblem {
  const r = f.resource;
  return {
    ruleId: f.ruleId,
    baselineRef: f.baselineRef,
    severity: f.severity,
    status: f.status,
    resource: r.namespace
      ? `${r.kind} ${r.namespace}/${r.name}`
      : `${r.kind} ${r.name}`,
    message: f.message,
  };
}

/** Evaluates parsed objects (or kubectl documents) against the baseline. */
export function scoreObjects(
  documents: { file: string; value?: unknown; text?: string }[],
  options: ScoreOptions,
): ManifestScore {
  const coverage: Record<string, unknown> = { mode: 'manifests' };
  if (options.providedKinds?.length) {
    coverage.providedKinds = options.providedKinds;
  }
  const ruleSet = options.rules ?? RULE_CATALOG;
  const snapshot = readSnapshot({
    name: options.name,
    kubernetes: documents,
    // Custom resources the custom rules read are kept, not ignored.
    kinds: kindsToRead(ruleSet),
    mode: 'manifests',
    coverage: { file: 'coverage', value: coverage },
  });
  const defaultNamespace = options.namespace ?? 'default';
  for (const object of snapshot.objects as KubeObject[]) {
    if (!object.metadata.namespace && isNamespacedKind(object.kind)) {
      object.metadata.namespace = defaultNamespace;
    }
  }
  let config = options.baseline as Record<string, unknown> | undefined;
  if (options.environment) {
    config = { ...(config ?? {}), profile: options.environment };
  }
  const scopes = options.scopes;
  const rules = scopes
    ? ruleSet.filter(rule => scopes.includes(rule.scope))
    : ruleSet;
  const result = evaluate(snapshot, { config, now: options.now, rules });
  const failing: RuleProblem[] = [];
  const unknown: RuleProblem[] = [];
  for (const finding of result.findings) {
    if (finding.status === 'fail') failing.push(describe(finding));
    else if (finding.status === 'unknown') unknown.push(describe(finding));
  }
  return {
    score: result.summary.score,
    grade: result.summary.grade,
    summary: result.summary,
    failing,
    unknown,
    result,
  };
}

/** One line per failing rule: `[NW-03] namespace-default-deny-ingress on Namespace shop: ...`. */
export function formatProblems(problems: readonly RuleProblem[]): string {
  return problems
    .map(
      p =>
        `- [${p.baselineRef}] ${p.ruleId} (${p.severity}) on ${p.resource}: ${p.message}`,
    )
    .join('\n');
}
