import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse } from 'msw';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { parseAllDocuments } from 'yaml';
import { createTokenProvider } from '../kubernetes/credentials';
import { createNamespaceAuthorizer } from '../permissions/namespaceAuthorizer';
import { FakeKubernetes } from '../__testUtils__/fakeKubernetes';
import {
  demoPolicyPermissions,
  ORG_ENTITIES,
  USERS,
} from '../__testUtils__/org';
import { DEV_URL, PROD_URL, testSettings } from '../__testUtils__/settings';
import {
  actionRunner,
  asUser,
  checkpointStore,
  devInput,
  outputsOf,
} from '../__testUtils__/namespaceAction';
import { createNamespaceCreateAction } from './createNamespace';

const server = setupServer();
registerMswTestHooks(server);

const NS = '/api/v1/namespaces/payments-dev';
const PATHS = [
  NS,
  `${NS}/resourcequotas/baseline-quota`,
  `${NS}/limitranges/baseline-limits`,
  '/apis/networking.k8s.io/v1/namespaces/payments-dev/networkpolicies/default-deny-ingress',
  `${NS}/serviceaccounts/payments-api`,
  '/apis/rbac.authorization.k8s.io/v1/namespaces/payments-dev/rolebindings/team-access',
];
const ALL_APPLIED = [
  'Namespace payments-dev',
  'ResourceQuota payments-dev/baseline-quota',
  'LimitRange payments-dev/baseline-limits',
  'NetworkPolicy payments-dev/default-deny-ingress',
  'ServiceAccount payments-dev/payments-api',
  'RoleBinding payments-dev/team-access',
];

/** A task dispatched with a service token: no user. */
const AS_SERVICE = {
  user: undefined,
  getInitiatorCredentials: async () =>
    mockCredentials.service('external:nightly-provisioner'),
};

/** A task whose stored credentials are gone (the scaffolder then gives "none"). */
const AS_NOBODY = {
  user: undefined,
  getInitiatorCredentials: async () => mockCredentials.none(),
};

/** The payments namespace as a previous run left it. */
const PAYMENTS_NAMESPACE = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'payments-dev',
    labels: { 'aks-baseline.io/owner': 'team-payments' },
    annotations: { 'aks-baseline.io/owner': 'group:default/team-payments' },
  },
};

function setup(options: { permissionsEnabled?: boolean } = {}) {
  const settings = testSettings();
  const dev = new FakeKubernetes(DEV_URL);
  const prod = new FakeKubernetes(PROD_URL);
  server.use(...dev.handlers(), ...prod.handlers());
  const getToken = createTokenProvider({
    azureCredential: () => ({
      getToken: async (scope: string | string[]) => ({
        token: `entra-token-for-${scope}`,
        expiresOnTimestamp: Date.now() + 3600_000,
      }),
    }),
  });
  const catalog = catalogServiceMock({ entities: ORG_ENTITIES });
  const permissions = demoPolicyPermissions(catalog);
  const authorizer = createNamespaceAuthorizer({
    auth: mockServices.auth(),
    catalog,
    permissions,
    permissionsEnabled: options.permissionsEnabled ?? true,
  });
  const action = createNamespaceCreateAction({
    settings,
    getToken,
    authorizer,
  });
  const { run, fails } = actionRunner(action);
  return { dev, prod, run, fails, permissions };
}

describe('aks-baseline:namespace:create', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });

  it('applies the six objects with server-side apply, in order', async () => {
    const ctx = await env.run(devInput());

    expect(env.dev.requests[0]).toMatchObject({ method: 'GET', path: NS });
    const writes = env.dev.writes();
    expect(writes.map(w => w.path)).toEqual(PATHS);
    for (const w of writes) {
      expect(w.method).toBe('PATCH');
      expect(w.contentType).toBe('application/apply-patch+yaml');
      expect(w.query).toEqual({
        fieldManager: 'aks-baseline-scaffolder',
        force: 'false',
      });
      expect(w.authorization).toBe('Bearer dev-token');
    }

    const outputs = outputsOf(ctx as any);
    expect(outputs.namespace).toBe('payments-dev');
    expect(outputs.cluster).toBe('aks-dev-koreacentral');
    expect(outputs.score).toBe(100);
    expect(outputs.applied).toEqual(ALL_APPLIED);
    expect(outputs.entityRef).toBe(
      'resource:default/payments-dev.aks-dev-koreacentral',
    );
    // The YAML output is exactly what was sent.
    const docs = parseAllDocuments(outputs.manifests).map(d => d.toJSON());
    expect(docs).toEqual(writes.map(w => JSON.parse(w.body!)));
    expect(env.dev.objects.get(NS).metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'aks-baseline.io/owner': 'team-payments',
    });
    expect(env.prod.requests).toEqual([]);
  });

  it('converges on a re-run: same PATCH bodies, same state', async () => {
    await env.run(devInput());
    const firstBodies = env.dev.writes().map(w => w.body);
    const firstState = JSON.stringify([...env.dev.objects.entries()]);
    env.dev.requests.length = 0;

    const ctx = await env.run(devInput());

    expect(env.dev.writes().map(w => w.body)).toEqual(firstBodies);
    expect(JSON.stringify([...env.dev.objects.entries()])).toBe(firstState);
    expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED);
  });

  it('refuses a namespace owned by another team before applying anything', async () => {
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
    const { error } = await env.fails(devInput());
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      'Jisoo Kim (user:default/jisoo.kim) may not change namespace payments-dev on cluster aks-dev-koreacentral, which group:default/team-storefront owns: the permission policy does not grant them aks-baseline.namespace.create on group:default/team-storefront.',
    );
    expect(env.dev.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET ${NS}`,
    ]);
  });

  it('refuses a namespace the scaffolder did not create', async () => {
    env.dev.seed(NS, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'payments-dev', labels: { team: 'payments' } },
    });
    const { error } = await env.fails(devInput());
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain('was not created by the scaffolder');
    expect(env.dev.writes()).toEqual([]);
  });

  it('reports a 403 on reading the namespace with the RBAC to grant', async () => {
    env.dev.failOn(`GET ${NS}`, {
      status: 403,
      reason: 'Forbidden',
      message:
        'namespaces "payments-dev" is forbidden: User "system:serviceaccount:backstage:scaffolder" cannot get resource "namespaces" in API group "" at the cluster scope',
    });
    const { error } = await env.fails(devInput());
    expect(error.message).toContain(
      "The scaffolder's identity may not read namespace payments-dev on cluster aks-dev-koreacentral (403 Forbidden)",
    );
    expect(error.message).toContain('cannot get resource "namespaces"');
    expect(error.message).toContain(
      'deploy/kubernetes/scaffolder-clusterrole.yaml',
    );
    expect(env.dev.writes()).toEqual([]);
  });

  it('reports a 403 half-way (no bind verb) with what was applied', async () => {
    env.dev.failOn(`PATCH ${PATHS[5]}`, {
      status: 403,
      reason: 'Forbidden',
      message:
        'rolebindings.rbac.authorization.k8s.io "team-access" is forbidden: user "system:serviceaccount:backstage:scaffolder" is attempting to grant RBAC permissions not currently held',
    });
    const { error, ctx } = await env.fails(devInput());
    expect(error.message).toContain(
      'may not apply RoleBinding payments-dev/team-access on cluster aks-dev-koreacentral (403 Forbidden)',
    );
    expect(error.message).toContain(
      `Applied before the failure: ${ALL_APPLIED.slice(0, 5).join(
        ', ',
      )}. Not applied: RoleBinding payments-dev/team-access.`,
    );
    expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED.slice(0, 5));
  });

  it('reports a 422 with the API server message', async () => {
    env.dev.failOn(`PATCH ${PATHS[2]}`, {
      status: 422,
      reason: 'Invalid',
      message:
        'LimitRange "baseline-limits" is invalid: spec.limits[0].max[cpu]: Invalid value: resource.Quantity{...}: max value 4 is less than default value 8',
    });
    const { error, ctx } = await env.fails(devInput());
    expect(error.message).toContain(
      'Cluster aks-dev-koreacentral rejected the object as invalid while trying to apply LimitRange payments-dev/baseline-limits (422 Unprocessable Entity): LimitRange "baseline-limits" is invalid',
    );
    expect(error.message).toContain(
      'Applied before the failure: Namespace payments-dev, ResourceQuota payments-dev/baseline-quota.',
    );
    expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED.slice(0, 2));
    expect(env.dev.writes().map(w => w.path)).toEqual(PATHS.slice(0, 3));
  });

  it('never forces: a field owned by another manager fails with the conflict', async () => {
    env.dev.failOn(`PATCH ${PATHS[1]}`, {
      status: 409,
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .spec.hard.limits.memory',
    });
    const { error } = await env.fails(devInput());
    expect(error.message).toContain(
      'Conflict while trying to apply ResourceQuota payments-dev/baseline-quota on cluster aks-dev-koreacentral (409): Apply failed with 1 conflict: conflict with "kubectl-edit"',
    );
    expect(error.message).toContain('overwrote nothing');
    for (const w of env.dev.writes()) expect(w.query.force).toBe('false');
  });

  it('reports an unreachable cluster', async () => {
    server.use(http.get(`${DEV_URL}/*`, () => HttpResponse.error()));
    const { error } = await env.fails(devInput());
    expect(error.message).toMatch(
      /^Cannot reach cluster aks-dev-koreacentral at https:\/\/aks-dev-koreacentral/,
    );
  });

  it('fails half-way, then a resumed task applies only the rest', async () => {
    env.dev.failOn(`PATCH ${PATHS[3]}`, {
      status: 503,
      reason: 'ServiceUnavailable',
      message: 'the server is currently unable to handle the request',
      times: 1,
    });
    const store = checkpointStore();
    const { error } = await env.fails(devInput(), {
      checkpoint: store.checkpoint,
    });
    expect(error.message).toContain('answered 503');
    expect(error.message).toContain(
      'Not applied: NetworkPolicy payments-dev/default-deny-ingress, ServiceAccount payments-dev/payments-api, RoleBinding payments-dev/team-access.',
    );
    expect(store.state.get('apply.NetworkPolicy.default-deny-ingress')).toEqual(
      { status: 'failed' },
    );
    env.dev.requests.length = 0;

    const ctx = await env.run(devInput(), { checkpoint: store.checkpoint });

    // The ownership check runs again (the namespace is ours now); the three
    // checkpointed objects are not re-applied.
    expect(env.dev.requests.filter(r => r.method === 'GET')).toHaveLength(1);
    expect(env.dev.writes().map(w => w.path)).toEqual(PATHS.slice(3));
    expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED);
    expect([...env.dev.objects.keys()].sort()).toEqual([...PATHS].sort());
  });

  it('a failed task re-run from scratch also completes the namespace', async () => {
    env.dev.failOn(`PATCH ${PATHS[4]}`, {
      status: 500,
      reason: 'InternalError',
      message: 'etcdserver: request timed out',
      times: 1,
    });
    await env.fails(devInput());
    const ctx = await env.run(devInput());
    expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED);
    expect(env.dev.objects.size).toBe(6);
  });

  it('uses a Microsoft Entra token for the AKS server application on an azure cluster', async () => {
    await env.run(
      devInput({
        cluster: 'aks-prod-westeurope',
        environment: 'production',
        namespace: 'payments',
      }),
    );
    expect(env.prod.writes()).toHaveLength(6);
    expect(env.prod.requests[0].authorization).toBe(
      'Bearer entra-token-for-6dae42f8-4368-4678-94ff-3960e28e3630/.default',
    );
    expect(
      env.prod.objects.get('/api/v1/namespaces/payments').metadata.labels[
        'pod-security.kubernetes.io/enforce'
      ],
    ).toBe('restricted');
    expect(env.dev.requests).toEqual([]);
  });

  it('returns the manifests without any request in a dry-run', async () => {
    const ctx = await env.run(devInput(), { isDryRun: true });
    const outputs = outputsOf(ctx as any);
    expect(env.dev.requests).toEqual([]);
    expect(outputs.applied).toEqual([]);
    expect(outputs.score).toBe(100);
    expect(
      parseAllDocuments(outputs.manifests).map(d => d.toJSON().kind),
    ).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'ServiceAccount',
      'RoleBinding',
    ]);
    // The same YAML as a file of the dry run, which the template editor
    // shows as text (its output only as JSON).
    const file = await fs.readFile(
      join(
        ctx.workspacePath,
        'manifests/payments-dev.aks-dev-koreacentral.yaml',
      ),
      'utf8',
    );
    expect(file).toBe(outputs.manifests);
  });

  describe('rejects invalid input before any request', () => {
    it.each([
      [
        'a bad namespace name',
        { namespace: 'Payments_Dev' },
        'namespace: must be a DNS-1123 label',
      ],
      [
        'a bad quantity',
        {
          quota: {
            'requests.cpu': '2',
            'requests.memory': '4GB',
            'limits.cpu': '4',
            'limits.memory': '8Gi',
            persistentvolumeclaims: 5,
            'services.loadbalancers': 1,
          },
        },
        'quota.requests.memory: "4GB" is not a Kubernetes quantity',
      ],
      [
        'a bad UUID',
        { workloadIdentity: { clientId: '1234' } },
        'workloadIdentity.clientId: must be a UUID',
      ],
      [
        'an unknown cluster',
        { cluster: 'aks-test-eastus' },
        'Unknown cluster "aks-test-eastus": templates may target aks-prod-westeurope, aks-dev-koreacentral, aks-gitops-only',
      ],
      [
        'a URL instead of a cluster name',
        { cluster: 'https://evil.example.com' },
        'Unknown cluster "https://evil.example.com"',
      ],
      [
        'production with baseline',
        {
          cluster: 'aks-prod-westeurope',
          environment: 'production',
          podSecurity: 'baseline',
        },
        'production namespaces enforce the restricted Pod Security Standard',
      ],
      [
        'a production namespace on a non-production cluster',
        { environment: 'production' },
        'Cluster "aks-dev-koreacentral" does not take production namespaces (it is configured for non-production); production namespaces go to aks-prod-westeurope',
      ],
      [
        'a cluster without credentials',
        { cluster: 'aks-gitops-only' },
        'can only be rendered (GitOps)',
      ],
      [
        'an unknown input field (a token from the template)',
        { token: 'abc', url: 'https://evil.example.com' },
        "Unrecognized key(s) in object: 'token', 'url'",
      ],
      ...['constructor', '__proto__', 'toString', 'hasOwnProperty'].map(key => [
        `the prototype key ${key} as a quota preset`,
        { quota: key },
        `quota: unknown preset "${key}" (configured: small, medium, large)`,
      ]),
    ] as [string, Record<string, unknown>, string][])(
      '%s',
      async (_, overrides, message) => {
        const { error } = await env.fails(devInput(overrides));
        expect(error.name).toBe('InputError');
        expect(error.message).toContain(message);
        expect(env.dev.requests).toEqual([]);
        expect(env.prod.requests).toEqual([]);
      },
    );
  });
});

describe('aks-baseline:namespace:create: who may create or change a namespace', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });

  const requestLines = () => env.dev.requests.map(r => `${r.method} ${r.path}`);

  it("refuses another team's member re-running the owner's namespace, before any request", async () => {
    env.dev.seed(NS, PAYMENTS_NAMESPACE);
    // Sara (team-storefront) names the real owner, so an owner comparison
    // would pass, and binds her own group with a bigger quota.
    const { error } = await env.fails(
      devInput({ quota: 'large', teamGroup: 'storefront-entra-group' }),
      asUser(USERS.sara),
    );
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      'Sara Park (user:default/sara.park) may not create or change namespace payments-dev on cluster aks-dev-koreacentral for group:default/team-payments: the permission policy does not grant them aks-baseline.namespace.create on group:default/team-payments.',
    );
    expect(env.dev.requests).toEqual([]);
    expect(env.dev.objects.get(NS)).toMatchObject(PAYMENTS_NAMESPACE);
    // The permission was asked for Sara, on the owner entity.
    expect(env.permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'aks-baseline.namespace.create',
            resourceType: 'catalog-entity',
          }),
          resourceRef: 'group:default/team-payments',
        },
      ],
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({
            userEntityRef: 'user:default/sara.park',
          }),
        }),
      },
    );
  });

  it("refuses another team's member naming their own team on the owner's namespace, before any write", async () => {
    env.dev.seed(NS, PAYMENTS_NAMESPACE);
    const { error } = await env.fails(
      devInput({ owner: 'group:default/team-storefront' }),
      asUser(USERS.sara),
    );
    expect(error.message).toBe(
      'Sara Park (user:default/sara.park) may not change namespace payments-dev on cluster aks-dev-koreacentral, which group:default/team-payments owns: the permission policy does not grant them aks-baseline.namespace.create on group:default/team-payments.',
    );
    expect(requestLines()).toEqual([`GET ${NS}`]);
  });

  it("applies a re-run by another member of the owner's team", async () => {
    await env.run(devInput());
    env.dev.requests.length = 0;
    const ctx = await env.run(
      devInput({ quota: 'medium' }),
      asUser(USERS.minho),
    );
    expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED);
    expect(env.dev.writes().map(w => w.path)).toEqual(PATHS);
    expect(
      env.dev.objects.get(`${NS}/resourcequotas/baseline-quota`).spec.hard[
        'requests.cpu'
      ],
    ).toBe('8');
  });

  it("lets the platform team change a team's namespace and create one for any team", async () => {
    env.dev.seed(NS, PAYMENTS_NAMESPACE);
    const ctx = await env.run(
      devInput({ quota: 'medium' }),
      asUser(USERS.daniel),
    );
    expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED);
    expect(env.dev.writes()).toHaveLength(6);

    env.dev.requests.length = 0;
    await env.run(
      devInput({
        namespace: 'storefront-dev',
        owner: 'group:default/team-storefront',
      }),
      asUser(USERS.daniel),
    );
    expect(
      env.dev.objects.get('/api/v1/namespaces/storefront-dev').metadata
        .annotations['aks-baseline.io/owner'],
    ).toBe('group:default/team-storefront');
  });

  it('hands a namespace over only for who may act for both owners', async () => {
    env.dev.seed(NS, PAYMENTS_NAMESPACE);
    const handOver = devInput({ owner: 'group:default/team-storefront' });

    // Jisoo belongs to payments, not to storefront: refused before any request.
    const { error } = await env.fails(handOver, asUser(USERS.jisoo));
    expect(error.message).toContain(
      'Jisoo Kim (user:default/jisoo.kim) may not create or change namespace payments-dev on cluster aks-dev-koreacentral for group:default/team-storefront',
    );
    expect(env.dev.requests).toEqual([]);

    await env.run(handOver, asUser(USERS.daniel));
    expect(
      env.dev.objects.get(NS).metadata.annotations['aks-baseline.io/owner'],
    ).toBe('group:default/team-storefront');
  });

  it('refuses to create a namespace for a team the user is not a member of, before any request', async () => {
    const { error } = await env.fails(
      devInput({ owner: 'group:default/platform-engineering' }),
    );
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toBe(
      'Jisoo Kim (user:default/jisoo.kim) may not create or change namespace payments-dev on cluster aks-dev-koreacentral for group:default/platform-engineering: the permission policy does not grant them aks-baseline.namespace.create on group:default/platform-engineering.',
    );
    expect(env.dev.requests).toEqual([]);
  });

  it.each([
    [
      'a service token',
      AS_SERVICE,
      'this task was started by the service external:nightly-provisioner',
    ],
    [
      'no credentials stored with the task',
      AS_NOBODY,
      'this task was started by an unauthenticated caller',
    ],
  ])(
    'refuses a task without a user: %s, before any request',
    async (_, as, by) => {
      const { error } = await env.fails(devInput(), as);
      expect(error.name).toBe('NotAllowedError');
      expect(error.message).toBe(
        `Namespaces are created only for a signed-in user, who must be allowed aks-baseline.namespace.create on the owner; ${by}. Run the template as a member of the owner team.`,
      );
      expect(env.dev.requests).toEqual([]);
      expect(env.permissions.authorize).not.toHaveBeenCalled();
    },
  );

  it('refuses a task whose user is not the one its credentials belong to', async () => {
    const { error } = await env.fails(devInput(), {
      ...asUser(USERS.sara),
      user: { entity: USERS.jisoo, ref: 'user:default/jisoo.kim' },
    });
    expect(error.message).toBe(
      'The task names user:default/jisoo.kim as its user but carries the credentials of user:default/sara.park; refusing to act for either.',
    );
    expect(env.dev.requests).toEqual([]);
  });

  it('authorizes a dry-run the same way, without reading the cluster', async () => {
    const { error, ctx } = await env.fails(devInput(), {
      ...asUser(USERS.sara),
      isDryRun: true,
    });
    expect(error.message).toContain(
      'Sara Park (user:default/sara.park) may not create or change namespace payments-dev',
    );
    expect(ctx.output).not.toHaveBeenCalled();

    const allowed = await env.run(devInput(), { isDryRun: true });
    expect(outputsOf(allowed as any).applied).toEqual([]);
    expect(env.dev.requests).toEqual([]);
  });

  describe('without the permission framework (permission.enabled false)', () => {
    beforeEach(() => {
      env = setup({ permissionsEnabled: false });
    });

    it('applies for a member of the owner group, looked up in the catalog', async () => {
      const ctx = await env.run(devInput(), asUser(USERS.minho));
      expect(outputsOf(ctx as any).applied).toEqual(ALL_APPLIED);
      expect(env.permissions.authorize).not.toHaveBeenCalled();
    });

    it.each([
      [USERS.sara, 'Sara Park (user:default/sara.park)'],
      // No policy, so no platform exception either.
      [USERS.daniel, 'Daniel Choi (user:default/daniel.choi)'],
    ])('refuses a non-member before any request (%#)', async (who, label) => {
      env.dev.seed(NS, PAYMENTS_NAMESPACE);
      const { error } = await env.fails(devInput(), asUser(who));
      expect(error.message).toBe(
        `${label} may not create or change namespace payments-dev on cluster aks-dev-koreacentral for group:default/team-payments: they are not a member of group:default/team-payments in the catalog, and without the permission framework aks-baseline.namespace.create is granted to the owner's members only.`,
      );
      expect(env.dev.requests).toEqual([]);
    });

    it('refuses an owner the catalog does not know', async () => {
      const { error } = await env.fails(
        devInput({ owner: 'group:default/team-ghost' }),
      );
      expect(error.message).toContain(
        'they are not a member of group:default/team-ghost in the catalog',
      );
      expect(env.dev.requests).toEqual([]);
    });

    it('still refuses a task without a user', async () => {
      const { error } = await env.fails(devInput(), AS_SERVICE);
      expect(error.name).toBe('NotAllowedError');
      expect(env.dev.requests).toEqual([]);
    });
  });
});
