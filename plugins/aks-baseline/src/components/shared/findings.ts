import {
  FailingRuleSummary,
  ResourceRef,
  RuleInfo,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';

export interface FailingRule {
  ruleId: string;
  baselineRef: string;
  title: string;
  severity: Severity;
  /** One line that says what to change. */
  fix: string;
  /** The first objects it fails on (the backend sends a few). */
  resources: ResourceRef[];
  clusters: string[];
  /** Failing findings of this rule (one per object). */
  failures: number;
}

/**
 * The failing rules the backend prepared (the costliest first), with the
 * rule catalog's title and fix.
 */
export function failingRules(
  summaries: readonly FailingRuleSummary[],
  rules: ReadonlyMap<string, RuleInfo>,
): FailingRule[] {
  return summaries.map(summary => {
    const rule = rules.get(summary.ruleId);
    return {
      ruleId: summary.ruleId,
      baselineRef: summary.baselineRef,
      title: rule?.title ?? summary.ruleId,
      severity: summary.severity,
      fix: rule?.remediation.summary ?? 'See the rule in the findings.',
      resources: summary.resources,
      clusters: summary.clusters,
      failures: summary.failures,
    };
  });
}
