/*
 * Policy Reports other tools left in a cluster, read by the cluster sources
 * with the rules' kinds and kept apart from the baseline's findings.
 */
export { POLICY_REPORT_KINDS, withPolicyReportKinds } from './kinds';
export { splitPolicyReports } from './split';
export type { PolicyReportsRead } from './split';
