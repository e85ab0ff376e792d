#!/usr/bin/env node
/*
 * What the CLI's YAML fast path saves: parses the benchmark's manifests
 * (generate-manifests.mjs) with the whole parser (fast path, falling back
 * to `yaml` where it gives up) and with the `yaml`-based path alone, both
 * reading YAML as kubectl does, and checks that they give the same values;
 * for reference also the `yaml` package's own YAML 1.1 mode (`version:
 * '1.1'`, merge keys, toJS), which does not give kubectl's values (see
 * plugins/aks-baseline-node/src/readers/__fixtures__/yaml-1.1).
 *
 * Usage (from the repository root, after scripts/env.sh):
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/cli/parsers.mjs [--objects 10000] [--runs 3]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const readers = '../../plugins/aks-baseline-node/src/readers';
const { parseSourceDocuments } = require(`${readers}/source-documents.ts`);
const { parseYamlWithLibrary } = require(`${readers}/yaml-library.ts`);
const { parseAllDocuments } = require('yaml');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const objects = Number(opt('objects', 10000));
const runs = Number(opt('runs', 3));

const dir = mkdtempSync(join(tmpdir(), 'aks-baseline-parsers-'));
try {
  spawnSync(
    process.execPath,
    [join(here, 'generate-manifests.mjs'), dir, String(objects)],
    {
      stdio: 'ignore',
    },
  );
  const texts = [];
  const walk = d => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else texts.push([p, readFileSync(p, 'utf8')]);
    }
  };
  walk(dir);
  const yamlTexts = texts.filter(([p]) => /\.ya?ml$/.test(p));
  const mb = yamlTexts.reduce((n, [, t]) => n + t.length, 0) / 1e6;
  console.log(`${yamlTexts.length} YAML files, ${mb.toFixed(1)} MB`);

  const time = (name, parse) => {
    const ms = [];
    let out;
    for (let r = 0; r < runs; r++) {
      const start = process.hrtime.bigint();
      out = yamlTexts.map(([p, t]) => parse(t, p).map(d => d.value));
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    ms.sort((a, b) => a - b);
    console.log(
      `${name}: median ${ms[Math.floor(ms.length / 2)].toFixed(
        0,
      )} ms, best ${ms[0].toFixed(0)} ms (${(ms[0] / mb).toFixed(0)} ms/MB)`,
    );
    return out;
  };
  const fast = time('parser (fast path, yaml fallback)', parseSourceDocuments);
  const library = time('yaml-based path alone', parseYamlWithLibrary);
  console.log(`same values: ${isDeepStrictEqual(fast, library)}`);
  time("yaml package's own YAML 1.1 mode", t =>
    parseAllDocuments(t, { version: '1.1', merge: true }).map(d => ({
      value: d.toJS({ maxAliasCount: 100 }),
    })),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
