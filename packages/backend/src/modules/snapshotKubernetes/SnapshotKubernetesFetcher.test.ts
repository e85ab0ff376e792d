/*
 * The fetcher on a snapshot folder written for the test (`kubectl get -o
 * json` Lists and a coverage.json): what an API server would answer for
 * each object type, and the errors it would give for what the snapshot
 * does not hold or could not read.
 */
import type {
  FetchResponseWrapper,
  KubernetesFetcher,
  ObjectFetchParams,
  ObjectToFetch,
} from '@backstage/plugin-kubernetes-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotKubernetesFetcher } from './SnapshotKubernetesFetcher';
import { snapshotClusterDetails } from './snapshotClusters';

const CLUSTER = 'aks-shop';

const labels = (name: string) => ({
  'app.kubernetes.io/name': name,
  'backstage.io/kubernetes-id': name,
});

/** A Deployment, Service or ConfigMap as `kubectl get -o json` prints it. */
function object(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  objectLabels: Record<string, string>,
) {
  const selector = { 'app.kubernetes.io/name': name };
  const specs: Record<string, unknown> = {
    Deployment: {
      replicas: 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...objectLabels, ...selector } },
        spec: {
          containers: [
            { name, image: `contoso.azurecr.io/shop/${name}:1.4.2` },
          ],
        },
      },
    },
    Service: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace && { namespace }),
      labels: objectLabels,
    },
    ...(specs[kind] ? { spec: specs[kind] } : { data: { mode: 'fast' } }),
  };
}

const WORKLOADS = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    object('apps/v1', 'Deployment', 'shop', 'orders', labels('orders')),
    object('v1', 'Service', 'shop', 'orders', labels('orders')),
    // The same name elsewhere: outside the entity's namespace.
    object('apps/v1', 'Deployment', 'staging', 'orders', labels('orders')),
    // No namespace: `default`, as kubectl applies it.
    object('apps/v1', 'Deployment', undefined, 'orders-tool', {
      'backstage.io/kubernetes-id': 'orders',
      tier: 'tools',
    }),
    object('apps/v1', 'Deployment', 'shop', 'billing', labels('billing')),
    object('v1', 'ConfigMap', 'shop', 'orders-settings', labels('orders')),
  ],
};

const type = (
  objectType: ObjectToFetch['objectType'],
  group: string,
  apiVersion: string,
  plural: string,
): ObjectToFetch => ({ objectType, group, apiVersion, plural });

const DEPLOYMENTS = type('deployments', 'apps', 'v1', 'deployments');
const SERVICES = type('services', '', 'v1', 'services');
const CONFIGMAPS = type('configmaps', '', 'v1', 'configmaps');
const CRONJOBS = type('cronjobs', 'batch', 'v1', 'cronjobs');
const CERTIFICATES = {
  ...type('customresources', 'cert-manager.io', 'v1', 'certificates'),
  objectType: 'customresources' as const,
};

describe('SnapshotKubernetesFetcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-kubernetes-'));
  const broken = mkdtempSync(join(tmpdir(), 'snapshot-kubernetes-broken-'));
  writeFileSync(join(dir, 'workloads.json'), JSON.stringify(WORKLOADS));
  writeFileSync(
    join(dir, 'coverage.json'),
    JSON.stringify({
      unreadable: { CronJob: 'forbidden (403): cannot list cronjobs.batch' },
    }),
  );
  writeFileSync(join(broken, 'workloads.json'), '{"kind": "List", "items": [');
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(broken, { recursive: true, force: true });
  });

  const apiServers: jest.Mocked<KubernetesFetcher> = {
    fetchObjectsForService: jest.fn(
      async (_params: ObjectFetchParams): Promise<FetchResponseWrapper> => ({
        errors: [],
        responses: [{ type: 'pods', resources: [] }],
      }),
    ),
    fetchPodMetricsByNamespaces: jest.fn(
      async (
        ..._args: Parameters<KubernetesFetcher['fetchPodMetricsByNamespaces']>
      ): Promise<FetchResponseWrapper> => ({
        errors: [],
        responses: [{ type: 'podstatus', resources: [] }],
      }),
    ),
  };
  const fetcher = new SnapshotKubernetesFetcher(
    [
      { name: CLUSTER, directory: dir },
      { name: 'aks-broken', directory: broken },
    ],
    apiServers,
  );

  function params(
    overrides: Partial<ObjectFetchParams> & { types?: ObjectToFetch[] },
  ): ObjectFetchParams {
    const { types, ...rest } = overrides;
    return {
      serviceId: 'orders',
      clusterDetails: snapshotClusterDetails({
        name: CLUSTER,
        directory: dir,
      }),
      credential: { type: 'anonymous' },
      objectTypesToFetch: new Set(types ?? [DEPLOYMENTS, SERVICES]),
      labelSelector: 'backstage.io/kubernetes-id=orders',
      customResources: [],
      ...rest,
    };
  }

  const namesOf = (resources: any[]) =>
    resources.map(r => `${r.metadata.namespace ?? ''}/${r.metadata.name}`);

  it("lists each type's objects in the namespace, by label selector", async () => {
    const result = await fetcher.fetchObjectsForService(
      params({ namespace: 'shop' }),
    );
    expect(result.errors).toEqual([]);
    expect(result.responses.map(r => [r.type, namesOf(r.resources)])).toEqual([
      ['deployments', ['shop/orders']],
      ['services', ['shop/orders']],
    ]);
    // The object itself, as kubectl printed it.
    expect(result.responses[0].resources[0]).toEqual(WORKLOADS.items[0]);
  });

  it('lists every namespace without one, `default` for objects without', async () => {
    const result = await fetcher.fetchObjectsForService(
      params({ types: [DEPLOYMENTS] }),
    );
    expect(namesOf(result.responses[0].resources)).toEqual([
      'shop/orders',
      'staging/orders',
      '/orders-tool',
    ]);
    const inDefault = await fetcher.fetchObjectsForService(
      params({ types: [DEPLOYMENTS], namespace: 'default' }),
    );
    expect(namesOf(inDefault.responses[0].resources)).toEqual(['/orders-tool']);
  });

  it('reads a label selector annotation as the API server does', async () => {
    const result = await fetcher.fetchObjectsForService(
      params({
        types: [DEPLOYMENTS],
        labelSelector:
          'app.kubernetes.io/name in (orders, billing), tier notin (tools)',
      }),
    );
    expect(namesOf(result.responses[0].resources)).toEqual([
      'shop/orders',
      'staging/orders',
      'shop/billing',
    ]);
  });

  it('answers 404 for a type the snapshot does not hold, and an empty list for none', async () => {
    const result = await fetcher.fetchObjectsForService(
      params({
        namespace: 'shop',
        types: [CONFIGMAPS, type('statefulsets', 'apps', 'v1', 'statefulsets')],
        customResources: [CERTIFICATES],
      }),
    );
    // ConfigMaps are not kept by the snapshot reader; cert-manager's
    // Certificates are, and none is installed (no CRD in a full dump).
    expect(result.errors).toEqual([
      {
        errorType: 'NOT_FOUND',
        statusCode: 404,
        resourcePath: '/api/v1/namespaces/shop/configmaps',
      },
      {
        errorType: 'NOT_FOUND',
        statusCode: 404,
        resourcePath: '/apis/cert-manager.io/v1/namespaces/shop/certificates',
      },
    ]);
    expect(result.responses).toEqual([{ type: 'statefulsets', resources: [] }]);
  });

  it('says why a kind could not be read when the snapshot was taken', async () => {
    const result = await fetcher.fetchObjectsForService(
      params({ types: [DEPLOYMENTS, CRONJOBS] }),
    );
    expect(result.errors).toEqual([
      {
        errorType: 'FETCH_ERROR',
        message:
          'aks-shop: cronjobs could not be read when the snapshot was taken (forbidden (403): cannot list cronjobs.batch)',
      },
    ]);
    expect(result.responses.map(r => r.type)).toEqual(['deployments']);
  });

  it('answers 400 for each type when the selector is invalid', async () => {
    const result = await fetcher.fetchObjectsForService(
      params({ labelSelector: 'app in ()', namespace: 'shop' }),
    );
    expect(result).toEqual({
      errors: [
        {
          errorType: 'BAD_REQUEST',
          statusCode: 400,
          resourcePath: '/apis/apps/v1/namespaces/shop/deployments',
        },
        {
          errorType: 'BAD_REQUEST',
          statusCode: 400,
          resourcePath: '/api/v1/namespaces/shop/services',
        },
      ],
      responses: [],
    });
  });

  it('reports a snapshot it cannot read, naming the file', async () => {
    const result = await fetcher.fetchObjectsForService(
      params({
        clusterDetails: snapshotClusterDetails({
          name: 'aks-broken',
          directory: broken,
        }),
      }),
    );
    expect(result.responses).toEqual([]);
    expect(result.errors).toEqual([
      {
        errorType: 'FETCH_ERROR',
        message: expect.stringContaining(join(broken, 'workloads.json')),
      },
    ]);
  });

  it('has no pod metrics for a snapshot', async () => {
    const details = snapshotClusterDetails({ name: CLUSTER, directory: dir });
    expect(details.skipMetricsLookup).toBe(true);
    await expect(
      fetcher.fetchPodMetricsByNamespaces(
        details,
        { type: 'anonymous' },
        new Set(['shop']),
      ),
    ).resolves.toEqual({ errors: [], responses: [] });
    expect(apiServers.fetchPodMetricsByNamespaces).not.toHaveBeenCalled();
  });

  it("leaves other clusters to the plugin's own fetcher", async () => {
    const clusterDetails = {
      name: 'aks-live',
      url: 'https://aks-live-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443',
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount' },
    };
    const request = params({ clusterDetails });
    await expect(fetcher.fetchObjectsForService(request)).resolves.toEqual({
      errors: [],
      responses: [{ type: 'pods', resources: [] }],
    });
    expect(apiServers.fetchObjectsForService).toHaveBeenCalledWith(request);
    const namespaces = new Set(['shop']);
    await fetcher.fetchPodMetricsByNamespaces(
      clusterDetails,
      { type: 'bearer token', token: 'not-a-real-token' },
      namespaces,
      'app=orders',
    );
    expect(apiServers.fetchPodMetricsByNamespaces).toHaveBeenCalledWith(
      clusterDetails,
      { type: 'bearer token', token: 'not-a-real-token' },
      namespaces,
      'app=orders',
    );
  });
});
