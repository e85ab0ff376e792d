import { ConfigReader } from '@backstage/config';
import { readScaffolderSettings } from '../config';

export const PROD_URL = 'https://aks-prod-westeurope.hcp.westeurope.azmk8s.io';
export const DEV_URL =
  'https://aks-dev-koreacentral.hcp.koreacentral.azmk8s.io';
export const CLIENT_ID = '5f0c9a52-8d0b-4a57-9a7e-3b8a1c2d4e6f';
export const GROUP_ID = '0b7c8e2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c';

/** A self-signed CA (no key kept): only parsed, never used for TLS under msw. */
export const TEST_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBeTCCAR+gAwIBAgIUTPRI0gpVb35WvRsvExw2IVhbvIswCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHdGVzdC1jYTAeFw0yNjExMjgxODM5MDhaFw0zNjExMjUxODM5
MDhaMBIxEDAOBgNVBAMMB3Rlc3QtY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATBPjySv9xPTsKjL4QC69NauiSOF0RExIl+VuLqth6GffgxXjXur2VaaGKNsnql
yOccYEAfJnVMP+E4FqnYEEzXo1MwUTAdBgNVHQ4EFgQUGvdxz8LURQDBuw+SGKLw
F/H33Z4wHwYDVR0jBBgwFoAUGvdxz8LURQDBuw+SGKLwF/H33Z4wDwYDVR0TAQH/
BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBys3E5rO+JALdrLlNzn+WC7RRIcFR4
WxNz9B/29uQAcwIhANn/8X7WH0N37SOfaUts3Q0mCJOOOCMGFir09FmnYZMY
-----END CERTIFICATE-----
`;

/** The `aksBaseline.scaffolder` block the tests (and the demo) use. */
export function scaffolderConfig(extra: Record<string, unknown> = {}) {
  return {
    clusters: [
      {
        name: 'aks-prod-westeurope',
        url: PROD_URL,
        caData: Buffer.from(TEST_CA_PEM).toString('base64'),
        auth: { azure: {} },
        environments: ['production'],
      },
      {
        name: 'aks-dev-koreacentral',
        url: DEV_URL,
        auth: { serviceAccountToken: 'dev-token' },
        environments: ['non-production'],
      },
      {
        name: 'aks-gitops-only',
        environments: ['production', 'non-production'],
      },
    ],
    ...extra,
  };
}

export function testSettings(extra: Record<string, unknown> = {}) {
  return readScaffolderSettings(
    new ConfigReader({ aksBaseline: { scaffolder: scaffolderConfig(extra) } }),
  );
}
