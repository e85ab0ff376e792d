import {
  Finding,
  ResourceRef,
  RuleInfo,
  Severity,
  SEVERITY_WEIGHTS,
  compareSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';

export interface FailingRule {
  ruleId: string;
  baselineRef: string;
  title: string;
  severity: Severity;
  /** One line that says what to change. */
  fix: string;
  resources: ResourceRef[];
  clusters: string[];
  /** Failing findings of this rule. */
  failures: number;
}

/**
 * Failing findings grouped by rule, the costliest first: severity weight
 * times the number of failures, then severity, then id.
 */
export function failingRules(
  findings: readonly Finding[],
  rules: ReadonlyMap<string, RuleInfo>,
): FailingRule[] {
  const byRule = new Map<string, FailingRule>();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    let entry = byRule.get(f.ruleId);
    if (!entry) {
      const rule = rules.get(f.ruleId);
      entry = {
        ruleId: f.ruleId,
        baselineRef: f.baselineRef,
        title: rule?.title ?? f.ruleId,
        severity: f.severity,
        fix: rule?.remediation.summary ?? f.message,
        resources: [],
        clusters: [],
        failures: 0,
      };
      byRule.set(f.ruleId, entry);
    }
    entry.failures++;
    entry.resources.push(f.resource);
    if (f.cluster && !entry.clusters.includes(f.cluster)) {
      entry.clusters.push(f.cluster);
    }
  }
  return [...byRule.values()].sort(
    (a, b) =>
      SEVERITY_WEIGHTS[b.severity] * b.failures -
        SEVERITY_WEIGHTS[a.severity] * a.failures ||
      compareSeverity(a.severity, b.severity) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

const STATUS_ORDER = ['fail', 'unknown', 'waived', 'manual', 'not-applicable'];

/** Failures first, then by severity, rule and resource. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    compareSeverity(a.severity, b.severity) ||
    a.baselineRef.localeCompare(b.baselineRef) ||
    a.ruleId.localeCompare(b.ruleId) ||
    (a.resource.namespace ?? '').localeCompare(b.resource.namespace ?? '') ||
    a.resource.name.localeCompare(b.resource.name)
  );
}
