/*
 * The demo's Kubernetes tab against its AKS Baseline tab: the real catalog
 * (examples/org.yaml and examples/entities.yaml), the AKS Baseline backend
 * evaluating the demo snapshots and the Kubernetes plugin with this module,
 * both as the demo's app-config.yaml configures them. For every component,
 * the Kubernetes plugin shows the workloads and Services the AKS Baseline
 * plugin scores for it, on the same clusters; and nothing for an entity
 * that matches nothing.
 */
import aksBaselinePlugin from '@aks-baseline/plugin-aks-baseline-backend';
import {
  KNOWN_KINDS,
  WORKLOAD_KINDS,
} from '@aks-baseline/plugin-aks-baseline-node';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { loadConfig } from '@backstage/config-loader';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import snapshotKubernetesModule from '.';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '../../../../..');
const BACKEND = join(ROOT, 'packages/backend');
const PROD = 'aks-prod-westeurope';
const DEV = 'aks-dev-koreacentral';
const USER = 'user:default/daniel.choi';

/** The demo's app-config.yaml; snapshot directories made absolute. */
async function demoConfig() {
  const { appConfigs } = await loadConfig({
    configRoot: ROOT,
    configTargets: [{ path: join(ROOT, 'app-config.yaml') }],
  });
  const appConfig = appConfigs[0].data as any;
  const clusters = (appConfig.aksBaseline.clusters as any[]).map(c => ({
    ...c,
    snapshot: { directory: resolve(BACKEND, c.snapshot.directory) },
  }));
  return { kubernetes: appConfig.kubernetes, clusters };
}

/** `Kind namespace/name`, sorted: what a tab lists. */
function names(
  objects: Array<{ kind: string; namespace?: string; name: string }>,
) {
  return objects.map(o => `${o.kind} ${o.namespace ?? ''}/${o.name}`).sort();
}

describe('the Kubernetes plugin on the demo snapshot clusters', () => {
  let demo: Awaited<ReturnType<typeof demoConfig>>;
  let baseUrl: string;
  let stop: () => Promise<void>;

  async function call(path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${baseUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: mockCredentials.user.header(USER),
        'content-type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function until(what: string, ready: () => Promise<boolean>) {
    const deadline = Date.now() + 120_000;
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error(`${what} never happened`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    demo = await demoConfig();
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        aksBaselinePlugin,
        kubernetesPlugin,
        snapshotKubernetesModule,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: [
                    'User',
                    'Group',
                    'System',
                    'Component',
                    'Resource',
                    'Location',
                  ],
                },
              ],
              locations: [
                { type: 'file', target: join(ROOT, 'examples/org.yaml') },
                { type: 'file', target: join(ROOT, 'examples/entities.yaml') },
              ],
            },
            kubernetes: demo.kubernetes,
            aksBaseline: {
              includeKubernetesPluginClusters: false,
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 1 },
              },
              clusters: demo.clusters,
            },
          },
        }),
      ],
    });
    stop = () => backend.stop();
    baseUrl = `http://localhost:${
      (backend.server.address() as AddressInfo).port
    }`;
    await until('catalog ingestion', async () => {
      const res = await call('/api/catalog/entities?filter=kind=component');
      return res.body?.length === 5;
    });
    const started = await call('/api/aks-baseline/evaluations', {});
    if (started.status !== 202) {
      throw new Error(`evaluation refused: ${started.status}`);
    }
    await until('evaluation', async () => {
      const res = await call('/api/aks-baseline/overview');
      const clusters = res.body?.clusters ?? [];
      return (
        clusters.length === 2 && clusters.every((c: any) => c.status === 'ok')
      );
    });
  });

  afterAll(() => stop?.());

  /** The Kubernetes plugin's objects for an entity, by cluster. */
  async function kubernetesTab(entity: any) {
    const res = await call(`/api/kubernetes/services/${entity.metadata.name}`, {
      entity: {
        apiVersion: entity.apiVersion,
        kind: entity.kind,
        metadata: { name: entity.metadata.name, namespace: 'default' },
      },
    });
    expect(res.status).toBe(200);
    const byCluster: Record<string, string[]> = {};
    for (const item of res.body.items) {
      expect(item.errors).toEqual([]);
      byCluster[item.cluster.name] = names(
        item.resources.flatMap((r: any) =>
          r.resources.map((o: any) => ({ kind: o.kind, ...o.metadata })),
        ),
      );
    }
    return byCluster;
  }

  it('lists the snapshot clusters, without credentials', async () => {
    const res = await call('/api/kubernetes/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: any) => [c.name, c.authProvider])).toEqual([
      [PROD, 'localKubectlProxy'],
      [DEV, 'localKubectlProxy'],
    ]);
  });

  it("shows checkout-api's objects in payments on both clusters", async () => {
    const entity = (
      await call('/api/catalog/entities/by-name/component/default/checkout-api')
    ).body;
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'checkout-api',
      'backstage.io/kubernetes-namespace': 'payments',
    });
    expect(await kubernetesTab(entity)).toEqual({
      [PROD]: [
        'Deployment payments/checkout-api',
        'HorizontalPodAutoscaler payments/checkout-api',
        'Service payments/checkout-api',
      ],
      [DEV]: [
        'Deployment payments/checkout-api',
        'HorizontalPodAutoscaler payments/checkout-api',
        'Service payments/checkout-api',
      ],
    });
  });

  it('shows the workloads and Services the AKS Baseline plugin scores, for every component', async () => {
    // The kinds both tabs list: the AKS Baseline plugin scores workloads,
    // Services, ServiceAccounts, PodDisruptionBudgets (which the Kubernetes
    // plugin cannot list); the Kubernetes plugin lists autoscalers too.
    const listed = (demo.kubernetes.objectTypes as string[]).map(
      t => KNOWN_KINDS.find(k => k.plural === t)!.kind,
    );
    const both = new Set(
      listed.filter(k => k === 'Service' || WORKLOAD_KINDS.includes(k as any)),
    );
    expect([...both].sort()).toEqual([
      'CronJob',
      'DaemonSet',
      'Deployment',
      'Job',
      'Pod',
      'ReplicaSet',
      'Service',
      'StatefulSet',
    ]);
    // gift-cards has no Kubernetes annotations: neither plugin maps it.
    const components = (
      await call('/api/catalog/entities?filter=kind=component')
    ).body.filter((e: any) =>
      Object.keys(e.metadata.annotations ?? {}).some(a =>
        a.startsWith('backstage.io/kubernetes-'),
      ),
    );
    expect(components.map((e: any) => e.metadata.name).sort()).toEqual([
      'catalog-search',
      'checkout-api',
      'payments-worker',
      'storefront-web',
    ]);
    let shown = 0;
    for (const entity of components) {
      const ref = `component/${entity.metadata.name}`;
      const score = await call(
        `/api/aks-baseline/entities/default/${ref}/score`,
      );
      expect(score.status).toBe(200);
      const scored: Record<string, string[]> = {};
      for (const cluster of score.body.clusters) {
        const objects = names(
          cluster.resources.filter((r: any) => both.has(r.kind)),
        );
        if (objects.length > 0) scored[cluster.cluster] = objects;
      }
      const shownInBoth: Record<string, string[]> = {};
      for (const [cluster, objects] of Object.entries(
        await kubernetesTab(entity),
      )) {
        shownInBoth[cluster] = objects.filter(o => both.has(o.split(' ')[0]));
        shown += shownInBoth[cluster].length;
      }
      expect({ ref, objects: shownInBoth }).toEqual({ ref, objects: scored });
    }
    // Each component's Deployment, and Service but for payments-worker:
    // checkout-api, storefront-web and payments-worker on both clusters,
    // catalog-search on the dev cluster only.
    expect(shown).toBe(2 + 2 + 2 + 2 + 1 + 1 + 2);
  });

  it('shows nothing for an entity that matches no object', async () => {
    // A system, and the cluster Resources: the AKS Baseline plugin scores a
    // whole cluster for those, the Kubernetes plugin looks for objects
    // labelled with their name (backstage.io/kubernetes-id) and finds none.
    for (const ref of [
      'system/default/online-store',
      `resource/default/${PROD}`,
      `resource/default/${DEV}`,
    ]) {
      const entity = (await call(`/api/catalog/entities/by-name/${ref}`)).body;
      expect({ ref, objects: await kubernetesTab(entity) }).toEqual({
        ref,
        objects: {},
      });
    }
  });
});
