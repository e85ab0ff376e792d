/*
 * Limits shared by the live sources, and waiting that respects a signal.
 */
import { setTimeout as delay } from 'timers/promises';

/** Request limits of the live sources; tests shorten the delays. */
export interface SourceTuning {
  /** Retries after a 429 (honouring Retry-After) or a transient ARM failure. */
  maxRetries: number;
  /** First back-off for transient ARM failures (5xx, connection resets). */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /**
   * A Retry-After longer than this is not waited for: the read fails at once
   * with `retryAfterSeconds`, and the next scheduled run tries again.
   */
  maxRetryAfterSeconds: number;
  /** `limit` of each Kubernetes list request. */
  pageSize: number;
  /** Kubernetes list requests in flight at once, per cluster. */
  listConcurrency: number;
  /** Upper bound for one HTTP request, on top of the read's signal. */
  requestTimeoutMs: number;
}

export const DEFAULT_TUNING: SourceTuning = Object.freeze({
  maxRetries: 3,
  retryDelayMs: 800,
  maxRetryDelayMs: 10_000,
  maxRetryAfterSeconds: 30,
  pageSize: 500,
  listConcurrency: 4,
  requestTimeoutMs: 60_000,
});

export function abortReason(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error('The operation was aborted');
  error.name = 'AbortError';
  return error;
}

/** Resolves after `ms`, or rejects as soon as the signal aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw abortReason(signal);
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw abortReason(signal);
  }
}

/** The read's signal, bounded by a per-request timeout. */
export function requestSignal(
  signal: AbortSignal,
  timeoutMs: number,
): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}
