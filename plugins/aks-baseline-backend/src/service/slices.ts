/*
 * Long CPU work of an evaluation done in slices, so that the replica keeps
 * answering requests meanwhile: after about SLICE_MS of work the event loop
 * gets a turn (setImmediate: pending I/O is served first).
 *
 * Work written as a generator (`Steps`) yields now and then (every few
 * hundred items); `runInSlices` looks at the clock at each yield and gives a
 * turn once the slice is over, `runToEnd` runs it at once for callers that
 * need the answer synchronously.
 */
import { performance } from 'perf_hooks';

/** The longest stretch of work between two turns of the event loop. */
export const SLICE_MS = 10;

/** Items handled between two yields of a generator. */
export const ITEMS_PER_STEP = 256;

/** Work that yields now and then and finally returns a `T`. */
export type Steps<T> = Generator<void, T, void>;

export function nextTurn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

/** Runs the steps without ever giving the event loop a turn. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps, giving the event loop a turn at the first yield past each slice. */
export async function runInSlices<T>(
  steps: Steps<T>,
  sliceMs = SLICE_MS,
): Promise<T> {
  let deadline = performance.now() + sliceMs;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() >= deadline) {
      await nextTurn();
      deadline = performance.now() + sliceMs;
    }
  }
}

/** `items.map(fn)` as steps. */
export function* mapSteps<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => R,
): Steps<R[]> {
  const out: R[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i], i);
    if (i % ITEMS_PER_STEP === ITEMS_PER_STEP - 1) yield;
  }
  return out;
}

/**
 * `JSON.stringify(items)` as steps: the same text, written a few items at a
 * time (reading a deferred finding's words is part of writing it).
 */
export function* jsonArraySteps(items: readonly unknown[]): Steps<string> {
  const parts: string[] = [];
  for (let i = 0; i < items.length; i += ITEMS_PER_STEP) {
    const text = JSON.stringify(items.slice(i, i + ITEMS_PER_STEP));
    parts.push(text.slice(1, -1));
    yield;
  }
  return `[${parts.join(',')}]`;
}
