/*
 * The seam between cluster sources (the backend plugin's own, and those
 * modules add through aksBaselineClusterSourcesExtensionPoint) and the
 * service that schedules evaluations: a source reads one cluster into the
 * engine's normalised ClusterSnapshot, or throws a ClusterReadError.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KindInfo } from '../engine/kinds';
import type { ClusterSnapshot } from '../engine/types';

/**
 * Where a source reads its cluster from.
 *
 * @public
 */
export type ClusterSourceKind = 'snapshot' | 'azure' | 'kubernetes';

/**
 * What a source is given for one read.
 *
 * @public
 */
export interface ClusterReadOptions {
  /** Aborted when the per-cluster timeout expires or the run is cancelled. */
  signal: AbortSignal;
  logger: LoggerService;
  /**
   * The kinds the plugin's rules read, built-in and custom resources alike
   * (`kindsToRead(rules)`): what a live source lists, and what a snapshot
   * source keeps (pass them to `readSnapshot`/`readSnapshotDirectory`).
   * Objects of other kinds are not judged by any rule.
   */
  kinds: readonly KindInfo[];
}

/**
 * One cluster that can be read into a snapshot.
 *
 * @public
 */
export interface ClusterSource {
  /** The configured cluster name: the key results are stored under. */
  readonly name: string;
  readonly kind: ClusterSourceKind;
  /**
   * Reads the cluster. Throws ClusterReadError on failure (401, 404, 429,
   * 5xx, timeout, DNS, malformed snapshot), and on any failure to list
   * Namespaces or a workload kind. A 403 or 404 on another kind's list
   * does NOT throw: it is recorded in `coverage.unreadable` so the rules
   * that needed that kind are `unknown`.
   */
  read(options: ClusterReadOptions): Promise<ClusterSnapshot>;
  /**
   * The secret values the source uses, as far as it knows now (configured
   * secrets, and tokens read or obtained by its last read), so that no text
   * about the cluster (a run's error, a log line) ever shows any part of
   * them. Text is also cleared of whatever looks like a credential.
   */
  secretValues?(): readonly string[];
}

/**
 * What failed, in words a run record and a stale badge can show.
 *
 * @public
 */
export type ClusterReadErrorCode =
  | 'unauthorized' // 401
  | 'forbidden' // 403 on the whole cluster (e.g. ARM get, discovery)
  | 'not-found' // 404 on the cluster itself
  | 'throttled' // 429 after bounded retries
  | 'server-error' // 5xx
  | 'timeout' // aborted by the signal / per-request timeout
  | 'network' // DNS, connection refused, TLS
  | 'invalid-snapshot' // malformed snapshot file
  | 'invalid-response' // an API answered with something we cannot read
  | 'incomplete' // Namespaces or a workload kind not read (stopped cluster, snapshot coverage)
  | 'configuration' // bad or missing configuration discovered at read time
  | 'unknown';

/**
 * What a {@link ClusterReadError} says besides its reason.
 *
 * @public
 */
export interface ClusterReadErrorOptions {
  cluster: string;
  code: ClusterReadErrorCode;
  /** HTTP status of the failing response, when there was one. */
  status?: number;
  /** From a 429's Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** The original error; kept for `cause` but never included in `message`. */
  cause?: unknown;
}

/**
 * A cluster could not be read. `message` and `reason` are safe to log and to
 * store: they never contain tokens, credentials or response bodies beyond a
 * short status text.
 *
 * @public
 */
export class ClusterReadError extends Error {
  readonly name = 'ClusterReadError';
  readonly cluster: string;
  readonly code: ClusterReadErrorCode;
  /** Short human-readable reason, e.g. `Kubernetes API returned 401 Unauthorized`. */
  readonly reason: string;
  readonly status?: number;
  readonly retryAfterSeconds?: number;

  constructor(reason: string, options: ClusterReadErrorOptions) {
    super(`Cluster ${options.cluster}: ${reason}`);
    this.cluster = options.cluster;
    this.code = options.code;
    this.reason = reason;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.cause !== undefined) {
      // Non-enumerable so serialising the error never carries request details.
      Object.defineProperty(this, 'cause', {
        value: options.cause,
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
  }

  /** Plain data to store with a run (no cause). */
  toJSON(): {
    name: string;
    cluster: string;
    code: ClusterReadErrorCode;
    reason: string;
    status?: number;
    retryAfterSeconds?: number;
  } {
    return {
      name: this.name,
      cluster: this.cluster,
      code: this.code,
      reason: this.reason,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: this.retryAfterSeconds }
        : {}),
    };
  }
}

/**
 * Whether an error is a {@link ClusterReadError}.
 *
 * @public
 */
export function isClusterReadError(error: unknown): error is ClusterReadError {
  return error instanceof ClusterReadError;
}
