/*
 * A Backstage backend in a process of its own (server.mjs or
 * permission-server.mjs): started with its job (config and entities) and
 * its log in a file, stopped, and its CPU time between two `usage` answers.
 */
import { fork } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextMessage } from './processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Forks `script` with `job` (written to `jobFile`), in production mode at
 * `logLevel`, its output into `logFile`. The handle is there at once (to be
 * stopped whatever happens); `ready` resolves once it listens and rejects
 * if it exits first.
 */
export function launchBackend({
  script = 'server.mjs',
  job,
  jobFile,
  logFile,
  logLevel,
  name = 'the backend',
}) {
  writeFileSync(jobFile, JSON.stringify(job));
  const logFd = openSync(logFile, 'w');
  const child = fork(join(here, script), [jobFile], {
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: logLevel },
    execArgv: ['--require', '@backstage/cli/config/nodeTransform.cjs'],
  });
  closeSync(logFd);
  const exit = new Promise(r => child.once('exit', code => r(code)));
  const ready = Promise.race([
    nextMessage(child, 'ready'),
    exit.then(code => new Error(`${name} exited (${code})`)),
  ]).then(m => {
    if (m instanceof Error) throw m;
    return m;
  });
  return {
    child,
    exit,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exit;
      }
    },
  };
}

/** The last lines of a backend's log on standard error, if it has one. */
export function printLogTail(logFile, heading = 'backend log') {
  try {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15);
    console.error(`--- ${heading} (last lines) ---\n${tail.join('\n')}`);
  } catch {
    // no log
  }
}

/** CPU ms (user + system) between two `usage` answers of a backend. */
export const cpuMsBetween = (before, after) =>
  (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) /
  1000;

/**
 * A backend's CPU ms per request: its CPU over the warm-up and the measured
 * window, over the requests of both (those measured, scaled up).
 */
export const cpuMsPerRequest = (cpuMs, requests, { warmup, duration }) =>
  Math.round(
    (cpuMs / Math.max(1, requests * ((warmup + duration) / duration))) * 1000,
  ) / 1000;
