/*
 * The CI gate. It fails closed: once any gate option is given it fails when
 * nothing scorable was judged, and when any input was skipped or could not
 * be read (unless --allow-skipped), before it looks at the score
 * (--fail-below) and the failing findings (--fail-on). Waived findings
 * never fail it; unknown ones only with --fail-on-unknown (docs/cli.md says
 * why).
 */
import { SEVERITIES, Severity } from '@aks-baseline/plugin-aks-baseline-common';
import { ScanReport } from './report';

export interface GateOptions {
  /** Fails when the score is below this (0–100). */
  failBelow?: number;
  /** Fails on any failing finding of this severity or a more severe one. */
  failOn?: Severity;
  /** Fails on unknown findings too (at or above --fail-on when given, else any). */
  failOnUnknown?: boolean;
  /** Skipped and unreadable inputs do not fail the gate. */
  allowSkipped?: boolean;
}

export interface GateResult {
  passed: boolean;
  failBelow?: number;
  failOn?: Severity;
  failOnUnknown?: boolean;
  allowSkipped?: boolean;
  /** Why it failed, one sentence each; empty when it passed. */
  reasons: string[];
}

/** Whether any gate option was given (without one the scan only reports). */
export function gateIsSet(gate: GateOptions): boolean {
  return (
    gate.failBelow !== undefined ||
    gate.failOn !== undefined ||
    gate.failOnUnknown === true
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 critical, 1 high` for the findings of `status` at or above `limit`. */
function bySeverity(
  report: ScanReport,
  status: 'fail' | 'unknown',
  limit: Severity | undefined,
): { total: number; text: string } {
  const max = limit ? SEVERITIES.indexOf(limit) : SEVERITIES.length - 1;
  const counts = new Map<Severity, number>();
  for (const f of report.findings) {
    if (f.status !== status || SEVERITIES.indexOf(f.severity) > max) continue;
    counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const text = SEVERITIES.filter(s => counts.has(s))
    .map(s => `${counts.get(s)} ${s}`)
    .join(', ');
  return { total, text };
}

export function evaluateGate(
  report: ScanReport,
  options: GateOptions,
): GateResult {
  const result: GateResult = { passed: true, reasons: [] };
  if (options.failBelow !== undefined) result.failBelow = options.failBelow;
  if (options.failOn) result.failOn = options.failOn;
  if (options.failOnUnknown) result.failOnUnknown = true;
  if (options.allowSkipped) result.allowSkipped = true;
  if (!gateIsSet(options)) return result;

  const reasons = result.reasons;
  const { inputs, summary } = report;
  if (summary.score === null) {
    reasons.push(
      `nothing scorable was judged (${plural(
        inputs.objects,
        'object',
      )} evaluated, no check passed or failed)`,
    );
  }
  if (!options.allowSkipped) {
    if (inputs.skipped.length > 0) {
      reasons.push(
        `${plural(
          inputs.skipped.length,
          'input',
        )} skipped, not judged (listed in the report; --allow-skipped accepts them)`,
      );
    }
    const unreadable = Object.keys(inputs.unreadable);
    if (unreadable.length > 0) {
      reasons.push(
        `${plural(unreadable.length, 'kind')} could not be read (${unreadable
          .sort()
          .join(', ')}; --allow-skipped accepts them)`,
      );
    }
  }
  if (
    options.failBelow !== undefined &&
    summary.score !== null &&
    summary.score < options.failBelow
  ) {
    reasons.push(
      `score ${summary.score} is below --fail-below ${options.failBelow}`,
    );
  }
  if (options.failOn) {
    const failing = bySeverity(report, 'fail', options.failOn);
    if (failing.total > 0) {
      reasons.push(
        `${failing.text} finding${
          failing.total > 1 ? 's' : ''
        } at or above --fail-on ${options.failOn}`,
      );
    }
  }
  if (options.failOnUnknown) {
    const unknown = bySeverity(report, 'unknown', options.failOn);
    if (unknown.total > 0) {
      reasons.push(
        `${unknown.text} unknown finding${
          unknown.total > 1 ? 's' : ''
        } (could not be decided)${
          options.failOn ? ` at or above --fail-on ${options.failOn}` : ''
        } with --fail-on-unknown`,
      );
    }
  }
  result.passed = reasons.length === 0;
  return result;
}
