/*
 * The benchmarks' command lines: the options a script declares, with their
 * defaults, and its usage (the script's opening comment) for --help.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The opening comment of the module at `moduleUrl` (import.meta.url). */
export const usageOf = moduleUrl =>
  readFileSync(fileURLToPath(moduleUrl), 'utf8').split('*/')[0];

/**
 * `--name value`, `--name=value` and boolean `--flag`. `spec` maps names to
 * defaults; a boolean default makes a flag (`--no-x` sets it false). An
 * option without a default (undefined) takes its type from `types`
 * ('number' or 'string'; string when not named there).
 */
export function parseArgs(argv, spec, usage, types = {}) {
  const opts = { ...spec };
  const typeOf = key => types[key] ?? typeof spec[key];
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
    const type = typeOf(key);
    if (type === 'boolean') {
      opts[key] = !m[1];
    } else if (m[3] !== undefined) {
      opts[key] = type === 'number' ? Number(m[3]) : m[3];
    } else {
      const next = argv[i + 1];
      // A string option given without a value (`--pg`) means "yes, default".
      if (next === undefined || next.startsWith('--')) {
        if (type === 'number') {
          console.error(`--${m[2]} needs a value`);
          process.exit(2);
        }
        opts[key] = true;
      } else {
        i++;
        opts[key] = type === 'number' ? Number(next) : next;
      }
    }
  }
  return opts;
}
