/*
 * Turning whatever an SDK throws (RestError from the Azure SDK, ApiException
 * and FetchError from @kubernetes/client-node, AbortError, MSAL errors) into
 * a ClusterReadError whose text is safe to log and store.
 */
import { redact } from './redact';
import {
  ClusterReadError,
  ClusterReadErrorCode,
} from '@aks-baseline/plugin-aks-baseline-node';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `401 Unauthorized`. */
export function describeStatus(status: number): string {
  const text = STATUS_TEXT[status];
  return text ? `${status} ${text}` : String(status);
}

function get(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The HTTP status an SDK error carries, if any. */
export function statusOf(error: unknown): number | undefined {
  // RestError (Azure), ApiException (client-node), our own errors.
  for (const key of ['statusCode', 'code', 'status']) {
    const v = get(error, key);
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  }
  const response = get(error, 'response');
  const status = get(response, 'status');
  return typeof status === 'number' ? status : undefined;
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers =
    get(error, 'headers') ?? get(get(error, 'response'), 'headers');
  if (!headers) return undefined;
  const getter = get(headers, 'get');
  if (typeof getter === 'function') {
    const v = (getter as (n: string) => unknown).call(headers, name);
    return typeof v === 'string' ? v : undefined;
  }
  for (const [key, value] of Object.entries(headers as object)) {
    if (key.toLowerCase() === name) {
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    }
  }
  return undefined;
}

/**
 * Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP
 * date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | undefined,
  now = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

export function retryAfterOf(error: unknown): number | undefined {
  const explicit = get(error, 'retryAfterSeconds');
  if (typeof explicit === 'number') return explicit;
  return parseRetryAfter(headerOf(error, 'retry-after'));
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'REQUEST_SEND_ERROR',
]);

function errorCode(error: unknown): string | undefined {
  for (const key of ['code', 'errno']) {
    const v = get(error, key);
    if (typeof v === 'string') return v;
  }
  const cause = get(error, 'cause');
  if (cause && cause !== error) return errorCode(cause);
  return undefined;
}

export function isAbortError(error: unknown): boolean {
  const name = get(error, 'name');
  return (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    get(error, 'type') === 'aborted' ||
    errorCode(error) === 'ABORT_ERR'
  );
}

/** DNS, connection and TLS failures: no HTTP response at all. */
export function isNetworkError(error: unknown): boolean {
  if (statusOf(error) !== undefined) return false;
  const code = errorCode(error);
  if (code && NETWORK_CODES.has(code)) return true;
  // node-fetch's FetchError for a failed request, the fetch API's TypeError.
  if (get(error, 'type') === 'system') return true;
  const name = get(error, 'name');
  return (
    name === 'FetchError' ||
    (name === 'TypeError' &&
      /fetch failed|failed to fetch/i.test(messageOf(error)))
  );
}

const CREDENTIAL_ERRORS = new Set([
  'AuthenticationError',
  'AggregateAuthenticationError',
  'CredentialUnavailableError',
  'AuthenticationRequiredError',
]);

/** @azure/identity could not get a token (its own errors carry the Entra answer). */
export function isCredentialError(error: unknown): boolean {
  const name = get(error, 'name');
  return typeof name === 'string' && CREDENTIAL_ERRORS.has(name);
}

export function messageOf(error: unknown): string {
  const message = get(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

function codeForStatus(status: number): ClusterReadErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server-error';
  return 'unknown';
}

export interface ToReadErrorOptions {
  cluster: string;
  /** What was being done: `listing pods`, `reading managed cluster rg/name`. */
  action: string;
  /** `Kubernetes API`, `Azure Resource Manager`, `Microsoft Entra ID`. */
  service: string;
  /** The read's signal: an abort by it is a timeout. */
  signal?: AbortSignal;
  /** Secret values that must never appear in the reason. */
  secrets?: readonly string[];
}

/** Any error from a read → ClusterReadError with a safe reason. */
export function toClusterReadError(
  error: unknown,
  options: ToReadErrorOptions,
): ClusterReadError {
  if (error instanceof ClusterReadError) return error;
  const { cluster, action, service } = options;
  if (isCredentialError(error)) {
    const message = messageOf(error);
    // MSAL reports an unreachable login endpoint as a network_error.
    const unreachable = /network_error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED/i.test(
      message,
    );
    return new ClusterReadError(
      `could not get a Microsoft Entra token (${action}): ${redact(
        message,
        options.secrets,
      )}`,
      {
        cluster,
        code: unreachable ? 'network' : 'unauthorized',
        cause: error,
      },
    );
  }
  const status = statusOf(error);
  if (status !== undefined) {
    const retryAfterSeconds = status === 429 ? retryAfterOf(error) : undefined;
    const wait =
      retryAfterSeconds !== undefined
        ? ` (Retry-After ${retryAfterSeconds}s)`
        : '';
    return new ClusterReadError(
      `${service} returned ${describeStatus(status)} ${action}${wait}`,
      {
        cluster,
        code: codeForStatus(status),
        status,
        retryAfterSeconds,
        cause: error,
      },
    );
  }
  if (options.signal?.aborted || isAbortError(error)) {
    return new ClusterReadError(`timed out ${action}`, {
      cluster,
      code: 'timeout',
      cause: error,
    });
  }
  if (isNetworkError(error)) {
    const code = errorCode(error);
    const detail = code && code !== 'REQUEST_SEND_ERROR' ? ` (${code})` : '';
    return new ClusterReadError(
      `could not reach ${service}${detail} ${action}: ${redact(
        messageOf(error),
        options.secrets,
      )}`,
      { cluster, code: 'network', cause: error },
    );
  }
  return new ClusterReadError(
    `${action} failed: ${redact(messageOf(error), options.secrets)}`,
    { cluster, code: 'unknown', cause: error },
  );
}
