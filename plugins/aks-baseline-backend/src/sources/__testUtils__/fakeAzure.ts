/*
 * Fake Microsoft Entra ID (instance discovery, OpenID metadata, the v2.0
 * token endpoint) and Azure Resource Manager (management.azure.com) for msw,
 * so the real @azure/identity and @azure/arm-containerservice clients run.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import managedClusterExample from '../__fixtures__/azure/ManagedClustersGet.json';
import agentPoolExample from '../__fixtures__/azure/AgentPoolsGet.json';
import spotPoolExample from '../__fixtures__/azure/AgentPoolsCreate_Spot.json';
import maintenanceExample from '../__fixtures__/azure/MaintenanceConfigurationsGet_MaintenanceWindow.json';
import upgradeProfile from '../__fixtures__/azure/upgrade-profile.json';
import kubernetesVersions from '../__fixtures__/azure/kubernetes-versions.json';

const LOGIN = 'https://login.microsoftonline.com';
const ARM = 'https://management.azure.com';
export const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
export const ARM_SCOPE = 'https://management.azure.com/.default';

/** A JWT-shaped fake token, so redaction of real-looking tokens is tested. */
export function fakeJwt(label: string): string {
  const enc = (v: object) =>
    Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ typ: 'JWT', alg: 'RS256', kid: 'fake' })}.${enc({
    aud: label,
    iss: 'https://sts.windows.net/fake/',
    exp: 4102444800,
  })}.c2lnbmF0dXJlLW9mLSR7bGFiZWx9LWZha2U`;
}

export interface TokenRequest {
  tenant: string;
  scope: string;
  grantType: string;
  clientId: string;
  /** Which secret-bearing field was sent (never its value). */
  with: 'client_secret' | 'client_assertion' | 'other';
}

export function fakeEntra(options: {
  tenantId: string;
  armToken: string;
  aksToken: string;
  /** Override the token endpoint's answer. */
  tokenResponder?: (req: TokenRequest) => Response | undefined;
}): { handlers: HttpHandler[]; tokenRequests: TokenRequest[] } {
  const tokenRequests: TokenRequest[] = [];
  const metadata = (tenant: string) => ({
    token_endpoint: `${LOGIN}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${LOGIN}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${LOGIN}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${LOGIN}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${LOGIN}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${LOGIN}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
    kerberos_endpoint: `${LOGIN}/${tenant}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });
  const handlers = [
    http.get(`${LOGIN}/common/discovery/instance`, ({ request }) => {
      const url = new URL(request.url);
      const authorize = url.searchParams.get('authorization_endpoint') ?? '';
      const tenant =
        /microsoftonline\.com\/([^/]+)\//.exec(authorize)?.[1] ??
        options.tenantId;
      return HttpResponse.json({
        tenant_discovery_endpoint: `${LOGIN}/${tenant}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
          {
            preferred_network: 'login.microsoftonline.com',
            preferred_cache: 'login.windows.net',
            aliases: [
              'login.microsoftonline.com',
              'login.windows.net',
              'login.microsoft.com',
              'sts.windows.net',
            ],
          },
        ],
      });
    }),
    http.get(
      `${LOGIN}/:tenant/v2.0/.well-known/openid-configuration`,
      ({ params }) => HttpResponse.json(metadata(String(params.tenant))),
    ),
    http.post(
      `${LOGIN}/:tenant/oauth2/v2.0/token`,
      async ({ request, params }) => {
        const form = new URLSearchParams(await request.text());
        const req: TokenRequest = {
          tenant: String(params.tenant),
          scope: form.get('scope') ?? '',
          grantType: form.get('grant_type') ?? '',
          clientId: form.get('client_id') ?? '',
          with: 'other',
        };
        if (form.has('client_secret')) req.with = 'client_secret';
        else if (form.has('client_assertion')) req.with = 'client_assertion';
        tokenRequests.push(req);
        const custom = options.tokenResponder?.(req);
        if (custom) return custom;
        const scopes = req.scope.split(' ');
        let token: string | undefined;
        if (scopes.includes(AKS_SCOPE)) token = options.aksToken;
        else if (scopes.includes(ARM_SCOPE)) token = options.armToken;
        if (!token) {
          return HttpResponse.json(
            {
              error: 'invalid_scope',
              error_description: `AADSTS70011: The provided value for scope ${req.scope} is not valid.`,
            },
            { status: 400 },
          );
        }
        return HttpResponse.json({
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: token,
        });
      },
    ),
  ];
  return { handlers, tokenRequests };
}

export interface FakeArmCluster {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  /** The managed cluster body (REST shape with `properties`). */
  cluster: Record<string, any>;
  /** Agent pools (REST), served in two pages linked by nextLink. */
  agentPools?: Record<string, any>[];
  maintenanceConfigurations?: Record<string, any>[];
  upgradeProfile?: Record<string, any>;
  kubernetesVersions?: Record<string, any>;
  /** `deploymentSafeguards` resources (REST); none configured when absent. */
  deploymentSafeguards?: Record<string, any>[];
  /** Data Protection backup instances of the cluster (REST). */
  backupInstances?: Record<string, any>[];
  /** The region's `meshRevisionProfiles/istio` (REST). */
  meshRevisionProfile?: Record<string, any>;
  /** Base64 kubeconfig for listClusterUserCredential. */
  kubeconfig?: string;
}

export type ArmPart =
  | 'cluster'
  | 'agentPools'
  | 'maintenanceConfigurations'
  | 'upgradeProfile'
  | 'kubernetesVersions'
  | 'deploymentSafeguards'
  | 'backupInstances'
  | 'meshRevisions'
  | 'credentials';

export interface ArmRequest {
  method: string;
  part: ArmPart;
  url: URL;
  authorization: string | null;
}

export function armError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(
    { error: { code, message } },
    { status, headers: { 'x-ms-request-id': 'b7f0c6f2-fake', ...headers } },
  );
}

export function fakeArm(options: {
  armToken: string;
  /** Default https://management.azure.com. */
  baseUrl?: string;
  clusters: FakeArmCluster[];
  /** Runs first; return a Response to replace the normal answer. */
  override?: (
    part: ArmPart,
    request: Request,
  ) => Response | undefined | Promise<Response | undefined>;
}): { handlers: HttpHandler[]; requests: ArmRequest[] } {
  const requests: ArmRequest[] = [];
  const find = (params: Record<string, unknown>) =>
    options.clusters.find(
      c =>
        c.subscriptionId === params.sub &&
        c.resourceGroup.toLowerCase() === String(params.rg).toLowerCase() &&
        c.clusterName === params.name,
    );
  const guard = async (
    part: ArmPart,
    request: Request,
  ): Promise<Response | undefined> => {
    requests.push({
      method: request.method,
      part,
      url: new URL(request.url),
      authorization: request.headers.get('authorization'),
    });
    const overridden = await options.override?.(part, request);
    if (overridden) return overridden;
    if (request.headers.get('authorization') !== `Bearer ${options.armToken}`) {
      return armError(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
      );
    }
    return undefined;
  };
  const notFound = (name: unknown) =>
    armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ContainerService/managedClusters/${String(
        name,
      )}' under resource group was not found.`,
    );
  const arm = options.baseUrl ?? ARM;
  const base = `${arm}/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ContainerService/managedClusters/:name`;
  const handlers = [
    http.get(base, async ({ request, params }) => {
      const denied = await guard('cluster', request);
      if (denied) return denied;
      const c = find(params);
      return c ? HttpResponse.json(c.cluster) : notFound(params.name);
    }),
    http.get(`${base}/agentPools`, async ({ request, params }) => {
      const denied = await guard('agentPools', request);
      if (denied) return denied;
      const c = find(params);
      if (!c) return notFound(params.name);
      const pools = c.agentPools ?? [];
      const url = new URL(request.url);
      const second = url.searchParams.get('$skipToken') === 'page2';
      const half = Math.ceil(pools.length / 2);
      if (second) return HttpResponse.json({ value: pools.slice(half) });
      const next = new URL(url);
      next.searchParams.set('$skipToken', 'page2');
      return HttpResponse.json({
        value: pools.slice(0, half),
        ...(half < pools.length ? { nextLink: next.toString() } : {}),
      });
    }),
    http.get(
      `${base}/maintenanceConfigurations`,
      async ({ request, params }) => {
        const denied = await guard('maintenanceConfigurations', request);
        if (denied) return denied;
        const c = find(params);
        if (!c) return notFound(params.name);
        return HttpResponse.json({ value: c.maintenanceConfigurations ?? [] });
      },
    ),
    http.get(`${base}/upgradeProfiles/default`, async ({ request, params }) => {
      const denied = await guard('upgradeProfile', request);
      if (denied) return denied;
      const c = find(params);
      if (!c?.upgradeProfile) return notFound(params.name);
      return HttpResponse.json(c.upgradeProfile);
    }),
    http.get(
      `${base}/providers/Microsoft.ContainerService/deploymentSafeguards`,
      async ({ request, params }) => {
        const denied = await guard('deploymentSafeguards', request);
        if (denied) return denied;
        const c = find(params);
        if (!c) return notFound(params.name);
        return HttpResponse.json({ value: c.deploymentSafeguards ?? [] });
      },
    ),
    http.get(
      `${base}/providers/Microsoft.DataProtection/backupInstances`,
      async ({ request, params }) => {
        const denied = await guard('backupInstances', request);
        if (denied) return denied;
        const c = find(params);
        if (!c) return notFound(params.name);
        return HttpResponse.json({ value: c.backupInstances ?? [] });
      },
    ),
    http.get(
      `${arm}/subscriptions/:sub/providers/Microsoft.ContainerService/locations/:location/meshRevisionProfiles/istio`,
      async ({ request, params }) => {
        const denied = await guard('meshRevisions', request);
        if (denied) return denied;
        const c = options.clusters.find(
          x => x.subscriptionId === params.sub && x.meshRevisionProfile,
        );
        return c
          ? HttpResponse.json(c.meshRevisionProfile)
          : armError(404, 'NotFound', 'no mesh revision profile');
      },
    ),
    http.post(
      `${base}/listClusterUserCredential`,
      async ({ request, params }) => {
        const denied = await guard('credentials', request);
        if (denied) return denied;
        const c = find(params);
        if (!c?.kubeconfig) return notFound(params.name);
        return HttpResponse.json({
          kubeconfigs: [{ name: 'clusterUser', value: c.kubeconfig }],
        });
      },
    ),
    http.get(
      `${arm}/subscriptions/:sub/providers/Microsoft.ContainerService/locations/:location/kubernetesVersions`,
      async ({ request, params }) => {
        const denied = await guard('kubernetesVersions', request);
        if (denied) return denied;
        const c = options.clusters.find(
          x => x.subscriptionId === params.sub && x.kubernetesVersions,
        );
        return c
          ? HttpResponse.json(c.kubernetesVersions)
          : armError(404, 'NotFound', 'no versions');
      },
    ),
  ];
  return { handlers, requests };
}

/** The published examples, as an ARM-served cluster. */
export function exampleArmCluster(
  overrides: Partial<FakeArmCluster> = {},
): FakeArmCluster {
  const body = (doc: any) => structuredClone(doc.responses['200'].body);
  return {
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    resourceGroup: 'rg1',
    clusterName: 'clustername1',
    cluster: body(managedClusterExample),
    agentPools: [body(agentPoolExample), body(spotPoolExample)],
    maintenanceConfigurations: [body(maintenanceExample)],
    upgradeProfile: structuredClone(upgradeProfile),
    kubernetesVersions: structuredClone(kubernetesVersions),
    ...overrides,
  };
}

/** A kubeconfig as listClusterUserCredential returns it (base64). */
export function userKubeconfig(server: string, caData: string): string {
  const yaml = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${caData}`,
    `    server: ${server}`,
    '  name: clustername1',
    'contexts:',
    '- context:',
    '    cluster: clustername1',
    '    user: clusterUser_rg1_clustername1',
    '  name: clustername1',
    'current-context: clustername1',
    'kind: Config',
    'preferences: {}',
    'users:',
    '- name: clusterUser_rg1_clustername1',
    '  user:',
    '    client-certificate-data: Q0xJRU5ULUNFUlQtU0hPVUxELU5FVkVSLUJFLUtFUFQ=',
    '    client-key-data: Q0xJRU5ULUtFWS1TSE9VTEQtTkVWRVItQkUtS0VQVA==',
    '    token: local-account-token-should-never-be-kept-0123456789abcdef',
    '',
  ].join('\n');
  return Buffer.from(yaml).toString('base64');
}
