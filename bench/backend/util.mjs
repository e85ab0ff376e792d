/*
 * Helpers shared by the backend benchmarks: options, a throwaway TLS
 * certificate for the https fakes, the fake fleet process, peak RSS,
 * statistics, tables and the results file.
 */
import { execFileSync, fork } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const RESULTS = join(ROOT, 'bench/results');

export const log = msg => process.stderr.write(`[bench] ${msg}\n`);
export const MB = bytes => Math.round((bytes / 1048576) * 10) / 10;

/**
 * `--name value`, `--name=value` and boolean `--flag`. `spec` maps names to
 * defaults; a boolean default makes a flag (`--no-x` sets it false).
 */
export function parseArgs(argv, spec, usage) {
  const opts = { ...spec };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    }
    const m = /^--(no-)?([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = m?.[2].replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!m || !(key in spec)) {
      console.error(`unknown option ${arg} (try --help)`);
      process.exit(2);
    }
    if (typeof spec[key] === 'boolean') {
      opts[key] = !m[1];
    } else if (m[3] !== undefined) {
      opts[key] = typeof spec[key] === 'number' ? Number(m[3]) : m[3];
    } else {
      const next = argv[i + 1];
      // A string option given without a value (`--pg`) means "yes, default".
      if (next === undefined || next.startsWith('--')) {
        if (typeof spec[key] === 'number') {
          console.error(`--${m[2]} needs a value`);
          process.exit(2);
        }
        opts[key] = true;
      } else {
        i++;
        opts[key] = typeof spec[key] === 'number' ? Number(next) : next;
      }
    }
  }
  return opts;
}

export function machine() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export const load = () => loadavg().map(l => Math.round(l * 100) / 100);

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the
 * openssl CLI in a temporary folder (Node cannot write X.509 itself).
 */
export function selfSignedCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=aks-baseline-bench-arm',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `openssl could not make the fake ARM certificate (${
        error.code === 'ENOENT' ? 'openssl is not installed' : error.message
      }); the ARM fake must be https because the Azure SDK never sends a bearer token over http`,
    );
  }
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Starts fake-fleet.mjs; resolves with its ports, clusters and entities. */
export function startFakeFleet(options) {
  const child = fork(join(here, 'fake-fleet.mjs'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      '--max-old-space-size=4096',
    ],
  });
  const request = type =>
    new Promise((res, rej) => {
      const onMessage = m => {
        if (m?.type === type) {
          child.off('message', onMessage);
          res(m);
        }
      };
      child.on('message', onMessage);
      child.send({ type }, e => e && rej(e));
    });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('exit', code =>
      rej(new Error(`the fake fleet exited early (code ${code})`)),
    );
    // Not `once`: Backstage's node transform also sends messages (`watch`).
    const onReady = m => {
      if (m?.type !== 'ready') return;
      child.off('message', onReady);
      child.removeAllListeners('exit');
      res({
        ...m,
        stats: () => request('stats'),
        resetStats: () => request('reset'),
        stop: () =>
          new Promise(r => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill();
          }),
      });
    };
    child.on('message', onReady);
  });
}

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

export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return {
    best: sorted[0],
    median:
      sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    worst: sorted[sorted.length - 1],
  };
}

/** Prints rows (arrays) under a header as an aligned text table. */
export function table(header, rows) {
  const cells = [header, ...rows].map(r => r.map(c => String(c ?? '')));
  const widths = header.map((_, i) =>
    Math.max(...cells.map(r => r[i]?.length ?? 0)),
  );
  const line = r =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  console.log(line(cells[0]));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export function writeResults(name, report, out) {
  const file =
    out ??
    join(
      RESULTS,
      `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return relative(process.cwd(), file);
}

/** A connection string for PostgreSQL: --pg value, else the test env var. */
export function postgresUrl(flag, fallbackLocal = false) {
  if (typeof flag === 'string' && flag !== '') return flag;
  const env = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (env) return env;
  if (flag === true || fallbackLocal) {
    return 'postgresql://postgres:postgres@localhost:5432';
  }
  return undefined;
}

/** The URL with another database name. */
export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Drops and creates a database through the `postgres` maintenance db. */
export async function recreateDatabase(require, url, database, create = true) {
  const { Client } = require('pg');
  const client = new Client({
    connectionString: withDatabase(url, 'postgres'),
  });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    if (create) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

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
