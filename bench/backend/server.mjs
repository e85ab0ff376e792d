/*
 * A real Backstage backend for the score-route benchmark, forked by
 * score-route.mjs: `createBackend()` from @backstage/backend-defaults with
 * the AKS Baseline plugin, its production middleware (helmet, cors,
 * compression, request logging, auth policy), PostgreSQL and the scheduler.
 * Only two services are replaced: the root config (given by the parent)
 * and the catalog (an in-memory catalog of the benchmark's entities; the
 * catalog backend is not what is measured). Callers authenticate with a
 * static external-access token, as another service would.
 *
 * IPC from the parent: { type: 'usage' } -> CPU and memory of this process;
 * { type: 'profile-start' } / { type: 'profile-stop', file } -> a V8 CPU
 * profile of the load phase only (node:inspector).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const { createBackend } = require('@backstage/backend-defaults');
const {
  coreServices,
  createServiceFactory,
} = require('@backstage/backend-plugin-api');
const { ConfigReader } = require('@backstage/config');
const {
  InMemoryCatalogClient,
} = require('@backstage/catalog-client/testUtils');
const { catalogServiceRef } = require('@backstage/plugin-catalog-node');

const backend = createBackend();
backend.add(
  createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () => new ConfigReader(job.config, 'bench'),
  }),
);
backend.add(
  createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => new InMemoryCatalogClient({ entities: job.entities }),
  }),
);
backend.add(require('@aks-baseline/plugin-aks-baseline-backend').default);

let session;
process.on('message', async message => {
  try {
    if (message?.type === 'usage') {
      process.send({
        type: 'usage',
        cpu: process.cpuUsage(),
        memory: process.memoryUsage(),
      });
    } else if (message?.type === 'profile-start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      process.send({ type: 'profile-start' });
    } else if (message?.type === 'profile-stop') {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      writeFileSync(message.file, JSON.stringify(profile));
      process.send({ type: 'profile-stop' });
    }
  } catch (error) {
    process.send({ type: 'error', message: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));

await backend.start();
process.send({ type: 'ready' });
