#!/usr/bin/env node
/*
 * CLI benchmark: writes 10,000 realistic manifests (generate-manifests.mjs)
 * to a temporary folder and times the whole process, as a CI job runs it:
 *
 *   node packages/aks-baseline-cli/bin/aks-baseline scan <dir> --format json > /dev/null
 *
 * Usage (from the repository root, after scripts/env.sh):
 *   node bench/cli/run.mjs [--objects 10000] [--runs 5] [--target-ms 3000] [--keep]
 * Prints each run, the median and the best, and exits 1 when the median
 * misses the target. One warm-up run comes first (disk cache, transform cache).
 */
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { writeManifests } from './manifests.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const {
  objects,
  runs,
  targetMs: target,
  keep,
} = parseArgs(
  process.argv.slice(2),
  { objects: 10000, runs: 5, targetMs: 3000, keep: false },
  usageOf(import.meta.url),
);

const dir = mkdtempSync(join(tmpdir(), 'aks-baseline-cli-bench-'));
const generated = writeManifests(dir, objects);
console.log(
  `generated ${generated.objects} objects in ${generated.files} files under ${dir}`,
);
console.log(
  `machine: ${cpus().length} CPUs (${
    cpus()[0]?.model ?? 'unknown'
  }), load average ${loadavg()
    .map(l => l.toFixed(2))
    .join(' ')}`,
);

/** CPU seconds of waited-for children (Linux /proc), to tell load from cost. */
function childCpu() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime: fields 16 and 17 of stat, in clock ticks (100 Hz).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

const bin = join(root, 'packages/aks-baseline-cli/bin/aks-baseline');
const devNull = openSync('/dev/null', 'w');
function once() {
  const cpu0 = childCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [bin, 'scan', dir, '--format', 'json'],
    {
      cwd: root,
      stdio: ['ignore', devNull, 'pipe'],
      encoding: 'utf8',
    },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = (childCpu() - cpu0) * 1000;
  // Exit 0 (no gate given): anything else is a broken run, not a slow one.
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`aks-baseline exited with ${r.status}`);
  }
  return { ms, cpuMs };
}

try {
  once(); // warm-up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const { ms, cpuMs } = once();
    times.push(ms);
    console.log(
      `run ${i + 1}: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(
        0,
      )} ms CPU (user+system), load ${loadavg()[0].toFixed(2)}`,
    );
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `median ${median.toFixed(0)} ms, best ${sorted[0].toFixed(0)} ms for ${
      generated.objects
    } manifests (target < ${target} ms): ${median < target ? 'PASS' : 'FAIL'}`,
  );
  process.exitCode = median < target ? 0 : 1;
} finally {
  closeSync(devNull);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
