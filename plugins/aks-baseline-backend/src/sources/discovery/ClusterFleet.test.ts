import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { evaluate, RULE_CATALOG } from '@aks-baseline/plugin-aks-baseline-node';
import {
  armError,
  exampleArmCluster,
  fakeArm,
  fakeEntra,
  fakeJwt,
  type FakeArmCluster,
  userKubeconfig,
} from '../__testUtils__/fakeAzure';
import { fakeArmList, listedCluster } from '../__testUtils__/fakeArmList';
import {
  CATALOG_KINDS,
  capturingLogger,
  expectNoSecrets,
  TEST_TUNING,
} from '../__testUtils__/helpers';
import { createClusterFleet } from './createClusterFleet';
import { DiscoveredClusterSource } from './DiscoveredClusterSource';

const server = setupServer();
registerMswTestHooks(server);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '3f1c9d2e-5b7a-4c11-9e0d-6a8b2f4c7d90';
const CLIENT_SECRET = 'Qx8~fakeDiscoverySecretValue.DoNotLog_0123456789';
const ARM_TOKEN = fakeJwt('https://management.azure.com');
const AKS_TOKEN = fakeJwt('6dae42f8-4368-4678-94ff-3960e28e3630');
const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';
const PUBLIC_FQDN = 'dnsprefix1-abcd1234.hcp.eastus.azmk8s.io';
const PRIVATE_FQDN = 'dnsprefix1-abcd1234.privatelink.eastus.azmk8s.io';
const CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIE6DCCAtCgAwIBAgIQT0kQ4Jr8p9X3Hq0Y0c2Z5jANBgkqhkiG9w0BAQsFADAN\n-----END CERTIFICATE-----\n',
).toString('base64');

function discoveryConfig(
  azure: JsonObject = {},
  clusters: JsonObject[] = [],
): JsonObject {
  return {
    aksBaseline: {
      includeKubernetesPluginClusters: false,
      clusters,
      discovery: {
        azure: {
          subscriptions: [SUB_A, SUB_B],
          tenantId: TENANT,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          ...azure,
        },
      },
    },
  };
}

function setup(
  subscriptions: Record<string, Record<string, any>[]>,
  options: {
    config?: JsonObject;
    override?: Parameters<typeof fakeArmList>[0]['override'];
  } = {},
) {
  const entra = fakeEntra({
    tenantId: TENANT,
    armToken: ARM_TOKEN,
    aksToken: AKS_TOKEN,
  });
  const arm = fakeArmList({
    armToken: ARM_TOKEN,
    subscriptions,
    pageSize: 2,
    ...(options.override ? { override: options.override } : {}),
  });
  server.use(...entra.handlers, ...arm.handlers);
  const { logger, lines } = capturingLogger();
  const fleet = createClusterFleet(
    mockServices.rootConfig({ data: options.config ?? discoveryConfig() }),
    logger,
    { tuning: TEST_TUNING },
  );
  return { fleet, lines, requests: arm.requests, tokens: entra.tokenRequests };
}

describe('cluster discovery', () => {
  it('lists every page of two subscriptions with the real SDK client', async () => {
    const { fleet, requests, tokens } = setup({
      [SUB_A]: [
        listedCluster(SUB_A, 'rg-east', 'aks-east-1'),
        listedCluster(SUB_A, 'rg-east', 'aks-east-2'),
        listedCluster(SUB_A, 'rg-west', 'aks-west-1'),
      ],
      [SUB_B]: [listedCluster(SUB_B, 'rg-platform', 'aks-platform')],
    });

    const refresh = await fleet.refresh();

    expect(refresh.failures).toEqual([]);
    expect(refresh.clusters).toEqual([
      'aks-east-1',
      'aks-east-2',
      'aks-platform',
      'aks-west-1',
    ]);
    expect([...fleet.keys()].sort()).toEqual(refresh.clusters);
    // The third cluster of A was on the page nextLink pointed to.
    expect(
      requests
        .filter(r => r.subscriptionId === SUB_A)
        .map(r => r.url.searchParams.get('$skipToken')),
    ).toEqual([null, '2']);
    expect(requests.every(r => r.url.searchParams.has('api-version'))).toBe(
      true,
    );
    // The configured identity, with its secret, for the ARM scope.
    expect(tokens.map(t => [t.tenant, t.clientId, t.with])).toContainEqual([
      TENANT,
      CLIENT_ID,
      'client_secret',
    ]);
    const source = fleet.get('aks-west-1');
    expect(source).toBeInstanceOf(DiscoveredClusterSource);
    expect((source as DiscoveredClusterSource).id).toBe(
      `/subscriptions/${SUB_A}/resourceGroups/rg-west/providers/Microsoft.ContainerService/managedClusters/aks-west-1`,
    );
  });

  it('still lists the other subscription when one answers 403, and reports it', async () => {
    let denyB = false;
    const { fleet, lines } = setup(
      {
        [SUB_A]: [listedCluster(SUB_A, 'rg-east', 'aks-east-1')],
        [SUB_B]: [listedCluster(SUB_B, 'rg-platform', 'aks-platform')],
      },
      {
        override: r =>
          denyB && r.subscriptionId === SUB_B
            ? armError(
                403,
                'AuthorizationFailed',
                `The client '${CLIENT_ID}' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/${SUB_B}'.`,
              )
            : undefined,
      },
    );

    denyB = true;
    const first = await fleet.refresh();
    expect(first.clusters).toEqual(['aks-east-1']);
    expect(first.failures).toEqual([
      {
        scope: { subscriptionId: SUB_B },
        status: 403,
        reason: expect.stringContaining(
          `403 Forbidden listing managed clusters in subscription ${SUB_B}`,
        ),
      },
    ]);
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `warn Cluster discovery could not list subscription ${SUB_B}.*no cluster of it is known yet`,
      ),
    );

    // Listed once, then denied: its clusters are kept rather than dropped.
    denyB = false;
    expect((await fleet.refresh()).clusters).toEqual([
      'aks-east-1',
      'aks-platform',
    ]);
    denyB = true;
    const third = await fleet.refresh();
    expect(third.clusters).toEqual(['aks-east-1', 'aks-platform']);
    expect(third.removed).toEqual([]);
    expect(lines.join('\n')).toContain(
      'keeping the 1 cluster(s) it listed last time',
    );
    expectNoSecrets(lines, [CLIENT_SECRET, ARM_TOKEN]);
  });

  it('drops a cluster removed between two refreshes, and brings it back under the same name', async () => {
    const east2 = listedCluster(SUB_A, 'rg-east', 'aks-east-2');
    const fleetA = [listedCluster(SUB_A, 'rg-east', 'aks-east-1'), east2];
    const { fleet } = setup({ [SUB_A]: fleetA, [SUB_B]: [] });

    expect((await fleet.refresh()).clusters).toEqual([
      'aks-east-1',
      'aks-east-2',
    ]);
    const before = fleet.get('aks-east-2');

    fleetA.pop();
    const second = await fleet.refresh();
    expect(second).toMatchObject({
      clusters: ['aks-east-1'],
      added: [],
      removed: ['aks-east-2'],
    });
    expect(fleet.has('aks-east-2')).toBe(false);
    expect([...fleet.values()].map(s => s.name)).toEqual(['aks-east-1']);

    fleetA.push(east2);
    const third = await fleet.refresh();
    expect(third.added).toEqual(['aks-east-2']);
    expect(fleet.get('aks-east-2')).not.toBe(before);
    expect((fleet.get('aks-east-2') as DiscoveredClusterSource).id).toBe(
      east2.id,
    );
  });

  it('merges a configured cluster with its discovered twin by resource id (any case)', async () => {
    const { fleet } = setup(
      {
        [SUB_A]: [
          listedCluster(SUB_A, 'RG-East', 'aks-east-1'),
          listedCluster(SUB_A, 'rg-east', 'aks-east-2'),
        ],
        [SUB_B]: [],
      },
      {
        config: discoveryConfig({}, [
          {
            name: 'east-prod',
            azure: {
              subscriptionId: SUB_A,
              resourceGroup: 'rg-east',
              clusterName: 'aks-east-1',
            },
          },
        ]),
      },
    );
    const refresh = await fleet.refresh();
    expect(refresh.clusters).toEqual(['aks-east-2']);
    expect([...fleet.keys()]).toEqual(['east-prod', 'aks-east-2']);
    expect(fleet.get('east-prod')).not.toBeInstanceOf(DiscoveredClusterSource);
  });

  it('keeps clusters by tag, include and exclude, and names twins apart the same way each time', async () => {
    const subscriptions = {
      [SUB_A]: [
        listedCluster(SUB_A, 'rg-east', 'shared', { Environment: 'prod' }),
        listedCluster(SUB_A, 'rg-east', 'sandbox-1', { Environment: 'prod' }),
        listedCluster(SUB_A, 'rg-east', 'untagged', {}),
      ],
      [SUB_B]: [
        listedCluster(SUB_B, 'rg-b', 'shared', { environment: 'prod' }),
        listedCluster(SUB_B, 'rg-b', 'other', { Environment: 'dev' }),
      ],
    };
    const { fleet } = setup(subscriptions, {
      config: discoveryConfig({
        tags: { Environment: 'prod' },
        exclude: ['sandbox-*'],
      }),
    });
    const first = await fleet.refresh();
    expect(first.clusters).toHaveLength(2);
    expect(first.clusters.every(n => /^shared-[0-9a-f]{6}$/.test(n))).toBe(
      true,
    );
    expect(new Set(first.clusters).size).toBe(2);
    expect((await fleet.refresh()).clusters).toEqual(first.clusters);
  });

  it('lists only the configured resource groups, each with ListByResourceGroup', async () => {
    const { fleet, requests } = setup(
      {
        [SUB_A]: [
          listedCluster(SUB_A, 'rg-east', 'aks-east-1'),
          listedCluster(SUB_A, 'rg-west', 'aks-west-1'),
        ],
        [SUB_B]: [],
      },
      {
        config: discoveryConfig({
          subscriptions: [SUB_A],
          resourceGroups: ['rg-east'],
        }),
      },
    );
    expect((await fleet.refresh()).clusters).toEqual(['aks-east-1']);
    expect(requests.map(r => r.resourceGroup)).toEqual(['rg-east']);
  });

  it('needs no discovery: the configured clusters alone, ready at once', async () => {
    const fleet = createClusterFleet(
      mockServices.rootConfig({
        data: {
          aksBaseline: {
            clusters: [
              { name: 'demo', snapshot: { directory: '/nonexistent' } },
            ],
          },
        },
      }),
      capturingLogger().logger,
    );
    await fleet.ready();
    expect(fleet.discoveryEnabled).toBe(false);
    expect([...fleet.keys()]).toEqual(['demo']);
    await expect(fleet.refresh()).rejects.toThrow(/not configured/);
  });
});

/** One discovered cluster, its ARM and (unless overridden) no API server. */
async function discoveredExample(options: {
  armCluster?: FakeArmCluster;
  override?: Parameters<typeof fakeArm>[0]['override'];
}) {
  const entra = fakeEntra({
    tenantId: TENANT,
    armToken: ARM_TOKEN,
    aksToken: AKS_TOKEN,
  });
  const arm = fakeArm({
    armToken: ARM_TOKEN,
    clusters: [
      options.armCluster ?? exampleArmCluster({ subscriptionId: SUB_A }),
    ],
    ...(options.override ? { override: options.override } : {}),
  });
  const list = fakeArmList({
    armToken: ARM_TOKEN,
    subscriptions: {
      [SUB_A]: [listedCluster(SUB_A, 'rg1', 'clustername1')],
    },
    pageSize: 10,
  });
  server.use(...entra.handlers, ...list.handlers, ...arm.handlers);
  const { logger, lines } = capturingLogger();
  const fleet = createClusterFleet(
    mockServices.rootConfig({
      data: discoveryConfig({ subscriptions: [SUB_A] }),
    }),
    logger,
    { tuning: TEST_TUNING },
  );
  await fleet.refresh();
  const source = fleet.get('clustername1')!;
  const read = () =>
    source.read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
  return { read, lines };
}

describe('a discovered cluster without data-plane access', () => {
  it('is evaluated on ARM alone, its Kubernetes kinds unreadable (never passed)', async () => {
    const { read, lines } = await discoveredExample({
      // The identity may read ARM but not the cluster's credentials.
      override: part =>
        part === 'credentials'
          ? armError(403, 'AuthorizationFailed', 'no listClusterUserCredential')
          : undefined,
    });
    const snapshot = await read();
    expect(snapshot.managedCluster).toBeDefined();
    expect(snapshot.objects).toEqual([]);
    expect(snapshot.coverage.providedKinds).toEqual([]);
    for (const info of CATALOG_KINDS) {
      expect(snapshot.coverage.unreadable[info.kind]).toMatch(
        /^no data-plane access \(Azure Resource Manager returned 403 Forbidden reading the cluster CA.*\); evaluated on Azure Resource Manager alone$/,
      );
    }
    expect(lines.join('\n')).toContain(
      'warn Cluster clustername1: no data-plane access',
    );

    // The engine's view: ARM rules decided; each Kubernetes rule unknown,
    // with the reason (none skipped, none passed).
    const result = evaluate(snapshot, { rules: RULE_CATALOG });
    const kubernetesRules = RULE_CATALOG.filter(
      r => r.source === 'kubernetes' && !r.manual,
    );
    const statusesOf = (id: string) => [
      ...new Set(
        result.findings.filter(f => f.ruleId === id).map(f => f.status),
      ),
    ];
    const notUnknown = kubernetesRules.filter(
      r => statusesOf(r.id).join() !== 'unknown',
    );
    expect(notUnknown.map(r => [r.id, statusesOf(r.id)])).toEqual([]);
    expect(result.summary.totals.unknown).toBeGreaterThanOrEqual(
      kubernetesRules.length,
    );
    // No workload or namespace was judged on what was not read.
    expect(
      result.subjects.filter(
        s => s.scope === 'workload' || s.scope === 'namespace',
      ),
    ).toEqual([]);
    expect(result.summary.totals.unknown).toBeGreaterThan(0);
  });

  it('falls back to ARM alone when a private cluster cannot be reached', async () => {
    const armCluster = exampleArmCluster({
      subscriptionId: SUB_A,
      kubeconfig: userKubeconfig(`https://${PRIVATE_FQDN}:443`, CA),
    });
    armCluster.cluster.properties.apiServerAccessProfile = {
      enablePrivateCluster: true,
    };
    armCluster.cluster.properties.privateFQDN = PRIVATE_FQDN;
    server.use(
      http.get(`https://${PRIVATE_FQDN}/*`, () => HttpResponse.error()),
    );
    const { read } = await discoveredExample({ armCluster });
    const snapshot = await read();
    expect(snapshot.coverage.unreadable.Pod).toMatch(
      /^no data-plane access \(could not reach Kubernetes API/,
    );
  });

  it('fails (the last result kept) when a public cluster cannot be reached', async () => {
    const armCluster = exampleArmCluster({
      subscriptionId: SUB_A,
      kubeconfig: userKubeconfig(`https://${PUBLIC_FQDN}:443`, CA),
    });
    server.use(
      http.get(`https://${PUBLIC_FQDN}/*`, () => HttpResponse.error()),
    );
    const { read } = await discoveredExample({ armCluster });
    await expect(read()).rejects.toMatchObject({
      name: 'ClusterReadError',
      code: 'network',
    });
  });
});
