/*
 * The whole path for a cluster read through its Kubernetes API: config,
 * the real @kubernetes/client-node client against an msw fake API server,
 * the engine, the store and the routes. What could not be read is never a
 * pass: it is counted as unknown with its reason, or, for the core kinds,
 * fails the read and keeps the last good result.
 */
import request from 'supertest';
import { setupServer } from 'msw/node';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ClusterDetailResponse,
  ClustersResponse,
  EntityScoreResponse,
  EvaluationRunsResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import storefront from './sources/__fixtures__/kubernetes/compliant-shop-storefront.json';
import legacyWeb from './sources/__fixtures__/kubernetes/noncompliant-legacy-web.json';
import nodes from './sources/__fixtures__/kubernetes/nodes-health.json';
import pods from './sources/__fixtures__/kubernetes/pods-health.json';
import rbac from './sources/__fixtures__/kubernetes/rbac-clusterrolebindings.json';
import {
  fakeKubernetesApi,
  objectsOf,
  statusResponse,
} from './sources/__testUtils__/fakeKubernetes';
import { fakeJwt } from './sources/__testUtils__/fakeAzure';
import {
  AksBaselineTestBackend,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from './__testUtils__/testBackend';
import { allFindings } from './__testUtils__/findings';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
const CLUSTER = 'aks-shop';
const URL_BASE = 'https://aks-shop-dns-4f2a9c1e.hcp.westeurope.azmk8s.io';
const TOKEN = fakeJwt('kubernetes-service-account');
const CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n-----END CERTIFICATE-----\n',
).toString('base64');
const OBJECTS = objectsOf(storefront, legacyWeb, nodes, pods, rbac);

const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'storefront',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'storefront' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'legacy-web',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-label-selector': 'app=legacy-web',
        'backstage.io/kubernetes-cluster': CLUSTER,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-shop' },
  },
];

/** How the fake API server misbehaves in the next run. */
type Mode = 'ok' | 'crb-403' | 'deployments-403' | 'wrong-url' | 'unauthorized';

describe('aks-baseline backend over a Kubernetes API (integration)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  // supertest's own requests to the backend must pass through.
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  let mode: Mode = 'ok';
  function serveFake() {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: (_req, url) => {
        if (mode === 'unauthorized') {
          return statusResponse(401, 'Unauthorized', 'Unauthorized');
        }
        if (mode === 'wrong-url') {
          return statusResponse(
            404,
            'NotFound',
            'the server could not find the requested resource',
          );
        }
        const forbidden =
          (mode === 'crb-403' &&
            url.pathname ===
              '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings') ||
          (mode === 'deployments-403' &&
            url.pathname === '/apis/apps/v1/deployments');
        return forbidden
          ? statusResponse(
              403,
              'Forbidden',
              'User "system:serviceaccount:backstage:aks-baseline" cannot list resource at the cluster scope',
            )
          : undefined;
      },
    });
    server.use(...fake.handlers);
  }

  async function start(databaseId: any) {
    const knex = await databases.init(databaseId);
    return startAksBaselineTestBackend({
      knex,
      entities: ENTITIES,
      config: {
        clusters: [
          {
            name: CLUSTER,
            kubernetes: {
              url: URL_BASE,
              caData: CA,
              serviceAccountToken: TOKEN,
            },
          },
        ],
      },
    });
  }

  /** Runs every cluster through POST /evaluations and waits for the end. */
  async function evaluate(backend: AksBaselineTestBackend) {
    const done = backend
      .logLines()
      .filter(l => /Evaluated \d+ cluster\(s\) in/.test(l)).length;
    const res = await request(backend.server)
      .post(`${API}/evaluations`)
      .send({});
    expect(res.status).toBe(202);
    await waitForEvaluationOfAll(backend, done + 1);
  }

  async function cluster(backend: { server: any }) {
    const res = await request(backend.server).get(`${API}/clusters/${CLUSTER}`);
    expect(res.status).toBe(200);
    const findings = await allFindings(
      backend.server,
      `${API}/clusters/${CLUSTER}/findings`,
    );
    return { ...(res.body as ClusterDetailResponse), findings };
  }

  async function entityScore(backend: { server: any }, name: string) {
    return request(backend.server).get(
      `${API}/entities/default/component/${name}/score`,
    );
  }

  it.each(databases.eachSupportedId())(
    'counts what a 403 hid as unknown with its reason, and keeps the last good result when a core kind fails, on %p',
    async databaseId => {
      serveFake();
      const backend = await start(databaseId);
      try {
        mode = 'ok';
        await evaluate(backend);
        const full = await cluster(backend);
        expect(full.status).toBe('ok');
        expect(full.unreadableKinds).toBeUndefined();
        const adminFailures = full.findings.filter(
          f => f.baselineRef === 'ID-08' && f.status === 'fail',
        );
        expect(adminFailures.length).toBeGreaterThan(0);
        const fullEntity: EntityScoreResponse = (
          await entityScore(backend, 'storefront')
        ).body;
        expect(fullEntity.clusters[0].unreadableKinds).toBeUndefined();

        // ClusterRoleBindings forbidden: ID-08 cannot be judged. Its
        // failures are gone, so they must show as checks not made.
        mode = 'crb-403';
        await evaluate(backend);
        const partial = await cluster(backend);
        expect(partial.status).toBe('ok');
        expect(partial.stale).toBe(false);
        expect(partial.unreadableKinds).toEqual([
          {
            kind: 'ClusterRoleBinding',
            reason: expect.stringMatching(
              /^forbidden \(403\): the identity cannot list clusterrolebindings\.rbac\.authorization\.k8s\.io/,
            ),
          },
        ]);
        expect(
          partial.findings.filter(
            f => f.baselineRef === 'ID-08' && f.status === 'fail',
          ),
        ).toEqual([]);
        const adminUnknown = partial.findings.filter(
          f => f.baselineRef === 'ID-08' && f.status === 'unknown',
        );
        expect(adminUnknown).toHaveLength(1);
        expect(adminUnknown[0].message).toMatch(/ClusterRoleBinding/);
        expect(partial.totals.unknown).toBeGreaterThan(full.totals.unknown);
        // The same in the list and the overview.
        const listed: ClustersResponse = (
          await request(backend.server).get(`${API}/clusters`)
        ).body;
        expect(listed.items[0].unreadableKinds).toEqual(
          partial.unreadableKinds,
        );
        expect(listed.items[0].totals.unknown).toBe(partial.totals.unknown);

        // An entity on the cluster is not a clean score: the check it may
        // have failed is unknown, with the kind and the reason.
        const entity: EntityScoreResponse = (
          await entityScore(backend, 'storefront')
        ).body;
        expect(entity.totals.unknown).toBeGreaterThan(
          fullEntity.totals.unknown,
        );
        expect(entity.clusters[0].unreadableKinds).toEqual(
          partial.unreadableKinds,
        );
        expect(
          (
            await allFindings(
              backend.server,
              `${API}/entities/default/component/storefront/findings`,
            )
          ).some(f => f.baselineRef === 'ID-08' && f.status === 'unknown'),
        ).toBe(true);
        const overview = (await request(backend.server).get(`${API}/overview`))
          .body;
        const row = overview.entities.find(
          (e: any) => e.entityRef === 'component:default/storefront',
        );
        expect(row.unknown).toBe(entity.totals.unknown);

        // Deployments forbidden: nothing to judge. The run fails naming the
        // kind and the status; the last good result stays, stale.
        mode = 'deployments-403';
        await evaluate(backend);
        const stale = await cluster(backend);
        expect(stale.status).toBe('stale');
        expect(stale.stale).toBe(true);
        expect(stale.score).toBe(partial.score);
        expect(stale.evaluatedAt).toBe(partial.evaluatedAt);
        expect(stale.totals).toEqual(partial.totals);
        expect(stale.lastError).toMatch(
          /^Kubernetes API returned 403 Forbidden listing deployments\.apps/,
        );
        expect(stale.staleReason).toBe(stale.lastError);
        const runs: EvaluationRunsResponse = (
          await request(backend.server).get(`${API}/evaluations`)
        ).body;
        expect(runs.items.map(r => r.status)).toEqual([
          'failed',
          'success',
          'success',
        ]);
        expect(runs.items[0].error).toBe(stale.lastError);
        const staleEntity: EntityScoreResponse = (
          await entityScore(backend, 'storefront')
        ).body;
        expect(staleEntity.stale).toBe(true);
        expect(staleEntity.score).toBe(entity.score);

        // A wrong URL (404 everywhere) is a failed read too, never a 0.
        mode = 'wrong-url';
        await evaluate(backend);
        const still = await cluster(backend);
        expect(still.status).toBe('stale');
        expect(still.score).toBe(partial.score);
        expect(still.evaluatedAt).toBe(partial.evaluatedAt);
        expect(still.lastError).toMatch(
          /^Kubernetes API returned 404 Not Found listing .*check kubernetes\.url/,
        );
        const history = (
          await request(backend.server).get(
            `${API}/entities/default/component/storefront/history`,
          )
        ).body;
        expect(history.items).toHaveLength(2);
      } finally {
        await backend.cleanup();
      }
    },
  );

  it('says never evaluated, with the error, for a cluster that was never read', async () => {
    serveFake();
    const backend = await start('SQLITE_3');
    try {
      mode = 'unauthorized';
      await evaluate(backend);
      await evaluate(backend);
      const never = await cluster(backend);
      expect(never.status).toBe('never-evaluated');
      expect(never.stale).toBe(false);
      expect(never.staleReason).toBeUndefined();
      expect(never.score).toBeNull();
      expect(never.lastError).toMatch(
        /^Kubernetes API returned 401 Unauthorized/,
      );

      // Its entities have no score: they say why instead of "no workloads".
      const res = await entityScore(backend, 'legacy-web');
      expect(res.status).toBe(404);
      expect(res.body.error.reason).toBe('never-evaluated');
      expect(res.body.error.clusters).toEqual([
        {
          name: CLUSTER,
          lastError: never.lastError,
          lastAttemptAt: never.lastAttemptAt,
        },
      ]);
      expect(res.body.error.message).toContain(never.lastError);

      mode = 'ok';
      await evaluate(backend);
      expect((await cluster(backend)).status).toBe('ok');
      expect((await entityScore(backend, 'legacy-web')).status).toBe(200);
    } finally {
      await backend.cleanup();
    }
  });
});
