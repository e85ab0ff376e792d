/*
 * Bearer tokens for a configured cluster: a ServiceAccount token from
 * configuration, or a Microsoft Entra ID token for the AKS server
 * application (what `kubelogin` fetches) from DefaultAzureCredential.
 */
import { DefaultAzureCredential, TokenCredential } from '@azure/identity';
import { ReachableCluster } from '../config';

/**
 * The AKS AAD server application; the same for every AKS cluster.
 *
 * @public
 */
export const AKS_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

/** The credential chain found no identity at all (not: an identity was refused). */
export function noIdentity(error: unknown): boolean {
  const name = (error as Error)?.name;
  return (
    name === 'CredentialUnavailableError' ||
    (name === 'AggregateAuthenticationError' &&
      ((error as { errors?: unknown[] }).errors ?? []).every(
        e => (e as Error)?.name === 'CredentialUnavailableError',
      ))
  );
}

/**
 * One line a template user can act on, not the credential chain's report
 * of every credential it tried.
 */
export function tokenError(cluster: string, error: unknown): Error {
  if (noIdentity(error)) {
    return new Error(
      `No Azure identity to sign in to cluster ${cluster}: give the backend a managed or workload identity with access to the cluster, or set aksBaseline.scaffolder.clusters[].auth.serviceAccountToken (docs/scaffolder.md). Without cluster credentials, as in the demo, only the template's dry run works.`,
    );
  }
  const first = String((error as Error)?.message ?? error).split('\n')[0];
  return new Error(
    `Could not get a Microsoft Entra ID token for cluster ${cluster} (scope ${AKS_SCOPE}): ${first}`,
  );
}

/** @public */
export type TokenProvider = (cluster: ReachableCluster) => Promise<string>;

/** @public */
export interface TokenProviderOptions {
  /** For tests: replaces DefaultAzureCredential. */
  azureCredential?: (auth: {
    clientId?: string;
    tenantId?: string;
  }) => TokenCredential;
}

/** @public */
export function createTokenProvider(
  options: TokenProviderOptions = {},
): TokenProvider {
  const credentials = new Map<string, TokenCredential>();
  const azureCredential =
    options.azureCredential ??
    ((auth: { clientId?: string; tenantId?: string }) =>
      new DefaultAzureCredential({
        managedIdentityClientId: auth.clientId,
        workloadIdentityClientId: auth.clientId,
        tenantId: auth.tenantId,
      }));
  return async cluster => {
    const auth = cluster.auth;
    if (auth.type === 'serviceAccountToken') return auth.token;
    const key = `${auth.clientId ?? ''}/${auth.tenantId ?? ''}`;
    let credential = credentials.get(key);
    if (!credential) {
      credential = azureCredential(auth);
      credentials.set(key, credential);
    }
    let token;
    try {
      token = await credential.getToken(AKS_SCOPE);
    } catch (e) {
      throw tokenError(cluster.name, e);
    }
    if (!token?.token) {
      throw new Error(
        `Microsoft Entra ID returned no token for cluster ${cluster.name} (scope ${AKS_SCOPE})`,
      );
    }
    return token.token;
  };
}
