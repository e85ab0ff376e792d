/*
 * Policy Reports (wgpolicyk8s.io/v1alpha2) that other tools (Kyverno,
 * Trivy, Kubescape...) left in a cluster, as the backend serves them: their
 * own findings, beside the baseline's and never part of its score.
 */
import { ResourceRef } from './finding';

/**
 * A result as the report states it (the CRD's `result` enum).
 *
 * @public
 */
export type PolicyReportResultValue =
  | 'pass'
  | 'fail'
  | 'warn'
  | 'error'
  | 'skip';

/**
 * The results a report can hold, in the order they are shown.
 *
 * @public
 */
export const POLICY_REPORT_RESULT_VALUES: readonly PolicyReportResultValue[] = [
  'fail',
  'error',
  'warn',
  'skip',
  'pass',
];

/**
 * The CRD's `severity` enum.
 *
 * @public
 */
export type PolicyReportSeverity =
  | 'critical'
  | 'high'
  | 'medium'
  | 'low'
  | 'info';

/**
 * One result of a PolicyReport or ClusterPolicyReport.
 *
 * @public
 */
export interface PolicyReportResultItem {
  /** The tool that wrote it: the result's `source` (`kyverno`, `trivy`...). */
  source: string;
  policy: string;
  rule?: string;
  category?: string;
  severity?: PolicyReportSeverity;
  result: PolicyReportResultValue;
  message?: string;
  /** The object it is about: its first `resources` entry, else the report's `scope`. */
  resource?: ResourceRef;
  /** The report it was read from. */
  report: {
    kind: 'PolicyReport' | 'ClusterPolicyReport';
    name: string;
    namespace?: string;
  };
  /** When the tool found it (ISO 8601), if the report says. */
  timestamp?: string;
}

/**
 * What was read of a cluster's Policy Reports at its last evaluation:
 * `read` (the reports, maybe none), `not-installed` (the CRDs are not
 * installed: no reports), or `unreadable` (e.g. 403: not known, never
 * "no reports").
 *
 * @public
 */
export type PolicyReportsStatus = 'read' | 'not-installed' | 'unreadable';

/**
 * One cluster's Policy Reports, as far as the caller may see them.
 *
 * @public
 */
export interface ClusterPolicyReports {
  cluster: string;
  status: PolicyReportsStatus;
  /** Why the reports could not be read (`unreadable`). */
  reason?: string;
  /** When they were read (the cluster's evaluation). */
  readAt: string;
  /** Every result of the answer's scope, by result. */
  counts: Record<PolicyReportResultValue, number>;
  /** The results that are not a pass or a skip (fail, error, warn), worst first, bounded. */
  results: PolicyReportResultItem[];
  /** More results than were stored or listed: the counts and the list are partial. */
  truncated: boolean;
}

/**
 * `GET /clusters/:name/policy-reports` and
 * `GET /entities/:namespace/:kind/:name/policy-reports`.
 *
 * @public
 */
export interface PolicyReportsResponse {
  /** False when the backend does not read Policy Reports (`aksBaseline.policyReports.enabled`). */
  enabled: boolean;
  clusters: ClusterPolicyReports[];
}
