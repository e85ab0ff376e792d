/*
 * Outcome helpers for rule checks. A passing check returns the shared, frozen
 * `PASS` so that the hot path allocates nothing.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { CheckOutcome } from './types';

/** The one passing outcome every rule returns; frozen, never mutate it. */
export const PASS: CheckOutcome = Object.freeze({ status: 'pass' as const });

/**
 * The failure without its words, for checks while `ctx.outcomeOnly` is set
 * (the engine asks again for the message and evidence when they are read);
 * frozen, shared.
 */
export const FAIL: CheckOutcome = Object.freeze({ status: 'fail' as const });

/** Returns the shared {@link PASS}. */
export function pass(): CheckOutcome {
  return PASS;
}

/** A failure: the message says what is wrong, the evidence where it was read. */
export function fail(message: string, evidence?: Evidence[]): CheckOutcome {
  return evidence
    ? { status: 'fail', message, evidence }
    : { status: 'fail', message };
}

/** The rule could not decide (data missing or unreadable); never a pass. */
export function unknown(message: string, evidence?: Evidence[]): CheckOutcome {
  return evidence
    ? { status: 'unknown', message, evidence }
    : { status: 'unknown', message };
}

/** The rule does not apply to this subject; counted, not stored per subject. */
export function notApplicable(message: string): CheckOutcome {
  return { status: 'not-applicable', message };
}
