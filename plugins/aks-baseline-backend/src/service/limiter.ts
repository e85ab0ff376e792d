/*
 * Bounded concurrency without a dependency: at most `limit` of the calls run
 * at once, in order of the items. A rejected call rejects only its own
 * result; callers that must never fail catch inside `fn`.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = {
          status: 'fulfilled',
          value: await fn(items[index], index),
        };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** The error a per-cluster timeout raises. */
export class ClusterTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Timed out after ${formatDuration(timeoutMs)}`);
    this.name = 'ClusterTimeoutError';
  }
}

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/**
 * Runs `fn` with a signal that aborts after `timeoutMs` (or when `parent`
 * aborts), and gives up waiting at that moment even if `fn` ignores the
 * signal, so one stuck cluster cannot hold a run.
 */
export async function withTimeout<R>(
  timeoutMs: number,
  parent: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<R>,
): Promise<R> {
  const controller = new AbortController();
  let rejectAbort: (error: Error) => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    rejectAbort = reject;
  });
  const abort = (error: Error) => {
    if (controller.signal.aborted) return;
    controller.abort(error);
    rejectAbort(error);
  };
  const timer = setTimeout(
    () => abort(new ClusterTimeoutError(timeoutMs)),
    timeoutMs,
  );
  const onParentAbort = () => abort(new Error('The evaluation was cancelled'));
  if (parent?.aborted) onParentAbort();
  parent?.addEventListener('abort', onParentAbort);
  // Never an unhandled rejection when fn settles first.
  aborted.catch(() => {});
  try {
    return await Promise.race([fn(controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
