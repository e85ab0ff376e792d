import {
  CATEGORY_TITLES,
  countFindings,
  SEVERITIES,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { GateResult, gateIsSet } from '../gate';
import { ReportFinding, ScanReport, SkippedDocument } from '../report';

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

/** The counts of the JSON report: common's `countFindings` with a total of failures. */
export function reportCounts(findings: readonly ReportFinding[]): Counts {
  const counts = countFindings(findings);
  const { critical, high, medium, low } = counts.failing;
  return {
    fail: critical + high + medium + low,
    waived: counts.waived,
    unknown: counts.unknown,
    notApplicable: counts.notApplicable,
    manual: counts.manual,
    bySeverity: counts.failing,
  };
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

/** A category's score, or `not judged` when none of its checks passed or failed. */
export function categoryScoreText(score: number | null): string {
  return score === null ? 'not judged' : String(score);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** How much was judged: what every format states next to the score. */
export interface Judged {
  /** Objects the engine evaluated. */
  objects: number;
  files: number;
  /** Inputs read but not judged (listed one by one). */
  skipped: number;
  /** Objects of kinds no rule reads (counted by kind). */
  ignored: number;
  /** Kinds a snapshot could not read. */
  unreadable: number;
  /** Checks (one rule on one subject) by outcome. */
  checks: {
    passed: number;
    failed: number;
    waived: number;
    unknown: number;
    notApplicable: number;
  };
}

export function judgedOf(report: ScanReport): Judged {
  const { inputs } = report;
  const t = report.summary.totals;
  return {
    objects: inputs.objects,
    files: inputs.files.length,
    skipped: inputs.skipped.length,
    ignored: Object.values(inputs.ignoredKinds).reduce((a, b) => a + b, 0),
    unreadable: Object.keys(inputs.unreadable).length,
    checks: {
      passed: t.passed,
      failed: t.failed,
      waived: t.waived,
      unknown: t.unknown,
      notApplicable: t.notApplicable,
    },
  };
}

/** `ConfigMap 3, Secret 1`. */
export function ignoredKindsText(report: ScanReport): string {
  return Object.entries(report.inputs.ignoredKinds)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
}

/** `5 objects evaluated in 1 file · 0 skipped · 1 ignored (kinds no rule reads: Secret 1)`. */
export function judgedText(report: ScanReport, separator = ' · '): string {
  const j = judgedOf(report);
  const parts = [
    `${plural(j.objects, 'object')} evaluated in ${plural(j.files, 'file')}`,
    `${j.skipped} skipped`,
    `${j.ignored} ignored${
      j.ignored ? ` (kinds no rule reads: ${ignoredKindsText(report)})` : ''
    }`,
  ];
  if (j.unreadable) {
    parts.push(
      `${plural(j.unreadable, 'kind')} unreadable (${Object.keys(
        report.inputs.unreadable,
      )
        .sort()
        .join(', ')})`,
    );
  }
  return parts.join(separator);
}

/** `17 passed · 16 failed (5 high, 11 medium) · 0 waived · 0 unknown · 18 not applicable`. */
export function checksText(report: ScanReport, separator = ' · '): string {
  const c = judgedOf(report).checks;
  const failed = describeFailures(reportCounts(report.findings)).replace(
    /^\d+/,
    String(c.failed),
  );
  return [
    `${c.passed} passed`,
    failed,
    `${c.waived} waived`,
    `${c.unknown} unknown`,
    `${c.notApplicable} not applicable`,
  ].join(separator);
}

export function gateText(gate: GateResult, report: ScanReport): string {
  if (!gateIsSet(gate)) {
    return 'no gate set (use --fail-below, --fail-on or --fail-on-unknown)';
  }
  // What the gate let through, named whether it passed or not.
  const notes: string[] = [];
  const j = judgedOf(report);
  if (gate.allowSkipped) {
    notes.push(
      `--allow-skipped: ${j.skipped} skipped${
        j.unreadable ? `, ${plural(j.unreadable, 'kind')} unreadable` : ''
      }, not judged`,
    );
  }
  const unknown = reportCounts(report.findings).unknown;
  if (!gate.failOnUnknown && unknown > 0) {
    notes.push(
      `${plural(unknown, 'unknown finding')} not gated (--fail-on-unknown)`,
    );
  }
  const tail = notes.map(n => `; ${n}`).join('');
  if (!gate.passed) return `FAILED: ${gate.reasons.join('; ')}${tail}`;
  const parts: string[] = [];
  if (gate.failBelow !== undefined) parts.push(`score ≥ ${gate.failBelow}`);
  if (gate.failOn) parts.push(`no ${gate.failOn} or worse finding`);
  if (gate.failOnUnknown) {
    parts.push(
      gate.failOn ? `no ${gate.failOn} or worse unknown` : 'nothing unknown',
    );
  }
  return `passed (${parts.join(', ')})${tail}`;
}

/** `file:line` of a skipped input, or the file alone. */
export function skippedPlace(s: SkippedDocument): string {
  return s.line !== undefined ? `${s.file}:${s.line}` : s.file;
}

/** `file:line`, or `-` when the finding has no place in the inputs. */
export function locationText(f: ReportFinding): string {
  return f.location ? `${f.location.file}:${f.location.line}` : '-';
}
