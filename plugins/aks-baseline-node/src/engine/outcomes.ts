/*
 * Outcome helpers for rule checks: `PASS` (shared and frozen), `fail`,
 * `unknown`, `notApplicable` and `notProvided`.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { notProvidedReason } from './object-index';
import { CheckOutcome } from './rule';

/**
 * The one passing outcome every rule returns; frozen, never mutate it.
 *
 * @public
 */
export const PASS: CheckOutcome = Object.freeze({ status: 'pass' as const });

/**
 * The engine's failure without words, when deciding container rules (the
 * words come when the finding is read); not for rules.
 */
export const FAIL: CheckOutcome = Object.freeze({ status: 'fail' as const });

/**
 * Returns the shared {@link PASS}.
 *
 * @public
 */
export function pass(): CheckOutcome {
  return PASS;
}

/**
 * A failure: the message says what is wrong, the evidence where it was read.
 *
 * @public
 */
export function fail(message: string, evidence?: Evidence[]): CheckOutcome {
  return evidence
    ? { status: 'fail', message, evidence }
    : { status: 'fail', message };
}

/**
 * The rule could not decide (data missing or unreadable); never a pass.
 *
 * @public
 */
export function unknown(message: string, evidence?: Evidence[]): CheckOutcome {
  return evidence
    ? { status: 'unknown', message, evidence }
    : { status: 'unknown', message };
}

/**
 * The rule does not apply to this subject; counted, not stored per subject.
 *
 * @public
 */
export function notApplicable(message: string): CheckOutcome {
  return { status: 'not-applicable', message };
}

/**
 * The check could not be made on a manifest scan: `kind` is not among the
 * manifests for `namespace` (`kindStatus` says `not-provided`), and the
 * verdict would rest on its absence. The engine reports it once per rule,
 * kind and namespace.
 *
 * @public
 */
export function notProvided(kind: string, namespace: string): CheckOutcome {
  return {
    status: 'unknown',
    message: notProvidedReason(kind, namespace || undefined),
    notProvided: { kind, namespace },
  };
}
