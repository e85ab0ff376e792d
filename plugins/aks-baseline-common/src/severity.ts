/**
 * How much a failing check matters. Required (필수) baseline items are high or critical.
 *
 * @public
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/**
 * Most severe first.
 *
 * @public
 */
export const SEVERITIES: readonly Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
];

/**
 * Weight of one check of each severity in every score. A critical failure
 * costs as much as ten low ones; see docs/scoring.md for why.
 *
 * @public
 */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 10,
  high: 5,
  medium: 2,
  low: 1,
};

/**
 * Negative when `a` is more severe than `b`; for sorting.
 *
 * @public
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** @public */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as string[]).includes(value);
}
