/*
 * No part of a credential in what a failed upstream leaves behind: the run's
 * error and the cluster's last error as stored, as the API answers them,
 * and every log line. Upstreams are faked with msw: Microsoft Entra ID
 * answering a client-secret sign-in with an error that quotes the request
 * (real @azure/identity and @azure/arm-containerservice), and a module's
 * own cluster source whose upstream error carries a SAS URL and a bearer
 * token.
 */
import request from 'supertest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  ClustersResponse,
  EvaluationRunsResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  exampleArmCluster,
  fakeArm,
  fakeEntra,
  fakeJwt,
} from './sources/__testUtils__/fakeAzure';
import {
  aksBaselineClusterSourcesExtensionPoint,
  ClusterSource,
} from '@aks-baseline/plugin-aks-baseline-node';
import {
  AksBaselineTestBackend,
  startAksBaselineTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '3f1c9d2e-5b7a-4c11-9e0d-6a8b2f4c7d90';
const CLIENT_SECRET = 'Qx8~fakeClientSecretValue.DoNotLog_0123456789';
const ARM_TOKEN = fakeJwt('https://management.azure.com');
const AKS_TOKEN = fakeJwt('6dae42f8-4368-4678-94ff-3960e28e3630');
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
const SAS_SIG = 'hT3xZq9pKc2VbN8mLr4sWy7fUo1eAj6dGi5=';
const UPSTREAM_TOKEN = 'upstream-opaque-bearer-7d1e4c9a2b8f6e3d';

/** Fails the test if `text` holds any 8 characters of `secret` in a row. */
function expectNoPartOf(text: string, secret: string, where: string) {
  for (let i = 0; i + 8 <= secret.length; i++) {
    const piece = secret.slice(i, i + 8);
    if (text.includes(piece)) {
      throw new Error(`${where} holds "${piece}", part of a credential`);
    }
  }
}

async function storedErrors(knex: Knex, cluster: string): Promise<string> {
  const runs = await knex('aks_baseline_runs')
    .where({ cluster })
    .select('error');
  const results = await knex('aks_baseline_cluster_results')
    .where({ cluster })
    .select('last_error', 'stale_reason');
  return JSON.stringify([runs, results]);
}

async function failedRun(backend: AksBaselineTestBackend, cluster: string) {
  for (let i = 0; ; i++) {
    const runs: EvaluationRunsResponse = (
      await request(backend.server).get(`${API}/evaluations?cluster=${cluster}`)
    ).body;
    const run = runs.items[0];
    if (run && run.status !== 'running') return run;
    if (i > 600) throw new Error('the run did not finish');
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('credentials in upstream errors (integration)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  // supertest's own requests to the backend must pass through.
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  /** Everything the failure left: stored, answered and logged. */
  async function leftBehind(
    backend: AksBaselineTestBackend,
    knex: Knex,
    cluster: string,
  ) {
    const run = await failedRun(backend, cluster);
    const clusters: ClustersResponse = (
      await request(backend.server).get(`${API}/clusters`)
    ).body;
    return {
      run,
      texts: {
        stored: await storedErrors(knex, cluster),
        answered: JSON.stringify([run, clusters]),
        logged: backend.logLines().join('\n'),
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'keeps the client secret and tokens out of a failed Entra sign-in, on %p',
    async databaseId => {
      const entra = fakeEntra({
        tenantId: TENANT,
        armToken: ARM_TOKEN,
        aksToken: AKS_TOKEN,
        // An answer that quotes the request, as proxies and fakes do.
        tokenResponder: () =>
          HttpResponse.json(
            {
              error: 'invalid_client',
              error_description: `AADSTS7000215: Invalid client secret '${CLIENT_SECRET.slice(
                0,
                24,
              )}' for client_secret=${new URLSearchParams({
                s: CLIENT_SECRET,
              })
                .toString()
                .slice(
                  2,
                )} (Authorization: Basic ${BASIC}); last token ${ARM_TOKEN}.`,
              error_codes: [7000215],
            },
            { status: 401 },
          ),
      });
      const arm = fakeArm({
        armToken: ARM_TOKEN,
        clusters: [exampleArmCluster()],
      });
      server.use(...entra.handlers, ...arm.handlers);
      const knex = await databases.init(databaseId);
      const cluster = exampleArmCluster();
      const backend = await startAksBaselineTestBackend({
        knex,
        config: {
          clusters: [
            {
              name: 'aks-eastus',
              azure: {
                subscriptionId: cluster.subscriptionId,
                resourceGroup: cluster.resourceGroup,
                clusterName: cluster.clusterName,
                tenantId: TENANT,
                clientId: CLIENT_ID,
                clientSecret: CLIENT_SECRET,
              },
            },
          ],
        },
      });
      try {
        const started = await request(backend.server)
          .post(`${API}/evaluations`)
          .send({ cluster: 'aks-eastus' });
        expect(started.status).toBe(202);
        const { run, texts } = await leftBehind(backend, knex, 'aks-eastus');
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(
          /could not get a Microsoft Entra token .*AADSTS7000215/,
        );
        expect(entra.tokenRequests.length).toBeGreaterThan(0);
        for (const [where, text] of Object.entries(texts)) {
          for (const secret of [CLIENT_SECRET, ARM_TOKEN, AKS_TOKEN, BASIC]) {
            expectNoPartOf(text, secret, where);
          }
        }
      } finally {
        await backend.cleanup();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    "keeps a SAS signature and a bearer token out of a module source's upstream error, on %p",
    async databaseId => {
      const blob = 'https://fleetsnapshots.blob.core.windows.net';
      const seen: string[] = [];
      server.use(
        http.get(`${blob}/snapshots/:name`, ({ request: req }) => {
          seen.push(req.url);
          return HttpResponse.text(
            `AuthenticationFailed: Server failed to authenticate the request. Request header Authorization: Bearer ${UPSTREAM_TOKEN}; signature ${SAS_SIG} did not match`,
            { status: 403 },
          );
        }),
      );
      // A module's source: its error message carries the request and the answer.
      const source: ClusterSource = {
        name: 'aks-from-blob',
        kind: 'snapshot',
        async read() {
          const url = `${blob}/snapshots/aks-from-blob.json?sv=2022-11-02&sr=b&sp=r&sig=${encodeURIComponent(
            SAS_SIG,
          )}`;
          const res = await fetch(url, {
            headers: { authorization: `Bearer ${UPSTREAM_TOKEN}` },
          });
          throw new Error(
            `GET ${url} answered ${res.status}: ${await res.text()}`,
          );
        },
      };
      const module = createBackendModule({
        pluginId: 'aks-baseline',
        moduleId: 'blob-snapshots',
        register(reg) {
          reg.registerInit({
            deps: { baseline: aksBaselineClusterSourcesExtensionPoint },
            async init({ baseline }) {
              baseline.addClusterSources(source);
            },
          });
        },
      });
      const knex = await databases.init(databaseId);
      const backend = await startAksBaselineTestBackend({
        knex,
        config: { clusters: [] },
        features: [module],
      });
      try {
        await request(backend.server)
          .post(`${API}/evaluations`)
          .send({ cluster: 'aks-from-blob' })
          .expect(202);
        const { run, texts } = await leftBehind(backend, knex, 'aks-from-blob');
        expect(seen).toHaveLength(1);
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(/answered 403: AuthenticationFailed/);
        for (const [where, text] of Object.entries(texts)) {
          for (const secret of [
            SAS_SIG,
            encodeURIComponent(SAS_SIG),
            UPSTREAM_TOKEN,
          ]) {
            expectNoPartOf(text, secret, where);
          }
        }
      } finally {
        await backend.cleanup();
      }
    },
  );
});
