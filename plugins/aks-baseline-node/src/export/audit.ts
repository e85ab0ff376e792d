/*
 * What an audit export holds: every check of an evaluation, passed ones
 * too, with evidence, waivers and frameworks; rendered as CSV (csv.ts) or a
 * printable HTML report (html.ts) by the CLI and the backend alike, so the
 * same findings give the same file.
 */
import {
  Category,
  Evidence,
  Finding,
  FindingAdmission,
  FindingStatus,
  ResourceRef,
  RuleFrameworks,
  Severity,
  Waiver,
} from '@aks-baseline/plugin-aks-baseline-common';

/**
 * One row of the export: one check, or the passed checks of one subject.
 *
 * @public
 */
export interface AuditCheck {
  status: 'pass' | FindingStatus;
  /**
   * How many checks the row stands for: 1 for a finding; for a `pass` row,
   * the checks that passed on its subject (the engine counts passes per
   * subject without naming their rules).
   */
  checks: number;
  ruleId?: string;
  baselineRef?: string;
  category?: Category;
  severity?: Severity;
  title?: string;
  resource: ResourceRef;
  /** Where the object was read (manifest scans). */
  file?: string;
  line?: number;
  message: string;
  evidence?: readonly Evidence[];
  waiver?: Waiver;
  /** What the cluster's Deployment Safeguards do with the object at admission. */
  admission?: FindingAdmission;
  frameworks?: RuleFrameworks;
}

/**
 * An evaluation to export.
 *
 * @public
 */
export interface AuditExport {
  /** What was evaluated, e.g. `Cluster aks-prod` or `Entity component:default/shop`. */
  subject: string;
  cluster?: string;
  /** ISO timestamp of the evaluation. */
  evaluatedAt: string;
  profile?: string;
  score: number | null;
  grade: string | null;
  /** Findings first (in the order given), then passes. */
  checks: readonly AuditCheck[];
}

/**
 * The rule metadata an export row takes from its rule.
 *
 * @public
 */
export interface AuditRuleInfo {
  title: string;
  frameworks?: RuleFrameworks;
}

/**
 * A finding as an export row.
 *
 * @public
 */
export function findingCheck(
  finding: Finding,
  rule: AuditRuleInfo | undefined,
  location?: { file: string; line: number },
): AuditCheck {
  return {
    status: finding.status,
    checks: 1,
    ruleId: finding.ruleId,
    baselineRef: finding.baselineRef,
    category: finding.category,
    severity: finding.severity,
    title: rule?.title,
    resource: finding.resource,
    file: location?.file,
    line: location?.line,
    message: finding.message,
    evidence: finding.evidence,
    waiver: finding.waiver,
    admission: finding.admission,
    frameworks: rule?.frameworks,
  };
}

/**
 * The passed checks of one subject as an export row (none when nothing passed).
 *
 * @public
 */
export function passedChecks(
  resource: ResourceRef,
  passed: number,
  location?: { file: string; line: number },
): AuditCheck[] {
  if (passed <= 0) return [];
  return [
    {
      status: 'pass',
      checks: passed,
      resource,
      file: location?.file,
      line: location?.line,
      message: `${passed} check${passed === 1 ? '' : 's'} passed`,
    },
  ];
}

/**
 * `path = value (expected: …)`, one per evidence item, `; `-separated.
 *
 * @public
 */
export function evidenceText(
  evidence: readonly Evidence[] | undefined,
): string {
  return (evidence ?? [])
    .map(e => {
      const value =
        e.value === undefined ? '(absent)' : JSON.stringify(e.value) ?? '';
      return `${e.path} = ${value}${
        e.expected ? ` (expected: ${e.expected})` : ''
      }`;
    })
    .join('; ');
}

/**
 * The frameworks' cells: CIS ids, the Pod Security Standards level, Azure Policy names.
 *
 * @public
 */
export function frameworkTexts(f: RuleFrameworks | undefined): {
  cis: string;
  pss: string;
  policy: string;
} {
  const pss = f?.podSecurityStandards;
  return {
    cis: (f?.cisAks ?? []).join(', '),
    pss: pss?.level ?? '',
    policy: (f?.azurePolicy ?? [])
      .map(
        p => `${p.displayName}${p.deploymentSafeguards ? ' (Safeguards)' : ''}`,
      )
      .join('; '),
  };
}
