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
 * IPC from the parent: usage, a CPU profile and the event loop's delay
 * (server-control.mjs).
 * With `job.fastCatalog`, the catalog is fake-catalog.mjs instead of
 * InMemoryCatalogClient, whose per-page work would block this process.
 */
import { createRequire } from 'node:module';
import { fakeCatalog } from './fake-catalog.mjs';
import {
  answerParent,
  loopDelayHandlers,
  usageAndProfileHandlers,
} from './server-control.mjs';
import { createJobBackend, job } from './server-job.mjs';

const require = createRequire(import.meta.url);
const { createServiceFactory } = require('@backstage/backend-plugin-api');
const {
  InMemoryCatalogClient,
} = require('@backstage/catalog-client/testUtils');
const { catalogServiceRef } = require('@backstage/plugin-catalog-node');
const { CATALOG_FILTER_EXISTS } = require('@backstage/catalog-client');

const backend = createJobBackend();
backend.add(
  createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      job.fastCatalog
        ? fakeCatalog(job.entities, CATALOG_FILTER_EXISTS)
        : new InMemoryCatalogClient({ entities: job.entities }),
  }),
);
backend.add(require('@aks-baseline/plugin-aks-baseline-backend').default);

answerParent({ ...usageAndProfileHandlers(), ...loopDelayHandlers() });

await backend.start();
process.send({ type: 'ready' });
