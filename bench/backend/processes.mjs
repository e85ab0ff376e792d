/*
 * The benchmarks' other processes: the load generators (a script given its
 * options as JSON, answering one JSON line), and messages to and from a
 * forked child.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A TCP port free on 127.0.0.1 at the time of asking. */
export async function freePort() {
  const server = createServer();
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise(r => server.close(r));
  return port;
}

/** Sends a message to a child and waits for the answer of the same type. */
export function ask(child, message) {
  return new Promise((resolve, reject) => {
    const onMessage = m => {
      if (m?.type === message.type) {
        child.off('message', onMessage);
        resolve(m);
      } else if (m?.type === 'error') {
        child.off('message', onMessage);
        reject(new Error(m.message));
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/**
 * The first message of `type` from a child. Not `once`: Backstage's node
 * transform also sends messages (`watch`).
 */
export function nextMessage(child, type) {
  return new Promise(resolve => {
    const onMessage = m => {
      if (m?.type !== type) return;
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
  });
}

/**
 * Runs `script` (a file of this folder) with `options` as its JSON argument,
 * at `priority` (nice) when given; resolves with the JSON line it prints.
 */
export function runJsonProcess(script, options, priority = 0) {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, script), [JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      execArgv: [],
    });
    if (priority) setPriority(child.pid, priority);
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.once('exit', code =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}
