import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readScaffolderSettings } from '../config';

export const PROD_URL = 'https://aks-prod-westeurope.hcp.westeurope.azmk8s.io';
export const DEV_URL =
  'https://aks-dev-koreacentral.hcp.koreacentral.azmk8s.io';
export const CLIENT_ID = '5f0c9a52-8d0b-4a57-9a7e-3b8a1c2d4e6f';
export const GROUP_ID = '0b7c8e2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c';

export const TEST_CA_PEM = readFileSync(join(__dirname, 'test-ca.pem'), 'utf8');

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
