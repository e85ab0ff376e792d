/*
 * The CI gate: fails when the score is below --fail-below or a failing
 * finding is at or above --fail-on. Waived and unknown findings never fail it.
 */
import { SEVERITIES, Severity } from '@aks-baseline/plugin-aks-baseline-common';
import { ScanReport } from './report';

export interface GateOptions {
  /** Fails when the score is below this (0–100). */
  failBelow?: number;
  /** Fails on any failing finding of this severity or a more severe one. */
  failOn?: Severity;
}

export interface GateResult {
  passed: boolean;
  failBelow?: number;
  failOn?: Severity;
  /** Why it failed, one sentence each; empty when it passed. */
  reasons: string[];
}

export function evaluateGate(
  report: ScanReport,
  options: GateOptions,
): GateResult {
  const reasons: string[] = [];
  const score = report.summary.score;
  if (
    options.failBelow !== undefined &&
    score !== null &&
    score < options.failBelow
  ) {
    reasons.push(`score ${score} is below --fail-below ${options.failBelow}`);
  }
  if (options.failOn) {
    const limit = SEVERITIES.indexOf(options.failOn);
    const counts = new Map<Severity, number>();
    for (const f of report.findings) {
      if (f.status !== 'fail') continue;
      if (SEVERITIES.indexOf(f.severity) > limit) continue;
      counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    }
    if (counts.size > 0) {
      const parts = SEVERITIES.filter(s => counts.has(s)).map(
        s => `${counts.get(s)} ${s}`,
      );
      reasons.push(
        `${parts.join(', ')} finding${
          [...counts.values()].reduce((a, b) => a + b, 0) > 1 ? 's' : ''
        } at or above --fail-on ${options.failOn}`,
      );
    }
  }
  const result: GateResult = { passed: reasons.length === 0, reasons };
  if (options.failBelow !== undefined) result.failBelow = options.failBelow;
  if (options.failOn) result.failOn = options.failOn;
  return result;
}
