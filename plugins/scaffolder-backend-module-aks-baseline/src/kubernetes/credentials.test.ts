import {
  AggregateAuthenticationError,
  AuthenticationError,
  CredentialUnavailableError,
} from '@azure/identity';
import { createTokenProvider } from './credentials';

const CLUSTER = {
  name: 'aks-prod-westeurope',
  url: 'https://aks-prod-westeurope.hcp.westeurope.azmk8s.io',
  auth: { type: 'azure' as const },
} as any;

/** What DefaultAzureCredential throws on a machine with no identity (the demo). */
const noIdentityAnywhere = new AggregateAuthenticationError(
  [
    new CredentialUnavailableError(
      'EnvironmentCredential is unavailable. No underlying credential could be used.\nTo troubleshoot, visit https://aka.ms/azsdk/js/identity/environmentcredential/troubleshoot.',
    ),
    new CredentialUnavailableError(
      'ManagedIdentityCredential: Authentication failed. Message Attempted to use the IMDS endpoint, but it is not available.',
    ),
    new CredentialUnavailableError(
      'AzureCliCredential: Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions.',
    ),
  ],
  'DefaultAzureCredential failed to retrieve a token from the included credentials.\nAttempted credentials:\n\tEnvironmentCredential: EnvironmentCredential is unavailable.\n\tManagedIdentityCredential: ...',
);

describe('createTokenProvider', () => {
  it('says in one line what to configure when no Azure identity is found, and that the dry run works', async () => {
    const getToken = createTokenProvider({
      azureCredential: () => ({
        getToken: async () => {
          throw noIdentityAnywhere;
        },
      }),
    });
    const error: Error = await getToken(CLUSTER).catch(e => e);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('EnvironmentCredential');
    expect(error.message).toBe(
      "No Azure identity to sign in to cluster aks-prod-westeurope: give the backend a managed or workload identity with access to the cluster, or set aksBaseline.scaffolder.clusters[].auth.serviceAccountToken (docs/scaffolder.md). Without cluster credentials, as in the demo, only the template's dry run works.",
    );
  });

  it('keeps the first line of a refusal of an identity that exists', async () => {
    const getToken = createTokenProvider({
      azureCredential: () => ({
        getToken: async () => {
          throw new AuthenticationError(400, {
            error: 'invalid_client',
            error_description:
              'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1',
          });
        },
      }),
    });
    const error: Error = await getToken(CLUSTER).catch(e => e);
    expect(error.message).toMatch(
      /^Could not get a Microsoft Entra ID token for cluster aks-prod-westeurope \(scope 6dae42f8-4368-4678-94ff-3960e28e3630\/\.default\): .*invalid_client/,
    );
    expect(error.message).not.toContain('\n');
  });

  it('returns the token it gets', async () => {
    const getToken = createTokenProvider({
      azureCredential: () => ({
        getToken: async () => ({ token: 'aad-token', expiresOnTimestamp: 0 }),
      }),
    });
    await expect(getToken(CLUSTER)).resolves.toBe('aad-token');
  });
});
