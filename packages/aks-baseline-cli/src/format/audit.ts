import {
  AuditCheck,
  AuditExport,
  findingCheck,
  passedChecks,
  RULE_CATALOG,
} from '@aks-baseline/plugin-aks-baseline-node';
import { ScanReport } from '../report';
import { plural } from './common';

/** The frameworks of the built-in rules (a custom rule's are not in the report). */
const FRAMEWORKS = new Map(RULE_CATALOG.map(r => [r.id, r.frameworks]));

/** The scan as an audit export: every finding, then each subject's passed checks. */
export function auditOfReport(report: ScanReport): AuditExport {
  const titles = new Map(report.rules.map(r => [r.id, r.title]));
  const checks: AuditCheck[] = report.findings.map(f =>
    findingCheck(
      {
        ruleId: f.ruleId,
        baselineRef: f.baselineRef,
        category: f.category,
        severity: f.severity,
        status: f.status,
        resource: f.resource,
        message: f.message,
        evidence: f.evidence,
        waiver: f.waiver,
      },
      {
        title: titles.get(f.ruleId) ?? f.title,
        frameworks: FRAMEWORKS.get(f.ruleId),
      },
      f.location,
    ),
  );
  for (const s of report.subjects) {
    checks.push(...passedChecks(s.resource, s.passed, s.location));
  }
  return {
    subject: report.cluster
      ? `Cluster ${report.cluster}`
      : `Manifests (${plural(report.inputs.files.length, 'file')})`,
    cluster: report.cluster,
    evaluatedAt: report.evaluatedAt,
    profile: report.profile,
    score: report.summary.score,
    grade: report.summary.grade,
    checks,
  };
}
