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
 * profile of the load phase only (node:inspector);
 * { type: 'loop-delay-start' } / { type: 'loop-delay-stop' } -> the event
 * loop's delays in between (perf_hooks.monitorEventLoopDelay, ms) and the
 * garbage collector's pauses.
 * With `job.fastCatalog`, the catalog is fake-catalog.mjs instead of
 * InMemoryCatalogClient, whose per-page work would block this process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { fakeCatalog } from './fake-catalog.mjs';

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
const { CATALOG_FILTER_EXISTS } = require('@backstage/catalog-client');

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
    factory: () =>
      job.fastCatalog
        ? fakeCatalog(job.entities, CATALOG_FILTER_EXISTS)
        : new InMemoryCatalogClient({ entities: job.entities }),
  }),
);
backend.add(require('@aks-baseline/plugin-aks-baseline-backend').default);

let session;
let loopDelay;
let gcObserver;
let gc;
const ms = ns => Math.round(ns / 1e4) / 100;
process.on('message', async message => {
  try {
    if (message?.type === 'loop-delay-start') {
      loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      // Garbage collection pauses, to tell them from the plugin's own work.
      gc = { count: 0, totalMs: 0, maxMs: 0 };
      gcObserver = new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
          gc.count++;
          gc.totalMs += entry.duration;
          gc.maxMs = Math.max(gc.maxMs, entry.duration);
        }
      });
      gcObserver.observe({ entryTypes: ['gc'] });
      process.send({ type: 'loop-delay-start' });
    } else if (message?.type === 'loop-delay-stop') {
      loopDelay.disable();
      gcObserver.disconnect();
      process.send({
        type: 'loop-delay-stop',
        maxMs: ms(loopDelay.max),
        p99Ms: ms(loopDelay.percentile(99)),
        p50Ms: ms(loopDelay.percentile(50)),
        meanMs: ms(loopDelay.mean),
        samples: loopDelay.count,
        gc: {
          count: gc.count,
          totalMs: Math.round(gc.totalMs),
          maxMs: Math.round(gc.maxMs * 10) / 10,
        },
      });
    } else if (message?.type === 'usage') {
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
