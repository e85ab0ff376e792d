/*
 * What the backend benchmarks print and keep: progress on standard error,
 * the machine, aligned tables and the results file under bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS = join(ROOT, 'bench/results');

export const log = msg => process.stderr.write(`[bench] ${msg}\n`);
export const MB = bytes => Math.round((bytes / 1048576) * 10) / 10;

export function machine() {
  return {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** "2 CPUs (AMD EPYC), Node v22.23.3", as every heading ends. */
export const describeMachine = m =>
  `${m.cpus} CPUs (${m.model}), Node ${m.node}`;

export const load = () => loadavg().map(l => Math.round(l * 100) / 100);

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

/** Writes the report as JSON (to `out`, else a dated file); its path. */
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

/**
 * A benchmark's report (its name, the date, the machine, the options, then
 * `body`) written as above, and where it and the backends' logs are.
 */
export function saveReport(benchmark, { options, out, logs = [] }, body) {
  const file = writeResults(
    benchmark,
    {
      benchmark,
      date: new Date().toISOString(),
      machine: machine(),
      options,
      ...body,
    },
    out || undefined,
  );
  console.log(
    `\n  results: ${file}${
      logs.length
        ? `\n  backend log${logs.length > 1 ? 's' : ''}: ${logs
            .map(l => relative(process.cwd(), l))
            .join(', ')}`
        : ''
    }`,
  );
  return file;
}
