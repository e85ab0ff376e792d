/*
 * The memory of the measured process: the kernel's peak RSS (Linux) and
 * samples of RSS and the V8 heap from the main thread.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import { MB } from './report.mjs';

/** Peak resident set size since the last reset, from /proc (Linux). */
export const peakRss = {
  /** Resets VmHWM to the current RSS; false where not permitted. */
  reset() {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
      return true;
    } catch {
      return false;
    }
  },
  /** Bytes, or undefined off Linux. */
  read() {
    try {
      const status = readFileSync('/proc/self/status', 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : undefined;
    } catch {
      return undefined;
    }
  },
};

/**
 * Calls `sample` now, every `ms` and once more at `stop()`, which returns
 * `result()` (from the main thread: calls are missed while the event loop
 * is busy).
 */
function sampleEvery(ms, sample, result) {
  sample();
  const timer = setInterval(sample, ms);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return result();
    },
  };
}

/**
 * Samples process.memoryUsage() every `ms` for the peaks (missed while the
 * event loop is busy; /proc's peak covers that).
 */
export function memorySampler(ms = 25) {
  let peakRssBytes = 0;
  let peakHeap = 0;
  let samples = 0;
  // process.memoryUsage() walks the heap spaces: too dear every 25 ms.
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peakRssBytes) peakRssBytes = rss;
    if (samples++ % 10 === 0) {
      const heap = v8.getHeapStatistics().used_heap_size;
      if (heap > peakHeap) peakHeap = heap;
    }
  };
  return sampleEvery(ms, sample, () => ({
    peakRss: peakRssBytes,
    peakHeapUsed: peakHeap,
    samples,
  }));
}

/** RSS and heap used (MB) every `ms`, with the seconds since its start. */
export function memoryTimeline(ms) {
  const startedAt = Date.now();
  const points = [];
  const sample = () => {
    const m = process.memoryUsage();
    points.push([
      Math.round((Date.now() - startedAt) / 100) / 10,
      MB(m.rss),
      MB(m.heapUsed),
    ]);
  };
  return sampleEvery(ms, sample, () => points);
}
