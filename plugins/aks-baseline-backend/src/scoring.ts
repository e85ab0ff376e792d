/*
 * Small pure helpers over findings and score summaries, shared by the
 * evaluation service (which computes and stores), the store (which combines
 * per-cluster rows) and the router (which filters).
 */
import {
  CategoryTallies,
  Finding,
  FindingStatus,
  compareSeverity,
  ScoreSummary,
  addCategoryTallies,
  summarize,
} from '@aks-baseline/plugin-aks-baseline-common';

// One count of findings for the backend and the CLI, in -common.
export {
  addFindingCounts,
  countFindings,
  emptyFindingCounts,
  emptySeverityCounts,
} from '@aks-baseline/plugin-aks-baseline-common';

/** Failing findings per rule id. */
export function failedRules(
  findings: readonly Finding[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) {
    if (f.status === 'fail') out[f.ruleId] = (out[f.ruleId] ?? 0) + 1;
  }
  return out;
}

export function addCounts(
  into: Record<string, number>,
  from: Record<string, number>,
): Record<string, number> {
  for (const [key, value] of Object.entries(from)) {
    into[key] = (into[key] ?? 0) + value;
  }
  return into;
}

/** The tallies a summary was computed from, by category. */
export function talliesOf(summary: ScoreSummary): CategoryTallies {
  const tallies: CategoryTallies = {};
  for (const c of summary.categories) {
    tallies[c.category] = {
      passed: c.passed,
      failed: c.failed,
      passedWeight: c.passedWeight,
      failedWeight: c.failedWeight,
      unknown: c.unknown,
      waived: c.waived,
      notApplicable: c.notApplicable,
    };
  }
  return tallies;
}

/** One score over several summaries (an entity on several clusters, a team). */
export function combineSummaries(
  summaries: readonly ScoreSummary[],
): ScoreSummary {
  const tallies: CategoryTallies = {};
  for (const s of summaries) addCategoryTallies(tallies, talliesOf(s));
  return summarize(tallies);
}

const STATUS_ORDER: Record<FindingStatus, number> = {
  fail: 0,
  waived: 1,
  unknown: 2,
  manual: 3,
  'not-applicable': 4,
};

/** Failures first, then by severity, rule, cluster and resource. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    compareSeverity(a.severity, b.severity) ||
    a.ruleId.localeCompare(b.ruleId) ||
    (a.cluster ?? '').localeCompare(b.cluster ?? '') ||
    (a.resource.namespace ?? '').localeCompare(b.resource.namespace ?? '') ||
    a.resource.name.localeCompare(b.resource.name)
  );
}
