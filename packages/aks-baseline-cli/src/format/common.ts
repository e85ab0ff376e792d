import {
  CATEGORY_TITLES,
  FindingStatus,
  SEVERITIES,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { GateResult } from '../gate';
import { ReportFinding, ScanReport } from '../report';

export interface FormatContext {
  report: ScanReport;
  gate: GateResult;
  /** ANSI colours (table only, when writing to a terminal). */
  color?: boolean;
  /** JUnit: one testsuite per input file (default) or per rule category. */
  junitGroup?: 'file' | 'category';
}

/** The report in pieces, written as they come (never one giant string). */
export type Formatter = (ctx: FormatContext) => Iterable<string>;

export interface Counts {
  fail: number;
  waived: number;
  unknown: number;
  notApplicable: number;
  manual: number;
  /** Failing findings by severity. */
  bySeverity: Record<Severity, number>;
}

export function countFindings(findings: readonly ReportFinding[]): Counts {
  const counts: Counts = {
    fail: 0,
    waived: 0,
    unknown: 0,
    notApplicable: 0,
    manual: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
  };
  for (const f of findings) {
    switch (f.status as FindingStatus) {
      case 'fail':
        counts.fail++;
        counts.bySeverity[f.severity]++;
        break;
      case 'waived':
        counts.waived++;
        break;
      case 'unknown':
        counts.unknown++;
        break;
      case 'not-applicable':
        counts.notApplicable++;
        break;
      default:
        counts.manual++;
    }
  }
  return counts;
}

/** `3 failed (1 critical, 2 high)`. */
export function describeFailures(counts: Counts): string {
  const parts = SEVERITIES.filter(s => counts.bySeverity[s] > 0).map(
    s => `${counts.bySeverity[s]} ${s}`,
  );
  return `${counts.fail} failed${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export function scoreText(report: ScanReport): string {
  const { score, grade } = report.summary;
  return score === null
    ? 'no score (nothing scorable was evaluated)'
    : `${score}/100 (${grade})`;
}

export function categoryTitle(category: string): string {
  return (CATEGORY_TITLES as Record<string, string>)[category] ?? category;
}

export function gateText(gate: GateResult): string {
  if (gate.failBelow === undefined && gate.failOn === undefined) {
    return 'no gate set (use --fail-below or --fail-on)';
  }
  if (gate.passed) {
    const parts: string[] = [];
    if (gate.failBelow !== undefined) parts.push(`score ≥ ${gate.failBelow}`);
    if (gate.failOn) parts.push(`no ${gate.failOn} or worse finding`);
    return `passed (${parts.join(', ')})`;
  }
  return `FAILED: ${gate.reasons.join('; ')}`;
}

/** `file:line`, or `-` when the finding has no place in the inputs. */
export function locationText(f: ReportFinding): string {
  return f.location ? `${f.location.file}:${f.location.line}` : '-';
}
