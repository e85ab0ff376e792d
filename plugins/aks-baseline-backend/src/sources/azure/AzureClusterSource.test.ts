import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { promises as fs } from 'fs';
import * as http_ from 'http';
import * as os from 'os';
import * as path from 'path';
import privateClusterExample from '../__fixtures__/azure/ManagedClustersCreate_PrivateClusterPublicFQDN.json';
import storefront from '../__fixtures__/kubernetes/compliant-shop-storefront.json';
import nodes from '../__fixtures__/kubernetes/nodes-health.json';
import {
  AKS_SCOPE,
  ARM_SCOPE,
  armError,
  exampleArmCluster,
  fakeArm,
  fakeEntra,
  fakeJwt,
  FakeArmCluster,
  userKubeconfig,
} from '../__testUtils__/fakeAzure';
import { fakeKubernetesApi, objectsOf } from '../__testUtils__/fakeKubernetes';
import {
  CATALOG_KINDS,
  capturingLogger,
  expectNoSecrets,
  exposedText,
  only,
  readError,
  sourcesFor,
  TEST_TUNING,
} from '../__testUtils__/helpers';
import { mockServices } from '@backstage/backend-test-utils';
import { createClusterSources } from '../createClusterSources';

const server = setupServer();
registerMswTestHooks(server);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '3f1c9d2e-5b7a-4c11-9e0d-6a8b2f4c7d90';
const CLIENT_SECRET = 'Qx8~fakeClientSecretValue.DoNotLog_0123456789';
const ARM_TOKEN = fakeJwt('https://management.azure.com');
const AKS_TOKEN = fakeJwt('6dae42f8-4368-4678-94ff-3960e28e3630');
const FQDN = 'dnsprefix1-abcd1234.hcp.eastus.azmk8s.io';
const CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIE6DCCAtCgAwIBAgIQT0kQ4Jr8p9X3Hq0Y0c2Z5jANBgkqhkiG9w0BAQsFADAN\n-----END CERTIFICATE-----\n',
).toString('base64');
const OBJECTS = objectsOf(storefront, nodes);
/** Parts of the kubeconfig that must never be kept or sent. */
const KUBECONFIG_SECRETS = [
  'local-account-token-should-never-be-kept-0123456789abcdef',
  'Q0xJRU5ULUtFWS1TSE9VTEQtTkVWRVItQkUtS0VQVA==',
];
const ALL_SECRETS = [
  CLIENT_SECRET,
  ARM_TOKEN,
  AKS_TOKEN,
  ...KUBECONFIG_SECRETS,
];

function armCluster(overrides: Partial<FakeArmCluster> = {}): FakeArmCluster {
  const cluster = exampleArmCluster({
    kubeconfig: userKubeconfig(`https://${FQDN}:443`, CA),
    ...overrides,
  });
  // The two published pool examples share a name; keep both apart.
  if (cluster.agentPools?.[1]) cluster.agentPools[1].name = 'spotpool1';
  return cluster;
}

function config(kubernetes?: JsonObject): JsonObject {
  return {
    aksBaseline: {
      clusters: [
        {
          name: 'aks-eastus',
          azure: {
            subscriptionId: '00000000-0000-0000-0000-000000000000',
            resourceGroup: 'rg1',
            clusterName: 'clustername1',
            tenantId: TENANT,
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
          },
          ...(kubernetes ? { kubernetes } : {}),
        },
      ],
    },
  };
}

function setup(
  options: {
    cluster?: FakeArmCluster;
    armOverride?: Parameters<typeof fakeArm>[0]['override'];
    kubeBase?: string;
    tokenResponder?: Parameters<typeof fakeEntra>[0]['tokenResponder'];
  } = {},
) {
  const entra = fakeEntra({
    tenantId: TENANT,
    armToken: ARM_TOKEN,
    aksToken: AKS_TOKEN,
    tokenResponder: options.tokenResponder,
  });
  const arm = fakeArm({
    armToken: ARM_TOKEN,
    clusters: [options.cluster ?? armCluster()],
    override: options.armOverride,
  });
  const kube = fakeKubernetesApi({
    baseUrl: options.kubeBase ?? `https://${FQDN}`,
    objects: OBJECTS,
    token: AKS_TOKEN,
  });
  server.use(...entra.handlers, ...arm.handlers, ...kube.handlers);
  return { entra, arm, kube };
}

const read = (source: ReturnType<typeof only>, logger: any) =>
  source.read({
    signal: new AbortController().signal,
    logger,
    kinds: CATALOG_KINDS,
  });

describe('AzureClusterSource', () => {
  it('reads ARM and then the AKS API at the FQDN with an Entra token', async () => {
    const { entra, arm, kube } = setup();
    const { sources, logger, lines } = sourcesFor(config());
    const source = only(sources, 'aks-eastus');
    expect(source.kind).toBe('azure');

    const snapshot = await read(source, logger);

    expect(snapshot.name).toBe('aks-eastus');
    const mc = snapshot.managedCluster!;
    expect(mc.name).toBe('clustername1');
    expect(mc.location).toBe('location1');
    expect(mc.enableRBAC).toBe(false);
    expect(mc.networkProfile?.networkPlugin).toBe('kubenet');
    // Pools from both pages of agentPools.list, merged into the cluster's.
    expect(mc.agentPoolProfiles!.map(p => p.name).sort()).toEqual([
      'agentpool1',
      'nodepool1',
      'spotpool1',
    ]);
    expect(
      mc.agentPoolProfiles!.find(p => p.name === 'spotpool1')?.scaleSetPriority,
    ).toBe('Spot');
    expect(snapshot.maintenanceConfigurations?.map(m => m.name)).toEqual([
      'aksManagedNodeOSUpgradeSchedule',
    ]);
    expect(
      snapshot.upgradeProfile?.controlPlaneProfile?.kubernetesVersion,
    ).toBe('1.31.11');
    expect(snapshot.kubernetesVersions?.map(v => v.version)).toEqual(
      expect.arrayContaining(['1.31', '1.32', '1.33']),
    );

    // ARM calls: one per part, agent pools in two pages.
    const parts = arm.requests.map(r => r.part);
    expect(parts.filter(p => p === 'cluster')).toHaveLength(1);
    expect(parts.filter(p => p === 'agentPools')).toHaveLength(2);
    expect(parts).toEqual(
      expect.arrayContaining([
        'maintenanceConfigurations',
        'upgradeProfile',
        'kubernetesVersions',
        'credentials',
      ]),
    );
    expect(
      arm.requests.find(r => r.part === 'kubernetesVersions')!.url.pathname,
    ).toContain('/locations/location1/');
    for (const r of arm.requests) {
      expect(r.url.searchParams.get('api-version')).toMatch(
        /^\d{4}-\d{2}-\d{2}/,
      );
      expect(r.authorization).toBe(`Bearer ${ARM_TOKEN}`);
    }
    // Entra: client secret flow, for ARM and for the AKS server app.
    expect(entra.tokenRequests.map(t => t.scope).sort()).toEqual(
      [AKS_SCOPE, ARM_SCOPE].sort(),
    );
    expect(entra.tokenRequests.every(t => t.with === 'client_secret')).toBe(
      true,
    );
    expect(entra.tokenRequests.every(t => t.clientId === CLIENT_ID)).toBe(true);

    // Kubernetes: at the ARM FQDN, with the Entra token, never the kubeconfig's.
    expect(kube.requests.length).toBeGreaterThan(0);
    for (const r of kube.requests) {
      expect(r.url.host).toBe(FQDN);
      expect(r.authorization).toBe(`Bearer ${AKS_TOKEN}`);
    }
    expect(snapshot.objects.length).toBe(OBJECTS.length);
    expect(snapshot.coverage.mode).toBe('cluster');
    expectNoSecrets([...lines, JSON.stringify(snapshot)], ALL_SECRETS);
  });

  it('reaches a private cluster at its private FQDN', async () => {
    const body = structuredClone(
      (privateClusterExample as any).responses['200'].body,
    );
    const privateFqdn = body.properties.privateFQDN as string;
    const { kube } = setup({
      cluster: armCluster({
        cluster: body,
        kubeconfig: userKubeconfig(`https://${privateFqdn}:443`, CA),
      }),
      kubeBase: `https://${privateFqdn}`,
    });
    const { sources, logger } = sourcesFor(config());
    const snapshot = await read(only(sources, 'aks-eastus'), logger);
    expect(
      snapshot.managedCluster?.apiServerAccessProfile?.enablePrivateCluster,
    ).toBe(true);
    expect(new Set(kube.requests.map(r => r.url.host))).toEqual(
      new Set([privateFqdn]),
    );
  });

  it('uses the kubernetes block instead of the FQDN, CA and Entra token', async () => {
    const token = fakeJwt('service-account');
    const { entra, arm } = setup();
    const kube = fakeKubernetesApi({
      baseUrl: 'https://aks-api.internal.contoso.com:6443',
      objects: OBJECTS,
      token,
    });
    server.use(...kube.handlers);
    const { sources, logger } = sourcesFor(
      config({
        url: 'https://aks-api.internal.contoso.com:6443',
        caData: CA,
        serviceAccountToken: token,
      }),
    );
    const snapshot = await read(only(sources, 'aks-eastus'), logger);
    expect(snapshot.objects.length).toBe(OBJECTS.length);
    expect(arm.requests.some(r => r.part === 'credentials')).toBe(false);
    expect(entra.tokenRequests.map(t => t.scope)).toEqual([ARM_SCOPE]);
    expect(
      kube.requests.every(r => r.authorization === `Bearer ${token}`),
    ).toBe(true);
  });

  it('leaves optional parts undefined on 403/404 instead of failing', async () => {
    setup({
      armOverride: part => {
        if (part === 'maintenanceConfigurations') {
          return armError(
            403,
            'AuthorizationFailed',
            `The client '${CLIENT_ID}' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations/read'.`,
          );
        }
        if (part === 'upgradeProfile') {
          return armError(404, 'NotFound', 'upgrade profile not found');
        }
        if (part === 'kubernetesVersions') {
          return armError(403, 'AuthorizationFailed', 'no access');
        }
        if (part === 'agentPools') {
          return armError(403, 'AuthorizationFailed', 'no access');
        }
        return undefined;
      },
    });
    const { sources, logger, lines } = sourcesFor(config());
    const snapshot = await read(only(sources, 'aks-eastus'), logger);
    expect(snapshot.managedCluster?.name).toBe('clustername1');
    // The cluster document's own pool is still there.
    expect(
      snapshot.managedCluster?.agentPoolProfiles?.map(p => p.name),
    ).toEqual(['nodepool1']);
    expect(snapshot.maintenanceConfigurations).toBeUndefined();
    expect(snapshot.upgradeProfile).toBeUndefined();
    expect(snapshot.kubernetesVersions).toBeUndefined();
    expect(lines.filter(l => l.startsWith('warn')).join('\n')).toMatch(
      /403 Forbidden reading maintenance configurations/,
    );
    expect(snapshot.objects.length).toBe(OBJECTS.length);
  });

  it('fails with not-found when the managed cluster does not exist (404)', async () => {
    setup({ cluster: armCluster({ clusterName: 'someone-else' }) });
    const { sources, logger } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-eastus'), logger);
    expect(error.code).toBe('not-found');
    expect(error.status).toBe(404);
    expect(error.reason).toMatch(
      /Azure Resource Manager returned 404 Not Found reading managed cluster rg1\/clustername1/,
    );
  });

  it.each([
    [401, 'unauthorized', 'InvalidAuthenticationToken'],
    [403, 'forbidden', 'AuthorizationFailed'],
  ])('fails on %s from ARM', async (status, code, armCode) => {
    setup({
      armOverride: part =>
        part === 'cluster'
          ? armError(status, armCode, `denied with token ${ARM_TOKEN}`)
          : undefined,
    });
    const { sources, logger, lines } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-eastus'), logger);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expectNoSecrets([exposedText(error), ...lines], ALL_SECRETS);
  });

  it('waits for a short Retry-After on 429 and succeeds', async () => {
    let throttled = 0;
    const { arm } = setup({
      armOverride: part => {
        if (part === 'cluster' && throttled < 1) {
          throttled++;
          return armError(429, 'TooManyRequests', 'throttled', {
            'Retry-After': '1',
          });
        }
        return undefined;
      },
    });
    const { sources, logger } = sourcesFor(config());
    const started = Date.now();
    const snapshot = await read(only(sources, 'aks-eastus'), logger);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(snapshot.managedCluster?.name).toBe('clustername1');
    expect(arm.requests.filter(r => r.part === 'cluster')).toHaveLength(2);
  });

  it('fails at once with retryAfterSeconds on a long Retry-After', async () => {
    setup({
      armOverride: part =>
        part === 'cluster'
          ? armError(429, 'TooManyRequests', 'throttled', {
              'Retry-After': '600',
            })
          : undefined,
    });
    const { sources, logger } = sourcesFor(config());
    const started = Date.now();
    const error = await readError(only(sources, 'aks-eastus'), logger);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.code).toBe('throttled');
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(600);
  });

  it.each([500, 503])(
    'fails with server-error on a lasting %s',
    async status => {
      const { arm } = setup({
        armOverride: part =>
          part === 'cluster'
            ? armError(status, 'InternalServerError', 'boom')
            : undefined,
      });
      const { sources, logger } = sourcesFor(config());
      const error = await readError(only(sources, 'aks-eastus'), logger);
      expect(error.code).toBe('server-error');
      expect(error.status).toBe(status);
      // The SDK's bounded retries ran (1 + maxRetries).
      expect(arm.requests.filter(r => r.part === 'cluster')).toHaveLength(3);
    },
  );

  it('times out when ARM hangs beyond the signal', async () => {
    // msw emits the destroy error twice on an aborted http.ClientRequest
    // (mswjs/msw#2617); the Azure SDK listens once, so the second would be
    // an uncaught exception that only exists under msw. Absorb it here.
    const destroy = http_.ClientRequest.prototype.destroy;
    const spy = jest
      .spyOn(http_.ClientRequest.prototype, 'destroy')
      .mockImplementation(function destroyOnce(
        this: http_.ClientRequest,
        error?: Error,
      ) {
        this.on('error', () => {});
        return destroy.call(this, error);
      });
    try {
      setup({
        armOverride: async part => {
          if (part === 'cluster') await delay(10_000);
          return undefined;
        },
      });
      const { sources, logger } = sourcesFor(config());
      const started = Date.now();
      const error = await readError(
        only(sources, 'aks-eastus'),
        logger,
        AbortSignal.timeout(300),
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.code).toBe('timeout');
    } finally {
      spy.mockRestore();
    }
  });

  it('reports a network failure reaching ARM', async () => {
    setup();
    server.use(
      http.get('https://management.azure.com/*', () => HttpResponse.error()),
    );
    const { sources, logger, lines } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-eastus'), logger);
    expect(error.code).toBe('network');
    expectNoSecrets([exposedText(error), ...lines], ALL_SECRETS);
  });

  it('fails as unauthorized when Entra refuses the client secret', async () => {
    setup({
      tokenResponder: () =>
        HttpResponse.json(
          {
            error: 'invalid_client',
            error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT_ID}'.`,
            error_codes: [7000215],
          },
          { status: 401 },
        ),
    });
    const { sources, logger, lines } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-eastus'), logger);
    expect(error.code).toBe('unauthorized');
    expect(error.reason).toMatch(/Microsoft Entra/);
    expectNoSecrets([exposedText(error), ...lines], ALL_SECRETS);
  });

  it('fails clearly when the cluster CA cannot be read (listClusterUserCredential 403)', async () => {
    const { kube } = setup({
      armOverride: part =>
        part === 'credentials'
          ? armError(403, 'AuthorizationFailed', 'no listClusterUserCredential')
          : undefined,
    });
    const { sources, logger } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-eastus'), logger);
    expect(error.code).toBe('forbidden');
    expect(error.reason).toMatch(/listClusterUserCredential/);
    expect(error.reason).toMatch(/kubernetes\.caData/);
    expect(kube.requests).toHaveLength(0);
  });

  it('fails the cluster when the AKS API rejects the token (401)', async () => {
    setup();
    const kube = fakeKubernetesApi({
      baseUrl: `https://${FQDN}`,
      objects: OBJECTS,
      token: 'not-the-entra-token',
    });
    server.use(...kube.handlers);
    const { sources, logger, lines } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-eastus'), logger);
    expect(error.code).toBe('unauthorized');
    expect(error.reason).toMatch(/Kubernetes API returned 401/);
    expectNoSecrets([exposedText(error), ...lines], ALL_SECRETS);
  });

  it('does not read Kubernetes for a stopped cluster: every kind unknown', async () => {
    const cluster = armCluster();
    cluster.cluster.properties.powerState = { code: 'Stopped' };
    const { kube } = setup({ cluster });
    const { sources, logger } = sourcesFor(config());
    const snapshot = await read(only(sources, 'aks-eastus'), logger);
    expect(kube.requests).toHaveLength(0);
    expect(snapshot.coverage.unreadable.Pod).toMatch(/stopped/);
    expect(snapshot.coverage.unreadable.Secret).toBeUndefined();
  });

  it('reads ARM only when kubernetes.enabled is false', async () => {
    const { kube, entra } = setup();
    const { sources, logger } = sourcesFor(config({ enabled: false }));
    const snapshot = await read(only(sources, 'aks-eastus'), logger);
    expect(kube.requests).toHaveLength(0);
    expect(entra.tokenRequests.map(t => t.scope)).toEqual([ARM_SCOPE]);
    expect(snapshot.coverage.mode).toBe('manifests');
    expect(snapshot.objects).toEqual([]);
  });

  it('takes an injected credential and ARM endpoint (benchmarks, local fakes)', async () => {
    const arm = fakeArm({
      armToken: 'static-arm-token',
      baseUrl: 'https://arm.fake.local:8443',
      clusters: [armCluster()],
    });
    const kube = fakeKubernetesApi({
      baseUrl: `https://${FQDN}`,
      objects: OBJECTS,
      token: 'static-arm-token',
    });
    server.use(...arm.handlers, ...kube.handlers);
    const scopes: string[] = [];
    const { logger } = capturingLogger();
    const sources = createClusterSources(
      mockServices.rootConfig({ data: config() }),
      logger,
      {
        tuning: TEST_TUNING,
        azureCredential: {
          getToken: async scope => {
            scopes.push(...[scope].flat());
            return {
              token: 'static-arm-token',
              expiresOnTimestamp: Date.now() + 3_600_000,
            };
          },
        },
        arm: { endpoint: 'https://arm.fake.local:8443' },
      },
    );
    const snapshot = await read(only(sources, 'aks-eastus'), logger);
    expect(snapshot.managedCluster?.name).toBe('clustername1');
    expect(snapshot.objects.length).toBe(OBJECTS.length);
    expect(arm.requests.length).toBeGreaterThan(0);
    expect(scopes).toEqual(expect.arrayContaining([ARM_SCOPE, AKS_SCOPE]));
  });

  it('signs in with Workload Identity through DefaultAzureCredential', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-baseline-wi-'));
    const federated = path.join(dir, 'azure-identity-token');
    const projected = fakeJwt('api://AzureADTokenExchange');
    await fs.writeFile(federated, projected);
    const env = { ...process.env };
    delete process.env.AZURE_CLIENT_SECRET;
    delete process.env.AZURE_CLIENT_CERTIFICATE_PATH;
    delete process.env.AZURE_USERNAME;
    process.env.AZURE_TENANT_ID = TENANT;
    process.env.AZURE_CLIENT_ID = CLIENT_ID;
    process.env.AZURE_FEDERATED_TOKEN_FILE = federated;
    process.env.AZURE_AUTHORITY_HOST = 'https://login.microsoftonline.com/';
    try {
      const { entra, kube } = setup();
      const { sources, logger, lines } = sourcesFor({
        aksBaseline: {
          clusters: [
            {
              name: 'aks-eastus',
              azure: {
                subscriptionId: '00000000-0000-0000-0000-000000000000',
                resourceGroup: 'rg1',
                clusterName: 'clustername1',
              },
            },
          ],
        },
      });
      const snapshot = await read(only(sources, 'aks-eastus'), logger);
      expect(snapshot.objects.length).toBe(OBJECTS.length);
      expect(entra.tokenRequests.length).toBeGreaterThanOrEqual(2);
      expect(
        entra.tokenRequests.every(t => t.with === 'client_assertion'),
      ).toBe(true);
      expect(
        kube.requests.every(r => r.authorization === `Bearer ${AKS_TOKEN}`),
      ).toBe(true);
      expectNoSecrets(lines, [...ALL_SECRETS, projected]);
    } finally {
      process.env = env;
      await fs.rm(dir, { recursive: true });
    }
  });
});
