import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { parseAllDocuments } from 'yaml';
import { createTokenProvider } from '../kubernetes/credentials';
import { FakeKubernetes } from '../__testUtils__/fakeKubernetes';
import {
  CLIENT_ID,
  DEV_URL,
  GROUP_ID,
  PROD_URL,
  testSettings,
} from '../__testUtils__/settings';
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

function devInput(overrides: Record<string, unknown> = {}) {
  return {
    cluster: 'aks-dev-koreacentral',
    namespace: 'payments-dev',
    owner: 'group:default/team-payments',
    environment: 'non-production',
    quota: 'small',
    workloadIdentity: {
      clientId: CLIENT_ID,
      serviceAccountName: 'payments-api',
    },
    teamGroup: GROUP_ID,
    ...overrides,
  };
}

/** Checkpoints as the task runner keeps them: successes are not re-run. */
function checkpointStore() {
  const state = new Map<string, { status: string; value?: unknown }>();
  return {
    state,
    async checkpoint(opts: { key: string; fn: () => Promise<any> | any }) {
      const previous = state.get(opts.key);
      if (previous?.status === 'success') return previous.value;
      try {
        const value = await opts.fn();
        state.set(opts.key, { status: 'success', value: value ?? {} });
        return value;
      } catch (e) {
        state.set(opts.key, { status: 'failed' });
        throw e;
      }
    },
  };
}

function setup() {
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
  const action = createNamespaceCreateAction({ settings, getToken });
  const context = (
    input: Record<string, unknown>,
    extra: Record<string, unknown>,
  ) => Object.assign(createMockActionContext({ input: input as any }), extra);
  const run = async (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const ctx = context(input, extra);
    await action.handler(ctx as any);
    return ctx;
  };
  /** Runs the action expecting it to fail; the error and the context. */
  const fails = async (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const ctx = context(input, extra);
    const error = await action.handler(ctx as any).then(
      () => undefined,
      e => e as Error,
    );
    if (!error) throw new Error('expected the action to fail');
    return { error, ctx };
  };
  return { dev, prod, run, fails };
}

function outputsOf(ctx: { output: jest.Mock }): Record<string, any> {
  return Object.fromEntries(ctx.output.mock.calls);
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
    expect(error.name).toBe('ConflictError');
    expect(error.message).toBe(
      'Namespace payments-dev already exists on cluster aks-dev-koreacentral and is owned by group:default/team-storefront, not group:default/team-payments. It is never taken over: choose another name, or ask group:default/team-storefront to hand it over.',
    );
    expect(env.dev.writes()).toEqual([]);
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
    ])('%s', async (_, overrides, message) => {
      const { error } = await env.fails(devInput(overrides));
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(message);
      expect(env.dev.requests).toEqual([]);
      expect(env.prod.requests).toEqual([]);
    });
  });
});
