/*
 * Small pure helpers over findings and score summaries, shared by the
 * evaluation service (which computes and stores), the store (which combines
 * per-cluster rows) and the router (which filters).
 */
import {
  CategoryTallies,
  Finding,
  FindingCounts,
  FindingStatus,
  compareSeverity,
  ScoreSummary,
  SeverityCounts,
  addCategoryTallies,
  summarize,
} from '@aks-baseline/plugin-aks-baseline-common';

export function emptySeverityCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}

export function emptyFindingCounts(): FindingCounts {
  return {
    failing: emptySeverityCounts(),
    waived: 0,
    unknown: 0,
    manual: 0,
    notApplicable: 0,
  };
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts = emptyFindingCounts();
  for (const f of findings) {
    switch (f.status) {
      case 'fail':
        counts.failing[f.severity]++;
        break;
      case 'waived':
        counts.waived++;
        break;
      case 'unknown':
        counts.unknown++;
        break;
      case 'manual':
        counts.manual++;
        break;
      case 'not-applicable':
        counts.notApplicable++;
        break;
      default:
        break;
    }
  }
  return counts;
}

export function addFindingCounts(
  into: FindingCounts,
  from: FindingCounts,
): FindingCounts {
  into.failing.critical += from.failing.critical;
  into.failing.high += from.failing.high;
  into.failing.medium += from.failing.medium;
  into.failing.low += from.failing.low;
  into.waived += from.waived;
  into.unknown += from.unknown;
  into.manual += from.manual;
  into.notApplicable += from.notApplicable;
  return into;
}

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
