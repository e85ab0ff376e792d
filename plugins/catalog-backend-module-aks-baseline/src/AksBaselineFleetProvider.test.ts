import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import type { JsonObject } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AksBaselineFleetProvider } from './AksBaselineFleetProvider';
import { readFleetProviderConfig } from './config';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://backstage.test/api/aks-baseline';
const PROD = 'aks-prod-westeurope';
const DEV = 'aks-dev-koreacentral';

/** `GET /clusters` items as the backend answers them. */
function clusterItem(name: string, profile: string) {
  return {
    name,
    sourceKind: 'azure',
    profile,
    status: 'ok',
    stale: false,
    score: 91,
    grade: 'A',
    evaluatedAt: '2026-12-02T07:30:00.000Z',
  };
}

/** `GET /namespaces` items: the labels a scaffolded namespace has. */
function namespaceItem(
  cluster: string,
  name: string,
  labels: Record<string, string>,
) {
  return {
    cluster,
    name,
    labels: { 'kubernetes.io/metadata.name': name, ...labels },
    evaluatedAt: '2026-12-02T07:30:00.000Z',
  };
}

function setup(config: JsonObject) {
  const fleet = {
    clusters: [
      clusterItem(PROD, 'production'),
      clusterItem(DEV, 'non-production'),
    ],
    namespaces: [
      namespaceItem(PROD, 'payments', {
        'aks-baseline.io/owner': 'team-payments',
        'app.kubernetes.io/managed-by': 'aks-baseline-scaffolder',
        'aks-baseline.io/environment': 'production',
      }),
      namespaceItem(DEV, 'storefront', {
        'aks-baseline.io/owner': 'team-storefront',
      }),
      namespaceItem(DEV, 'unowned', {}),
    ],
    status: 200,
  };
  const authorization: string[] = [];
  server.use(
    http.get(`${BASE}/clusters`, ({ request }) => {
      authorization.push(request.headers.get('authorization') ?? '');
      return fleet.status === 200
        ? HttpResponse.json({ items: fleet.clusters })
        : HttpResponse.json(
            { error: { name: 'Error', message: 'down' } },
            { status: fleet.status },
          );
    }),
    http.get(`${BASE}/namespaces`, ({ request }) => {
      authorization.push(request.headers.get('authorization') ?? '');
      return HttpResponse.json({ items: fleet.namespaces });
    }),
  );
  const auth = mockServices.auth({ pluginId: 'catalog' });
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => {
      mutations.push(m);
    },
    refresh: async () => {},
  };
  const scheduler = mockServices.scheduler.mock();
  const provider = new AksBaselineFleetProvider({
    config: readFleetProviderConfig(
      mockServices.rootConfig({
        data: { catalog: { providers: { aksBaseline: config } } },
      }),
    )!,
    auth,
    discovery: mockServices.discovery.mock({
      getBaseUrl: async (id: string) => `http://backstage.test/api/${id}`,
    }),
    logger: mockServices.logger.mock(),
    scheduler,
  });
  const entitiesOf = (i: number): Entity[] => {
    const m = mutations[i];
    if (m.type !== 'full') throw new Error('not a full mutation');
    return m.entities.map(e => e.entity);
  };
  return {
    fleet,
    provider,
    connection,
    mutations,
    entitiesOf,
    authorization,
    auth,
    scheduler,
  };
}

describe('AksBaselineFleetProvider', () => {
  it('emits clusters and owned namespaces, read with its service token', async () => {
    const { provider, connection, entitiesOf, authorization, auth, scheduler } =
      setup({
        clusters: { owner: 'platform-engineering', system: 'online-store' },
      });
    await provider.connect(connection);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'aks-baseline-fleet:refresh',
        scope: 'global',
        frequency: { minutes: 10 },
      }),
    );
    await provider.refresh();

    const expectedToken = mockCredentials.service.token({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'aks-baseline',
    });
    expect(authorization).toEqual([
      `Bearer ${expectedToken}`,
      `Bearer ${expectedToken}`,
    ]);

    const entities = entitiesOf(0);
    expect(entities.map(e => `${e.spec?.type}:${e.metadata.name}`)).toEqual([
      `kubernetes-cluster:${PROD}`,
      `kubernetes-cluster:${DEV}`,
      `kubernetes-namespace:payments.${PROD}`,
      `kubernetes-namespace:storefront.${DEV}`,
    ]);
    expect(entities[0]).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: PROD,
        description: `AKS cluster ${PROD}, evaluated against the AKS baseline`,
        annotations: {
          'backstage.io/managed-by-location':
            'aks-baseline-fleet:aks-baseline-fleet',
          'backstage.io/managed-by-origin-location':
            'aks-baseline-fleet:aks-baseline-fleet',
          'aks-baseline.io/cluster': PROD,
        },
        labels: { 'aks-baseline.io/environment': 'production' },
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: 'group:default/platform-engineering',
        system: 'system:default/online-store',
      },
    });
    expect(entities[2]).toMatchObject({
      metadata: {
        name: `payments.${PROD}`,
        title: `payments (${PROD})`,
        annotations: {
          'aks-baseline.io/namespace': 'payments',
          'backstage.io/kubernetes-namespace': 'payments',
          'backstage.io/kubernetes-cluster': PROD,
          'backstage.io/kubernetes-label-selector': '!aks-baseline.io/exclude',
        },
        labels: { 'aks-baseline.io/environment': 'production' },
      },
      spec: {
        type: 'kubernetes-namespace',
        owner: 'group:default/team-payments',
        dependsOn: [`resource:default/${PROD}`],
      },
    });
    // A namespace's entity is not the cluster's stand-in.
    expect(entities[2].metadata.annotations).not.toHaveProperty(
      'aks-baseline.io/cluster',
    );
  });

  it('replaces everything on each refresh, so a deleted namespace leaves', async () => {
    const { fleet, provider, connection, mutations, entitiesOf } = setup({
      clusters: { owner: 'group:default/platform-engineering' },
    });
    await provider.connect(connection);
    await provider.refresh();
    fleet.namespaces = fleet.namespaces.filter(n => n.name !== 'storefront');
    await provider.refresh();
    expect(mutations.map(m => m.type)).toEqual(['full', 'full']);
    expect(entitiesOf(1).map(e => e.metadata.name)).toEqual([
      PROD,
      DEV,
      `payments.${PROD}`,
    ]);
  });

  it('changes nothing when the backend cannot be read', async () => {
    const { fleet, provider, connection, mutations } = setup({
      clusters: { owner: 'platform-engineering' },
    });
    await provider.connect(connection);
    await provider.refresh();
    fleet.status = 503;
    await expect(provider.refresh()).rejects.toThrow(/503/);
    expect(mutations).toHaveLength(1);
  });

  it('gives unowned namespaces the default owner, and leaves clusters to the catalog files when asked', async () => {
    const { provider, connection, entitiesOf } = setup({
      clusters: { enabled: false },
      namespaces: {
        defaultOwner: 'platform-engineering',
        ownerLabel: 'aks-baseline.io/owner',
      },
    });
    await provider.connect(connection);
    await provider.refresh();
    const entities = entitiesOf(0);
    expect(entities.map(e => [e.metadata.name, e.spec?.owner])).toEqual([
      [`payments.${PROD}`, 'group:default/team-payments'],
      [`storefront.${DEV}`, 'group:default/team-storefront'],
      [`unowned.${DEV}`, 'group:default/platform-engineering'],
    ]);
  });

  it('refuses a malformed answer instead of emptying the catalog', async () => {
    const { fleet, provider, connection, mutations } = setup({
      clusters: { owner: 'platform-engineering' },
    });
    (fleet.namespaces as unknown[]).push({ cluster: DEV, name: 'x' });
    await provider.connect(connection);
    await expect(provider.refresh()).rejects.toThrow(
      /GET \/namespaces: items\[3\] is not a namespace/,
    );
    expect(mutations).toHaveLength(0);
  });
});
