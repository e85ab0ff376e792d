/*
 * Turns a cluster's `kubernetes` settings into an endpoint and a credential
 * for one read: a service-account token (configured, or read from its file
 * at every read), the pod's own service account (in-cluster), or a Microsoft
 * Entra token for the AKS server application.
 */
import type { TokenCredential } from '@azure/identity';
import { KubernetesAccessSpec } from '../config';
import { messageOf, isAbortError } from '../errors';
import { redact } from '../redact';
import { ClusterReadError } from '@aks-baseline/plugin-aks-baseline-node';
import { KubernetesCredential, KubernetesEndpoint } from './readKubernetes';
import { normalizeToken, readTokenFile } from './token';

/** The AKS server application: Entra tokens for any AKS API server. */
export const AKS_SERVER_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

export const SERVICE_ACCOUNT_DIR =
  '/var/run/secrets/kubernetes.io/serviceaccount';

export interface ResolvedAccess {
  endpoint: KubernetesEndpoint;
  credential: KubernetesCredential;
}

export interface ResolveAccessOptions {
  cluster: string;
  spec: KubernetesAccessSpec;
  signal: AbortSignal;
  /** The URL when the spec has none (azure: the managed cluster's FQDN). */
  defaultUrl?: string;
  /** The CA when the spec has none (azure: from listClusterUserCredentials). */
  defaultCa?: () => Promise<string | undefined>;
  /** For `azure` auth. */
  entraCredential: () => TokenCredential;
  /** Secrets that must never appear in errors (e.g. a client secret). */
  secrets?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

function inClusterUrl(cluster: string, env: NodeJS.ProcessEnv): string {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT || '443';
  if (!host) {
    throw new ClusterReadError(
      'authProvider inCluster needs the backend to run in the cluster (KUBERNETES_SERVICE_HOST is not set); configure kubernetes.url and a token instead',
      { cluster, code: 'configuration' },
    );
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return `https://${h}:${port}`;
}

export async function getEntraToken(
  credential: TokenCredential,
  cluster: string,
  signal: AbortSignal,
  secrets: readonly string[] = [],
): Promise<string> {
  try {
    const token = await credential.getToken(AKS_SERVER_SCOPE, {
      abortSignal: signal,
    });
    if (!token?.token) throw new Error('no token was returned');
    return token.token;
  } catch (error) {
    if (signal.aborted || isAbortError(error)) {
      throw new ClusterReadError(
        'timed out getting a Microsoft Entra token for the AKS API server',
        { cluster, code: 'timeout', cause: error },
      );
    }
    throw new ClusterReadError(
      `could not get a Microsoft Entra token for the AKS API server: ${redact(
        messageOf(error),
        secrets,
      )}`,
      { cluster, code: 'unauthorized', cause: error },
    );
  }
}

export async function resolveKubernetesAccess(
  options: ResolveAccessOptions,
): Promise<ResolvedAccess> {
  const { cluster, spec, signal } = options;
  const env = options.env ?? process.env;
  const provider = spec.authProvider ?? 'azure';

  // In-cluster, the service host is the way in (the public FQDN may be
  // closed by authorized IP ranges); otherwise the configured URL or ARM's.
  const url =
    spec.url ??
    (provider === 'inCluster'
      ? inClusterUrl(cluster, env)
      : options.defaultUrl);
  if (!url) {
    throw new ClusterReadError(
      'no Kubernetes API URL: configure kubernetes.url',
      { cluster, code: 'configuration' },
    );
  }

  const endpoint: KubernetesEndpoint = { url };
  if (spec.skipTLSVerify) endpoint.skipTLSVerify = true;
  if (spec.caData) endpoint.caData = spec.caData;
  else if (spec.caFile) endpoint.caFile = spec.caFile;
  else if (provider === 'inCluster') {
    // The pod's own cluster CA, as kubectl does in a pod.
    endpoint.caFile = `${SERVICE_ACCOUNT_DIR}/ca.crt`;
  } else if (!spec.skipTLSVerify && options.defaultCa) {
    const caData = await options.defaultCa();
    if (caData) endpoint.caData = caData;
  }

  let credential: KubernetesCredential;
  switch (provider) {
    case 'serviceAccount':
      credential = {
        type: 'token',
        token: spec.serviceAccountToken
          ? normalizeToken(
              spec.serviceAccountToken,
              'kubernetes.serviceAccountToken',
              cluster,
            )
          : await readTokenFile(spec.serviceAccountTokenFile!, cluster),
      };
      break;
    case 'inCluster':
      credential = {
        type: 'token',
        token: await readTokenFile(
          spec.serviceAccountTokenFile ?? `${SERVICE_ACCOUNT_DIR}/token`,
          cluster,
        ),
      };
      break;
    case 'azure':
    default:
      credential = {
        type: 'token',
        token: await getEntraToken(
          options.entraCredential(),
          cluster,
          signal,
          options.secrets,
        ),
      };
  }
  return { endpoint, credential };
}
