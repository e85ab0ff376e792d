/*
 * Seeding a benchmark's backend through the plugin's own evaluation: asking
 * for a run, and telling from its log when a run has ended.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** `POST /evaluations {}` on the plugin at `api`; its (202) answer. */
export async function requestEvaluation(api, headers) {
  const accepted = await fetch(`${api}/evaluations`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{}',
  });
  if (accepted.status !== 202) {
    throw new Error(
      `POST /evaluations answered ${accepted.status}: ${await accepted.text()}`,
    );
  }
  return accepted.json();
}

/**
 * The wall times (ms) of every evaluation of `clusters` cluster(s) the
 * backend has logged: the plugin's last line of a run, after the entity rows.
 */
export const evaluationsLogged = (logFile, clusters) =>
  [
    ...readFileSync(logFile, 'utf8').matchAll(
      new RegExp(`Evaluated ${clusters} cluster\\(s\\) in (\\d+) ms`, 'g'),
    ),
  ].map(m => Number(m[1]));

/**
 * Calls `done` every `pollMs` until it gives something, which it returns;
 * throws once `minutes` have passed.
 */
export async function evaluationFinished(done, { minutes, pollMs }) {
  const start = performance.now();
  for (;;) {
    const result = await done();
    if (result !== undefined && result !== false) return result;
    if (performance.now() - start > minutes * 60_000) {
      throw new Error(
        `the evaluation did not finish within ${minutes} minutes`,
      );
    }
    await sleep(pollMs);
  }
}
