/*
 * aks-baseline:namespace:create on a cluster configured with
 * `managedCluster`: the namespace as an AKS managed namespace through ARM
 * (fake ARM at the HTTP level, the SDK's real requests), the team's access
 * as a role assignment on its scope, the rest through the Kubernetes API;
 * the same cases as the Kubernetes path (createNamespace.test.ts).
 */
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { setupServer } from 'msw/node';
import { readScaffolderSettings } from '../config';
import { createArmAccess } from '../azure/armClient';
import { roleAssignmentName } from '../azure/roleAssignment';
import { createTokenProvider } from '../kubernetes/credentials';
import { createNamespaceAuthorizer } from '../permissions/namespaceAuthorizer';
import { FakeArm } from '../__testUtils__/fakeArm';
import { FakeKubernetes } from '../__testUtils__/fakeKubernetes';
import { demoPolicyPermissions, ORG_ENTITIES } from '../__testUtils__/org';
import {
  CLIENT_ID,
  DEV_URL,
  GROUP_ID,
  scaffolderConfig,
} from '../__testUtils__/settings';
import {
  actionRunner,
  checkpointStore,
  devInput,
  outputsOf,
} from '../__testUtils__/namespaceAction';
import { createNamespaceCreateAction } from './createNamespace';

const server = setupServer();
registerMswTestHooks(server);

const SUBSCRIPTION = '3f2c7a1e-9b4d-4c8e-a6f0-2d1b5e7c9a30';
const RESOURCE_GROUP = 'rg-aks-dev';
const ISSUER =
  'https://koreacentral.oic.prod-aks.azure.com/6c2f7d0e-1a3b-4c5d-8e9f-0a1b2c3d4e5f/9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b/';
const WRITER = 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb';

const NS = '/api/v1/namespaces/payments-dev';
const K8S_PATHS = [
  `${NS}/resourcequotas/baseline-quota`,
  `${NS}/limitranges/baseline-limits`,
  `${NS}/serviceaccounts/payments-api`,
];
const ALL_APPLIED = [
  'ManagedNamespace payments-dev',
  `RoleAssignment Azure Kubernetes Service RBAC Writer for ${GROUP_ID} on payments-dev`,
  'ResourceQuota payments-dev/baseline-quota',
  'LimitRange payments-dev/baseline-limits',
  'ServiceAccount payments-dev/payments-api',
];

/** The cluster ARM document's fields these tests are about. */
const AZURE_RBAC_CLUSTER = {
  aadProfile: { managed: true, enableAzureRBAC: true },
  oidcIssuerProfile: { enabled: true, issuerURL: ISSUER },
};

function setup(
  options: {
    cluster?: Record<string, unknown>;
    managedNamespaces?: boolean;
  } = {},
) {
  const config = scaffolderConfig();
  const clusters = (config.clusters as any[]).map(c =>
    c.name === 'aks-dev-koreacentral'
      ? {
          ...c,
          managedCluster: {
            subscriptionId: SUBSCRIPTION,
            resourceGroup: RESOURCE_GROUP,
            name: 'aks-dev-koreacentral',
            ...(options.managedNamespaces === false
              ? { managedNamespaces: false }
              : {}),
          },
        }
      : c,
  );
  const settings = readScaffolderSettings(
    new ConfigReader({
      aksBaseline: { scaffolder: { ...config, clusters } },
    }),
  );
  const arm = new FakeArm(
    SUBSCRIPTION,
    RESOURCE_GROUP,
    'aks-dev-koreacentral',
    options.cluster ?? AZURE_RBAC_CLUSTER,
  );
  const dev = new FakeKubernetes(DEV_URL);
  server.use(...arm.handlers(), ...dev.handlers());
  const catalog = catalogServiceMock({ entities: ORG_ENTITIES });
  const action = createNamespaceCreateAction({
    settings,
    getToken: createTokenProvider(),
    authorizer: createNamespaceAuthorizer({
      auth: mockServices.auth(),
      catalog,
      permissions: demoPolicyPermissions(catalog),
      permissionsEnabled: true,
    }),
    arm: createArmAccess({
      credential: () => ({
        getToken: async () => ({
          token: 'arm-token',
          expiresOnTimestamp: Date.now() + 3600_000,
        }),
      }),
      pollIntervalMs: 1,
      maxRetries: 0,
    }),
  });
  const runner = actionRunner(action);
  // The payments team's request; `extra` changes the context (user, dry run...).
  const run = async (extra: Record<string, unknown> = {}) =>
    outputsOf(await runner.run(devInput(), extra));
  const fails = async (extra: Record<string, unknown> = {}) => {
    const { error, ctx } = await runner.fails(devInput(), extra);
    return { error, outputs: outputsOf(ctx) };
  };
  return { arm, dev, run, fails };
}

describe('aks-baseline:namespace:create as an AKS managed namespace', () => {
  it('creates the managed namespace, the role assignment, then the rest through Kubernetes', async () => {
    const env = setup();
    const outputs = await env.run();

    const mnPath = env.arm.namespacePath('payments-dev');
    const armCalls = env.arm.requests.map(r => `${r.method} ${r.path}`);
    expect(armCalls.slice(0, 4)).toEqual([
      `GET ${env.arm.clusterPath}`,
      `GET ${mnPath}`,
      `PUT ${mnPath}`,
      `GET ${mnPath}`,
    ]);
    for (const r of env.arm.requests) {
      expect(r.authorization).toBe('Bearer arm-token');
    }
    const put = env.arm.writes()[0];
    expect(put.apiVersion).toBe('2026-06-01');
    expect(put.body).toEqual({
      location: 'koreacentral',
      properties: {
        labels: expect.objectContaining({
          'pod-security.kubernetes.io/enforce': 'baseline',
          'aks-baseline.io/owner': 'team-payments',
          'app.kubernetes.io/managed-by': 'aks-baseline-scaffolder',
        }),
        annotations: {
          'aks-baseline.io/owner': 'group:default/team-payments',
          'aks-baseline.io/team-group': GROUP_ID,
        },
        defaultNetworkPolicy: { ingress: 'DenyAll', egress: 'AllowAll' },
        defaultResourceQuota: {
          cpuRequest: '2000m',
          cpuLimit: '4000m',
          memoryRequest: '4Gi',
          memoryLimit: '8Gi',
        },
        adoptionPolicy: 'Never',
        deletePolicy: 'Keep',
      },
    });

    const assignment = env.arm.writes()[1];
    expect(assignment.path).toMatch(
      new RegExp(
        `^${mnPath}/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}$`,
      ),
    );
    expect(assignment.apiVersion).toBe('2022-04-01');
    expect(assignment.body.properties).toMatchObject({
      roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${WRITER}`,
      principalId: GROUP_ID,
      principalType: 'Group',
    });

    // Kubernetes: the namespace read (adoption is never asked for), then
    // only what ARM does not carry.
    expect(env.dev.requests[0]).toMatchObject({ method: 'GET', path: NS });
    expect(env.dev.writes().map(w => w.path)).toEqual(K8S_PATHS);

    expect(outputs.namespacePath).toBe('managed-namespace');
    expect(outputs.applied).toEqual(ALL_APPLIED);
    expect(outputs.score).toBe(100);
    expect(outputs.federatedCredential).toEqual({
      subject: 'system:serviceaccount:payments-dev:payments-api',
      issuer: ISSUER,
      command: expect.stringContaining(`--issuer "${ISSUER}"`),
    });
    expect(outputs.federatedCredential.command).toContain(
      '--subject system:serviceaccount:payments-dev:payments-api',
    );
    expect(outputs.federatedCredential.command).toContain(
      `[?clientId=='${CLIENT_ID}']`,
    );
  });

  it('changes nothing on a re-run: no ARM write, the same Kubernetes applies', async () => {
    const env = setup();
    await env.run();
    const firstBodies = env.dev.writes().map(w => w.body);
    const armState = JSON.stringify([...env.arm.resources.entries()]);
    env.arm.requests.length = 0;
    env.dev.requests.length = 0;

    const outputs = await env.run();

    expect(env.arm.writes()).toEqual([]);
    expect(JSON.stringify([...env.arm.resources.entries()])).toBe(armState);
    expect(env.dev.writes().map(w => w.body)).toEqual(firstBodies);
    expect(outputs.applied).toEqual(ALL_APPLIED);
  });

  it('refuses a managed namespace owned by another team before any write', async () => {
    const env = setup();
    env.arm.seedNamespace('payments-dev', {
      annotations: { 'aks-baseline.io/owner': 'group:default/team-storefront' },
      adoptionPolicy: 'Never',
      deletePolicy: 'Keep',
    });
    const { error } = await env.fails();
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      'Jisoo Kim (user:default/jisoo.kim) may not change namespace payments-dev on cluster aks-dev-koreacentral, which group:default/team-storefront owns: the permission policy does not grant them aks-baseline.namespace.create on group:default/team-storefront.',
    );
    expect(env.arm.writes()).toEqual([]);
    expect(env.dev.requests).toEqual([]);
  });

  it('refuses a managed namespace the scaffolder did not create', async () => {
    const env = setup();
    env.arm.seedNamespace('payments-dev', {
      annotations: { annatationKey: 'annatationValue' },
    });
    const { error } = await env.fails();
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain(
      'Managed namespace payments-dev already exists on cluster aks-dev-koreacentral and was not created by the scaffolder',
    );
    expect(env.arm.writes()).toEqual([]);
  });

  it('reports a 403 from ARM on the managed namespace with the role to grant', async () => {
    const env = setup();
    env.arm.failOn(`PUT ${env.arm.namespacePath('payments-dev')}`, {
      status: 403,
      code: 'AuthorizationFailed',
      message:
        "The client '1d2e3f4a-5b6c-7d8e-9f0a-1b2c3d4e5f6a' with object id '1d2e3f4a-5b6c-7d8e-9f0a-1b2c3d4e5f6a' does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/managedNamespaces/write'",
    });
    const { error, outputs } = await env.fails();
    expect(error.message).toContain(
      "The scaffolder's Azure identity may not create or update managed namespace payments-dev of cluster aks-dev-koreacentral in Azure Resource Manager (403 AuthorizationFailed): The client",
    );
    expect(error.message).toContain(
      'Microsoft.ContainerService/managedClusters/managedNamespaces/write on the cluster',
    );
    expect(error.message).toContain(
      `Applied before the failure: nothing. Not applied: ${ALL_APPLIED.join(
        ', ',
      )}.`,
    );
    expect(outputs.applied).toEqual([]);
    expect(env.dev.writes()).toEqual([]);
  });

  it('reports a 403 on the role assignment half-way, and a resumed task applies only the rest', async () => {
    const env = setup();
    const scope = env.arm.namespacePath('payments-dev');
    const assignment = `${scope}/providers/Microsoft.Authorization/roleAssignments/${roleAssignmentName(
      scope,
      WRITER,
      GROUP_ID,
    )}`;
    env.arm.failOn(`PUT ${assignment}`, {
      status: 403,
      code: 'AuthorizationFailed',
      message:
        "The client '1d2e3f4a-5b6c-7d8e-9f0a-1b2c3d4e5f6a' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write'",
      times: 1,
    });
    const store = checkpointStore();
    const { error, outputs } = await env.fails({
      checkpoint: store.checkpoint,
    });
    expect(error.message).toContain(
      `The scaffolder's Azure identity may not assign Azure Kubernetes Service RBAC Writer to group ${GROUP_ID} on managed namespace payments-dev of cluster aks-dev-koreacentral in Azure Resource Manager (403 AuthorizationFailed)`,
    );
    expect(error.message).toContain('Role Based Access Control Administrator');
    expect(error.message).toContain(
      'Applied before the failure: ManagedNamespace payments-dev. Not applied: RoleAssignment',
    );
    expect(outputs.applied).toEqual(ALL_APPLIED.slice(0, 1));
    expect(env.dev.writes()).toEqual([]);
    env.arm.requests.length = 0;

    const resumed = await env.run({ checkpoint: store.checkpoint });

    // The managed namespace's checkpoint holds: it is not written again.
    expect(env.arm.writes().map(w => w.path)).toEqual([assignment]);
    expect(env.dev.writes().map(w => w.path)).toEqual(K8S_PATHS);
    expect(resumed.applied).toEqual(ALL_APPLIED);
  });

  it('falls back to the Kubernetes API on a cluster without Azure RBAC, with the issuer read', async () => {
    const env = setup({
      cluster: {
        aadProfile: { managed: true, enableAzureRBAC: false },
        oidcIssuerProfile: { enabled: true, issuerURL: ISSUER },
      },
    });
    const outputs = await env.run();
    expect(env.arm.requests.map(r => r.method)).toEqual(['GET']);
    expect(env.dev.writes()).toHaveLength(6);
    expect(outputs.namespacePath).toBe('kubernetes');
    expect(outputs.applied).toHaveLength(6);
    expect(outputs.federatedCredential.issuer).toBe(ISSUER);
  });

  it('falls back when ARM does not know managed namespaces', async () => {
    const env = setup();
    env.arm.failOn(`GET ${env.arm.namespacePath('payments-dev')}`, {
      status: 400,
      code: 'NoRegisteredProviderFound',
      message:
        "No registered resource provider found for location 'koreacentral' and API version '2026-06-01' for type 'managedClusters/managedNamespaces'.",
    });
    const outputs = await env.run();
    expect(env.arm.writes()).toEqual([]);
    expect(outputs.namespacePath).toBe('kubernetes');
    expect(env.dev.writes()).toHaveLength(6);
  });

  it('keeps a namespace that exists in Kubernetes without ARM on the Kubernetes path, owner checked', async () => {
    const env = setup();
    env.dev.seed(NS, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'payments-dev',
        annotations: {
          'aks-baseline.io/owner': 'group:default/team-storefront',
        },
      },
    });
    const { error } = await env.fails();
    expect(error.name).toBe('NotAllowedError');
    expect(env.arm.writes()).toEqual([]);
    expect(env.dev.writes()).toEqual([]);
  });

  it('reads only the issuer when managedNamespaces is false', async () => {
    const env = setup({ managedNamespaces: false });
    const outputs = await env.run();
    expect(env.arm.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET ${env.arm.clusterPath}`,
    ]);
    expect(outputs.namespacePath).toBe('kubernetes');
    expect(outputs.federatedCredential.issuer).toBe(ISSUER);
  });

  it('says when the cluster OIDC issuer is off', async () => {
    const env = setup({
      cluster: { aadProfile: { managed: true, enableAzureRBAC: true } },
    });
    const outputs = await env.run();
    expect(outputs.federatedCredential.issuer).toBeNull();
    expect(outputs.federatedCredential.note).toContain(
      'The OIDC issuer of cluster aks-dev-koreacentral is off',
    );
  });

  it('writes nothing, to ARM or Kubernetes, in a dry-run', async () => {
    const env = setup();
    const outputs = await env.run({ isDryRun: true });
    expect(env.arm.requests).toEqual([]);
    expect(env.dev.requests).toEqual([]);
    expect(outputs.applied).toEqual([]);
    expect(outputs.score).toBe(100);
    expect(outputs.namespacePath).toBe('not-decided');
    // The issuer was not read: the command looks it up.
    expect(outputs.federatedCredential.issuer).toBeNull();
    expect(outputs.federatedCredential.command).toContain(
      `--issuer "$(az aks show --subscription ${SUBSCRIPTION} --resource-group ${RESOURCE_GROUP} --name aks-dev-koreacentral --query oidcIssuerProfile.issuerUrl -o tsv)"`,
    );
  });
});
