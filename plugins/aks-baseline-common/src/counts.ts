import { FindingCounts, SeverityCounts } from './api';
import { Finding } from './finding';

/** @public */
export function emptySeverityCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}

/** @public */
export function emptyFindingCounts(): FindingCounts {
  return {
    failing: emptySeverityCounts(),
    waived: 0,
    unknown: 0,
    manual: 0,
    notApplicable: 0,
  };
}

/**
 * Findings counted by status, failures by severity (the backend's and the CLI's counts).
 *
 * @public
 */
export function countFindings(
  findings: readonly Pick<Finding, 'status' | 'severity'>[],
): FindingCounts {
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

/** @public */
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
