#!/usr/bin/env node
/*
 * CLI benchmark at size: writes about 200 MB of realistic manifests
 * (generate-manifests.mjs) and scans them in one whole CLI process per
 * format, as a CI step would:
 *
 *   node packages/aks-baseline-cli/bin/aks-baseline scan <dir> --format <f> > /dev/null
 *
 * and reports wall time, CPU time and the peak resident set size of that
 * process (its own getrusage, written at exit by peak-rss.cjs). The target
 * is a peak below 2 GiB; exits 1 when a run misses it or fails.
 *
 * Usage (from the repository root, after scripts/env.sh):
 *   node bench/cli/memory.mjs [--mb 200] [--formats table,json] [--runs 1] [--keep DIR]
 * With --keep DIR the manifests are written to (or reused from) DIR.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { writeManifests } from './manifests.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const opts = parseArgs(
  process.argv.slice(2),
  { mb: 200, formats: 'table,json', runs: 1, keep: '' },
  usageOf(import.meta.url),
);
if (opts.keep === true) {
  console.error('--keep needs a folder');
  process.exit(2);
}
const { mb, runs, keep } = opts;
const formats = opts.formats.split(',');
const LIMIT_KIB = 2 * 1024 * 1024;

function sizeOf(dir) {
  let bytes = 0;
  let files = 0;
  const walk = d => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        bytes += statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

const dir = keep
  ? resolve(keep)
  : mkdtempSync(join(tmpdir(), 'aks-baseline-cli-memory-'));
let generated;
if (keep && existsSync(dir) && readdirSync(dir).length > 0) {
  generated = { reused: true };
} else {
  mkdirSync(dir, { recursive: true });
  // About 0.9 KB per object (10,000 objects make ~9 MB).
  const objects = Math.round((mb * 1e6) / 900);
  generated = writeManifests(dir, objects);
}
const size = sizeOf(dir);
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: root,
  encoding: 'utf8',
}).stdout.trim();
const dirty = spawnSync(
  'git',
  [
    'status',
    '--porcelain',
    '--',
    'packages/aks-baseline-cli',
    'plugins/aks-baseline-node',
  ],
  {
    cwd: root,
    encoding: 'utf8',
  },
).stdout.trim();
console.log(
  `${generated.objects ?? 'reused'} objects, ${size.files} files, ${(
    size.bytes / 1e6
  ).toFixed(1)} MB under ${dir}`,
);
console.log(
  `code: ${commit}${
    dirty ? ' + uncommitted changes in the CLI or engine' : ''
  }; machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(
    totalmem() /
    2 ** 30
  ).toFixed(0)} GiB, load average ${loadavg()
    .map(l => l.toFixed(2))
    .join(' ')}`,
);

const bin = join(root, 'packages/aks-baseline-cli/bin/aks-baseline');
const usageFile = join(tmpdir(), `aks-baseline-usage-${process.pid}.json`);
const devNull = openSync('/dev/null', 'w');
let failed = false;
try {
  for (const format of formats) {
    for (let r = 0; r < runs; r++) {
      rmSync(usageFile, { force: true });
      const start = process.hrtime.bigint();
      const run = spawnSync(
        process.execPath,
        [
          '--require',
          join(here, 'peak-rss.cjs'),
          bin,
          'scan',
          dir,
          '--format',
          format,
        ],
        {
          cwd: root,
          stdio: ['ignore', devNull, 'pipe'],
          encoding: 'utf8',
          env: { ...process.env, AKS_BASELINE_BENCH_USAGE: usageFile },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const wall = Number(process.hrtime.bigint() - start) / 1e9;
      const usage = existsSync(usageFile)
        ? JSON.parse(readFileSync(usageFile, 'utf8'))
        : undefined;
      const peak = usage ? usage.maxRssKiB : NaN;
      const ok = run.status === 0 && peak < LIMIT_KIB;
      if (!ok) failed = true;
      console.log(
        `--format ${format}: exit ${run.status}, ${wall.toFixed(1)} s wall, ${
          usage ? ((usage.userMs + usage.systemMs) / 1000).toFixed(1) : '?'
        } s CPU, peak RSS ${(peak / 1024).toFixed(0)} MiB (${
          ok ? 'within' : 'NOT within'
        } 2 GiB), load ${loadavg()[0].toFixed(2)}`,
      );
      if (run.status !== 0)
        process.stderr.write(run.stderr.split('\n').slice(-8).join('\n'));
    }
  }
} finally {
  closeSync(devNull);
  rmSync(usageFile, { force: true });
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
