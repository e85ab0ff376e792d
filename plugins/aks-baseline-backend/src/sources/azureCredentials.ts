/*
 * The Azure credentials of the configured and discovered clusters: one
 * instance per identity, created on first use and shared, so Entra tokens
 * are cached across runs and clusters.
 */
import {
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';

/** Which identity reads a cluster (an `azure` block, or discovery's). */
export interface AzureIdentitySpec {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
}

function lazy<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= create());
}

export class AzureCredentials {
  private readonly byIdentity = new Map<string, () => TokenCredential>();
  /** Workload Identity, managed identity or environment: one instance for all. */
  readonly defaultCredential: () => TokenCredential;

  /** `injected` (benchmarks, tests) replaces every identity. */
  constructor(private readonly injected?: TokenCredential) {
    this.defaultCredential = lazy<TokenCredential>(
      () => injected ?? new DefaultAzureCredential(),
    );
  }

  for(identity?: AzureIdentitySpec): () => TokenCredential {
    if (
      this.injected ||
      !identity ||
      !(identity.tenantId || identity.clientId)
    ) {
      return this.defaultCredential;
    }
    const key = `${identity.tenantId ?? ''}|${identity.clientId ?? ''}|${
      identity.clientSecret ? 'secret' : 'default'
    }`;
    let credential = this.byIdentity.get(key);
    if (!credential) {
      credential = lazy<TokenCredential>(() =>
        identity.clientSecret
          ? new ClientSecretCredential(
              identity.tenantId!,
              identity.clientId!,
              identity.clientSecret,
            )
          : new DefaultAzureCredential({
              ...(identity.tenantId ? { tenantId: identity.tenantId } : {}),
              ...(identity.clientId
                ? {
                    managedIdentityClientId: identity.clientId,
                    workloadIdentityClientId: identity.clientId,
                  }
                : {}),
            } as ConstructorParameters<typeof DefaultAzureCredential>[0]),
      );
      this.byIdentity.set(key, credential);
    }
    return credential;
  }
}
