/*
 * JSON output, schema version 1 (docs/cli.md describes it). Fields are only
 * ever added; a breaking change bumps `version`.
 */
import { findingFix, ReportFinding, ScanReport } from '../report';
import { upgradeReadinessOf } from '../upgrade';
import { FormatContext, judgedOf, reportCounts } from './common';
import { jsonChunks, lazyList } from './json-stream';

export const JSON_SCHEMA_VERSION = 1;

/** The finding as written, with its fix when its rule has one. */
function withFix<T extends object>(f: ReportFinding, written: T) {
  const fix = findingFix(f);
  return fix ? { ...written, fix } : written;
}

/** With the managed cluster read: its upgrade readiness, as the portal's. */
function upgradeField(report: ScanReport) {
  const upgradeReadiness = upgradeReadinessOf(report);
  return upgradeReadiness ? { upgradeReadiness } : {};
}

export function* formatJson(ctx: FormatContext): Generator<string> {
  const { report, gate } = ctx;
  const ruleIds = new Set(report.findings.map(f => f.ruleId));
  const out = {
    version: JSON_SCHEMA_VERSION,
    tool: report.tool,
    mode: report.mode,
    ...(report.cluster ? { cluster: report.cluster } : {}),
    profile: report.profile,
    evaluatedAt: report.evaluatedAt,
    score: {
      score: report.summary.score,
      grade: report.summary.grade,
      totals: report.summary.totals,
      categories: report.summary.categories,
    },
    gate,
    counts: reportCounts(report.findings),
    // How much was judged: objects evaluated, skipped, ignored; checks by outcome.
    judged: judgedOf(report),
    inputs: {
      ...report.inputs,
      skipped: lazyList(report.inputs.skipped, s => s),
    },
    stats: report.stats,
    ...(report.admission ? { admission: report.admission } : {}),
    ...upgradeField(report),
    // Rule metadata once per rule that has a finding, not once per finding.
    rules: report.rules
      .filter(r => ruleIds.has(r.id))
      .map(r => ({
        id: r.id,
        baselineRef: r.baselineRef,
        category: r.category,
        severity: r.severity,
        title: r.title,
        rationale: r.rationale,
        remediation: r.remediation,
      })),
    // Written one by one: a report of any size streams out.
    // Each failure's fix is worked out by its rule as the finding is written.
    findings: lazyList(report.findings, f =>
      withFix(f, {
        ruleId: f.ruleId,
        baselineRef: f.baselineRef,
        category: f.category,
        severity: f.severity,
        status: f.status,
        message: f.message,
        resource: f.resource,
        location: f.location ?? null,
        ...(f.evidence ? { evidence: f.evidence } : {}),
        ...(f.waiver ? { waiver: f.waiver } : {}),
        ...(f.admission ? { admission: f.admission } : {}),
      }),
    ),
  };
  yield* jsonChunks(out);
  yield '\n';
}
