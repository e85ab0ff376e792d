/*
 * The memory of the measured process: the kernel's peak RSS (Linux) and
 * samples of RSS and the V8 heap from the main thread.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';

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
 * Samples process.memoryUsage() every `ms` from the main thread (missed
 * while the event loop is busy; /proc's peak covers that).
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
  sample();
  const timer = setInterval(sample, ms);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRss: peakRssBytes, peakHeapUsed: peakHeap, samples };
    },
  };
}
