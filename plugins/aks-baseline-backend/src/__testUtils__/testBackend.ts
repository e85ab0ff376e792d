/*
 * A test backend running the real plugin over the snapshot fixtures (copied
 * to a temporary directory so a test may break one), an in-memory catalog
 * and a test database.
 */
import * as fs from 'fs';
import type { Server } from 'http';
import * as os from 'os';
import * as path from 'path';
import { Knex } from 'knex';
import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  RootLoggerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { aksBaselinePlugin } from '../plugin';

export const PROD = 'aks-prod-westeurope';
export const DEV = 'aks-dev-koreacentral';
const FIXTURES = path.resolve(__dirname, '../__fixtures__/clusters');

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/** The demo catalog's entities (examples/entities.yaml), plus edge cases. */
export const TEST_ENTITIES: Entity[] = [
  component('checkout-api', 'team-payments', {
    'backstage.io/kubernetes-id': 'checkout-api',
    'backstage.io/kubernetes-namespace': 'payments',
  }),
  component('catalog-search', 'team-storefront', {
    'backstage.io/kubernetes-id': 'catalog-search',
    'backstage.io/kubernetes-cluster': DEV,
  }),
  // Annotated, but nothing carries its label.
  component('ghost-service', 'team-storefront', {
    'backstage.io/kubernetes-id': 'ghost-service',
  }),
  // No Kubernetes annotation at all.
  component('docs-site', 'team-storefront', {}),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: PROD,
      namespace: 'default',
      annotations: { 'aks-baseline.io/cluster': PROD },
    },
    spec: { type: 'kubernetes-cluster', owner: 'platform-engineering' },
  },
];

export interface TestBackendOptions {
  knex: Knex;
  permissions?: ServiceFactory;
  entities?: Entity[];
  config?: Record<string, unknown>;
  /** Root configuration besides `aksBaseline` (e.g. `backend.actions`). */
  rootConfig?: Record<string, unknown>;
  /** More features: service factories (a scheduler mock...), modules. */
  features?: Array<ServiceFactory | BackendFeature>;
}

export interface AksBaselineTestBackend {
  server: Server;
  /** Where each cluster's snapshot lives, to break it. */
  clusterDir(name: string): string;
  /** Every line logged so far, with its metadata. */
  logLines(): string[];
  /** Waits until `pattern` has been logged `times` times in all. */
  waitForLog(pattern: RegExp, times?: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** A root logger keeping every line (its children write to the same list). */
function capturingRootLogger(lines: string[]): RootLoggerService {
  const write =
    (level: string) => (message: string, meta?: Error | JsonObject) => {
      let extra = '';
      if (meta instanceof Error) {
        extra = ` ${meta.name}: ${meta.message} ${meta.stack ?? ''}`;
      } else if (meta) extra = ` ${JSON.stringify(meta)}`;
      lines.push(`${level} ${message}${extra}`);
    };
  const logger: RootLoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: () => logger,
  };
  return logger;
}

/** Waits until the evaluation of every cluster has ended (the last log line of it). */
export async function waitForEvaluationOfAll(
  backend: AksBaselineTestBackend,
  times = 1,
): Promise<void> {
  await backend.waitForLog(/Evaluated \d+ cluster\(s\) in/, times);
}

export async function startAksBaselineTestBackend(
  options: TestBackendOptions,
): Promise<AksBaselineTestBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-'));
  fs.cpSync(FIXTURES, dir, { recursive: true });
  const lines: string[] = [];
  const backend = await startTestBackend({
    features: [
      aksBaselinePlugin,
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => capturingRootLogger(lines),
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.rootConfig,
          aksBaseline: {
            includeKubernetesPluginClusters: false,
            // Only manual runs in tests (the mock scheduler runs tasks
            // without an initial delay at startup).
            schedule: {
              frequency: { hours: 24 },
              timeout: { minutes: 5 },
              initialDelay: { hours: 1 },
            },
            clusterTimeout: { seconds: 30 },
            clusters: [
              { name: PROD, snapshot: { directory: path.join(dir, PROD) } },
              { name: DEV, snapshot: { directory: path.join(dir, DEV) } },
            ],
            ...options.config,
          },
        },
      }),
      mockServices.database.factory({ knex: options.knex }),
      catalogServiceMock.factory({
        entities: options.entities ?? TEST_ENTITIES,
      }),
      ...(options.permissions ? [options.permissions] : []),
      ...(options.features ?? []),
    ],
  });
  const count = (pattern: RegExp) => lines.filter(l => pattern.test(l)).length;
  return {
    server: backend.server,
    clusterDir: (name: string) => path.join(dir, name),
    logLines: () => [...lines],
    waitForLog: async (pattern, times = 1) => {
      const started = Date.now();
      while (count(pattern) < times) {
        if (Date.now() - started > 60_000) {
          throw new Error(`${pattern} was not logged ${times} time(s)`);
        }
        await new Promise(r => setTimeout(r, 20));
      }
    },
    cleanup: async () => {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
