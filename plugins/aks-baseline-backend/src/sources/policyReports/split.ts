/*
 * A snapshot read with the Policy Report kinds, split in two: the snapshot
 * the baseline evaluates (exactly as if the reports had not been asked
 * for), and what was read of the reports: their results, "not installed"
 * (their CRD is absent: none), or unreadable with the reason (e.g. 403:
 * never taken for "no reports").
 */
import type {
  PolicyReportResultItem,
  PolicyReportsStatus,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { ClusterSnapshot } from '@aks-baseline/plugin-aks-baseline-node';
import { POLICY_REPORT_KIND_NAMES } from './kinds';
import { resultsOfReport } from './parse';

/** What a read found of a cluster's Policy Reports. */
export interface PolicyReportsRead {
  status: PolicyReportsStatus;
  reason?: string;
  results: PolicyReportResultItem[];
}

function without<T>(
  record: Record<string, T>,
  names: ReadonlySet<string>,
): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).filter(([kind]) => !names.has(kind)),
  );
}

export function splitPolicyReports(read: ClusterSnapshot): {
  snapshot: ClusterSnapshot;
  policyReports: PolicyReportsRead;
} {
  const names = POLICY_REPORT_KIND_NAMES;
  const reports = read.objects.filter(o => names.has(o.kind));
  const unreadable = Object.entries(read.coverage.unreadable).filter(([k]) =>
    names.has(k),
  );
  const absent = read.coverage.absentKinds.filter(k => names.has(k));

  let policyReports: PolicyReportsRead;
  if (unreadable.length > 0) {
    // One of the two kinds could not be read: what was read is partial.
    policyReports = {
      status: 'unreadable',
      reason: unreadable.map(([kind, why]) => `${kind}: ${why}`).join('; '),
      results: [],
    };
  } else if (absent.length === names.size) {
    policyReports = { status: 'not-installed', results: [] };
  } else {
    policyReports = {
      status: 'read',
      results: reports.flatMap(resultsOfReport),
    };
  }

  const snapshot: ClusterSnapshot = {
    ...read,
    objects: reports.length
      ? read.objects.filter(o => !names.has(o.kind))
      : read.objects,
    coverage: {
      ...read.coverage,
      unreadable: without(read.coverage.unreadable, names),
      absentKinds: read.coverage.absentKinds.filter(k => !names.has(k)),
    },
    ignoredKinds: without(read.ignoredKinds, names),
  };
  if (read.customKinds) {
    const customKinds = read.customKinds.filter(k => !names.has(k.kind));
    if (customKinds.length > 0) snapshot.customKinds = customKinds;
    else delete snapshot.customKinds;
  }
  if (read.skipped) {
    snapshot.skipped = read.skipped.filter(s => !names.has(s.kind));
  }
  return { snapshot, policyReports };
}
