/*
 * The start of a benchmark's backend process: the job its parent wrote
 * (the file named by argv[2]: the config, and the entities or the platform
 * group) and a Backstage backend whose root config is the job's.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createBackend } = require('@backstage/backend-defaults');
const {
  coreServices,
  createServiceFactory,
} = require('@backstage/backend-plugin-api');
const { ConfigReader } = require('@backstage/config');

export const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));

/** `createBackend()` with the job's config as its root config. */
export function createJobBackend() {
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => new ConfigReader(job.config, 'bench'),
    }),
  );
  return backend;
}
