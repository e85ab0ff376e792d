/*
 * What a benchmark's backend process answers its parent over IPC, each
 * message answered with one of the same type ({ type: 'error', message }
 * if it fails):
 * - { type: 'usage' } -> the CPU and memory of this process;
 * - { type: 'profile-start' } / { type: 'profile-stop', file } -> a V8 CPU
 *   profile of what happened in between (node:inspector), written to file;
 * - with loopDelayHandlers, { type: 'loop-delay-start' } /
 *   { type: 'loop-delay-stop' } -> the event loop's delays in between
 *   (perf_hooks.monitorEventLoopDelay, ms) and the garbage collector's pauses.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** Answers the parent's messages with `handlers` (type -> answer's fields). */
export function answerParent(handlers) {
  process.on('message', async message => {
    if (!Object.hasOwn(handlers, message?.type ?? '')) return;
    const handler = handlers[message.type];
    try {
      process.send({ type: message.type, ...(await handler(message)) });
    } catch (error) {
      process.send({ type: 'error', message: String(error?.stack ?? error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** `usage`, `profile-start` and `profile-stop`. */
export function usageAndProfileHandlers() {
  let session;
  return {
    usage: () => ({ cpu: process.cpuUsage(), memory: process.memoryUsage() }),
    'profile-start': async () => {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    },
    'profile-stop': async ({ file }) => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

/** `loop-delay-start` and `loop-delay-stop`. */
export function loopDelayHandlers() {
  let loopDelay;
  let gcObserver;
  let gc;
  const ms = ns => Math.round(ns / 1e4) / 100;
  return {
    'loop-delay-start': () => {
      loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      // Garbage collection pauses, to tell them from the plugin's own work.
      gc = { count: 0, totalMs: 0, maxMs: 0 };
      gcObserver = new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
          gc.count++;
          gc.totalMs += entry.duration;
          gc.maxMs = Math.max(gc.maxMs, entry.duration);
        }
      });
      gcObserver.observe({ entryTypes: ['gc'] });
    },
    'loop-delay-stop': () => {
      loopDelay.disable();
      gcObserver.disconnect();
      return {
        maxMs: ms(loopDelay.max),
        p99Ms: ms(loopDelay.percentile(99)),
        p50Ms: ms(loopDelay.percentile(50)),
        meanMs: ms(loopDelay.mean),
        samples: loopDelay.count,
        gc: {
          count: gc.count,
          totalMs: Math.round(gc.totalMs),
          maxMs: Math.round(gc.maxMs * 10) / 10,
        },
      };
    },
  };
}
