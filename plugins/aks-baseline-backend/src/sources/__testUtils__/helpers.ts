/*
 * Shared bits of the source tests: a logger that keeps every line, and a
 * check that no secret reached an error or a log line.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { createClusterSources } from '../createClusterSources';
import { kindsToList } from '../kubernetes/readKubernetes';
import { SourceTuning } from '../tuning';
import {
  ClusterReadError,
  ClusterSource,
} from '@aks-baseline/plugin-aks-baseline-node';

export function capturingLogger(): {
  logger: LoggerService;
  lines: string[];
} {
  const lines: string[] = [];
  const record =
    (level: string) => (message: string, meta?: Error | JsonObject) => {
      let extra = '';
      if (meta instanceof Error)
        extra = ` ${meta.name}: ${meta.message} ${meta.stack}`;
      else if (meta) extra = ` ${JSON.stringify(meta)}`;
      lines.push(`${level} ${message}${extra}`);
    };
  const logger: LoggerService = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return { logger, lines };
}

/** What the plugin gives every read with the built-in catalog alone. */
export const CATALOG_KINDS = kindsToList();

/** Fast retries for tests. */
export const TEST_TUNING: Partial<SourceTuning> = {
  maxRetries: 2,
  retryDelayMs: 10,
  maxRetryDelayMs: 20,
  maxRetryAfterSeconds: 5,
  requestTimeoutMs: 5_000,
};

export function sourcesFor(
  data: JsonObject,
  tuning: Partial<SourceTuning> = TEST_TUNING,
) {
  const captured = capturingLogger();
  const sources = createClusterSources(
    mockServices.rootConfig({ data }),
    captured.logger,
    { tuning },
  );
  return { sources, ...captured };
}

export function only(sources: ClusterSource[], name: string): ClusterSource {
  const source = sources.find(s => s.name === name);
  if (!source) throw new Error(`no source ${name}`);
  return source;
}

/** Reads and expects a ClusterReadError. */
export async function readError(
  source: ClusterSource,
  logger: LoggerService,
  signal: AbortSignal = new AbortController().signal,
): Promise<ClusterReadError> {
  try {
    await source.read({ signal, logger, kinds: CATALOG_KINDS });
  } catch (error) {
    expect(error).toBeInstanceOf(ClusterReadError);
    return error as ClusterReadError;
  }
  throw new Error(`reading ${source.name} did not fail`);
}

/** Every text an error exposes: message, reason, JSON, stack. */
export function exposedText(error: ClusterReadError): string {
  return [
    error.message,
    error.reason,
    JSON.stringify(error),
    String(error),
    error.stack ?? '',
  ].join('\n');
}

export function expectNoSecrets(
  texts: string[],
  secrets: readonly string[],
): void {
  const all = texts.join('\n');
  for (const secret of secrets) {
    expect(all).not.toContain(secret);
    // The JWT payload alone must not leak either.
    if (secret.split('.').length === 3) {
      expect(all).not.toContain(secret.split('.')[1]);
    }
  }
}
