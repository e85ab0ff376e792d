/*
 * The CLI benchmarks' input: realistic manifests written to a folder by
 * generate-manifests.mjs, run in a process of its own.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Writes about `objects` objects under `dir`; what was written. */
export function writeManifests(dir, objects) {
  const gen = spawnSync(
    process.execPath,
    [join(here, 'generate-manifests.mjs'), dir, String(objects)],
    { encoding: 'utf8' },
  );
  if (gen.status !== 0) {
    process.stderr.write(gen.stderr);
    process.exit(2);
  }
  return JSON.parse(gen.stdout);
}
