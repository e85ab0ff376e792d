import { ReactElement } from 'react';
import { RenderResult } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse, HttpHandler } from 'msw';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  identityApiRef,
  storageApiRef,
  StorageApi,
} from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { ManualChecklistResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef, AksBaselineClient } from '../api';
import {
  catalogEntityRouteRef,
  overviewRouteRef,
  rootRouteRef,
} from '../routes';
import {
  checkoutFindings,
  checkoutHistory,
  checkoutScore,
  clustersResponse,
  devCluster,
  devFindings,
  evaluationsResponse,
  neverCluster,
  overviewResponse,
  partialCluster,
  partialFindings,
  prodCluster,
  prodFindings,
  rulesResponse,
} from '../__fixtures__/responses';
import { findingsPage } from '../__fixtures__/findingsPages';

export const BASE_URL = 'http://localhost:7007';
export const API = `${BASE_URL}/api/aks-baseline`;

/** An msw server for one test file, reset after each test. */
/** The real client, against the msw server at BASE_URL. */
export function testClient(): AksBaselineClient {
  return new AksBaselineClient({
    discoveryApi: mockApis.discovery({ baseUrl: BASE_URL }),
    fetchApi: new MockFetchApi(),
  });
}

export function setupMswServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

/** The backend's error body, as Backstage's error handler writes it. */
export function errorBody(
  status: number,
  name: string,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return HttpResponse.json(
    {
      error: { name, message, ...extra },
      request: { method: 'GET', url: '/' },
      response: { statusCode: status },
    },
    { status },
  );
}

const CLUSTER_FINDINGS: Record<string, Finding[]> = {
  'aks-prod-westeurope': prodFindings,
  'aks-dev-koreacentral': devFindings,
  'aks-lab-partial': partialFindings,
  'aks-new-northeurope': [],
};

/**
 * The manual checklist routes of every entity, kept in memory for one test:
 * confirmations by jane.doe, lasting 90 days.
 */
export function manualChecklistHandlers(): HttpHandler[] {
  const byEntity = new Map<string, ManualChecklistResponse>();
  const path = `${API}/entities/:namespace/:kind/:name/manual`;
  const of = (params: Record<string, unknown>) => {
    const key = `${params.kind}:${params.namespace}/${params.name}`;
    const found = byEntity.get(key) ?? {
      confirmations: [],
      history: [],
      ttlDays: 90,
    };
    byEntity.set(key, found);
    return found;
  };
  const change = (action: 'confirmed' | 'withdrawn') =>
    (({ params }: { params: Record<string, unknown> }) => {
      const list = of(params);
      const ruleId = params.ruleId as string;
      const at = new Date().toISOString();
      const by = 'user:default/jane.doe';
      list.confirmations = list.confirmations.filter(c => c.ruleId !== ruleId);
      if (action === 'confirmed') {
        list.confirmations.push({
          ruleId,
          by,
          confirmedAt: at,
          expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        });
      }
      list.history.unshift({ ruleId, action, by, at });
      return HttpResponse.json(list);
    }) as any;
  return [
    http.get(path, ({ params }) => HttpResponse.json(of(params))),
    http.put(`${path}/:ruleId`, change('confirmed')),
    http.delete(`${path}/:ruleId`, change('withdrawn')),
  ];
}

/** Every read route answering with the demo fixtures. */
export function demoHandlers(): HttpHandler[] {
  return [
    http.get(`${API}/clusters/:name/findings`, ({ params, request }) => {
      const findings = CLUSTER_FINDINGS[params.name as string];
      return findings
        ? HttpResponse.json(findingsPage(findings, request.url))
        : errorBody(404, 'NotFoundError', `No cluster named ${params.name}`);
    }),
    http.get(
      `${API}/entities/default/component/checkout-api/findings`,
      ({ request }) =>
        HttpResponse.json(findingsPage(checkoutFindings, request.url)),
    ),
    http.get(`${API}/rules`, () => HttpResponse.json(rulesResponse)),
    http.get(`${API}/clusters`, () => HttpResponse.json(clustersResponse)),
    http.get(`${API}/clusters/aks-prod-westeurope`, () =>
      HttpResponse.json(prodCluster),
    ),
    http.get(`${API}/clusters/aks-dev-koreacentral`, () =>
      HttpResponse.json(devCluster),
    ),
    http.get(`${API}/clusters/aks-lab-partial`, () =>
      HttpResponse.json(partialCluster),
    ),
    http.get(`${API}/clusters/aks-new-northeurope`, () =>
      HttpResponse.json(neverCluster),
    ),
    http.get(`${API}/clusters/:name`, ({ params }) =>
      errorBody(404, 'NotFoundError', `No cluster named ${params.name}`),
    ),
    http.get(`${API}/entities/default/component/checkout-api/score`, () =>
      HttpResponse.json(checkoutScore),
    ),
    http.get(`${API}/entities/default/component/checkout-api/history`, () =>
      HttpResponse.json(checkoutHistory),
    ),
    http.get(`${API}/overview`, () => HttpResponse.json(overviewResponse)),
    http.get(`${API}/evaluations`, () =>
      HttpResponse.json(evaluationsResponse),
    ),
    ...manualChecklistHandlers(),
    http.get(`${API}/clusters/:name/upgrade-readiness`, ({ params }) =>
      HttpResponse.json({
        cluster: params.name,
        status: 'no-blocker-found',
        blockers: [],
        unknowns: [],
        advisories: [],
        sourceKind: 'snapshot',
        evaluatedAt: '2026-11-30T08:00:00.000Z',
        rules: ['upgrade-blockers-detected'],
      }),
    ),
  ];
}

export const checkoutEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'checkout-api',
      'backstage.io/kubernetes-namespace': 'payments',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

export const clusterEntity = (name: string, annotation?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: annotation ? { 'aks-baseline.io/cluster': annotation } : {},
  },
  spec: { type: 'kubernetes-cluster', owner: 'platform-engineering' },
});

export interface RenderOptions {
  entity?: Entity;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  storageApi?: StorageApi;
  /** The catalog's entities (for the cluster tiles' links); default the demo's clusters. */
  catalogEntities?: Entity[];
  /** Bind the plugin's optional external routes (default true). */
  bindRoutes?: boolean;
  /** The URL the app starts at (default `/`). */
  path?: string;
  /** Backstage signals (default: the app has none). */
  signalApi?: SignalApi;
  /** The user's ownership refs (default: the user alone). */
  ownershipEntityRefs?: string[];
}

/** Renders with the real client (talking to msw) and the catalog routes mounted. */
export async function renderWithBackend(
  element: ReactElement,
  options: RenderOptions = {},
): Promise<
  RenderResult & { client: AksBaselineClient; storageApi: StorageApi }
> {
  const client = testClient();
  const storageApi = options.storageApi ?? mockApis.storage();
  const wrapped = options.entity ? (
    <EntityProvider entity={options.entity}>{element}</EntityProvider>
  ) : (
    element
  );
  const result = await renderInTestApp(
    <TestApiProvider
      apis={[
        [aksBaselineApiRef, client],
        [storageApiRef, storageApi],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/jane.doe',
            ownershipEntityRefs: options.ownershipEntityRefs ?? [
              'user:default/jane.doe',
            ],
          }),
        ],
        [
          catalogApiRef,
          catalogApiMock({
            entities: options.catalogEntities ?? [
              clusterEntity('aks-prod-westeurope'),
              clusterEntity('aks-dev', 'aks-dev-koreacentral'),
            ],
          }),
        ],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.permission ?? AuthorizeResult.ALLOW,
          }),
        ],
        ...(options.signalApi
          ? [[signalApiRef, options.signalApi] as const]
          : []),
      ]}
    >
      {wrapped}
    </TestApiProvider>,
    {
      routeEntries: [options.path ?? '/'],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/aks-baseline': rootRouteRef,
        // The external routes, bound where the app binds them by default.
        ...(options.bindRoutes === false
          ? {}
          : {
              '/catalog/:namespace/:kind/:name/': catalogEntityRouteRef,
              '/aks-baseline/': overviewRouteRef,
            }),
      },
    },
  );
  return { ...result, client, storageApi };
}
