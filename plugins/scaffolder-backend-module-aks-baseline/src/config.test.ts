import { ConfigReader } from '@backstage/config';
import { decodeCaData, findCluster, readScaffolderSettings } from './config';
import { NamespaceInput, resolveNamespaceSpec } from './manifests';
import {
  CLIENT_ID,
  GROUP_ID,
  TEST_CA_PEM,
  testSettings,
} from './__testUtils__/settings';

function read(scaffolder: unknown) {
  return readScaffolderSettings(
    new ConfigReader({ aksBaseline: { scaffolder } } as any),
  );
}

function request(quota: string): NamespaceInput {
  return {
    cluster: 'aks-a',
    namespace: 'payments-dev',
    owner: 'group:default/team-payments',
    environment: 'non-production',
    quota,
    workloadIdentity: { clientId: CLIENT_ID },
    teamGroup: GROUP_ID,
  };
}

const cluster = {
  name: 'aks-a',
  url: 'https://a.example.test',
  auth: { serviceAccountToken: 't' },
  environments: ['production'],
};

describe('readScaffolderSettings', () => {
  it('reads clusters, auth and defaults', () => {
    const settings = testSettings({
      quotaPresets: {
        // Config keys cannot contain dots: the quota keys nest.
        small: {
          requests: { cpu: '1', memory: '2Gi' },
          limits: { cpu: '2', memory: '4Gi' },
          persistentvolumeclaims: 2,
          services: { loadbalancers: 0 },
        },
      },
      limitRange: { max: { cpu: '2' } },
      teamRole: 'view',
    });
    expect(settings.clusters.map(c => [c.name, c.auth?.type])).toEqual([
      ['aks-prod-westeurope', 'azure'],
      ['aks-dev-koreacentral', 'serviceAccountToken'],
      ['aks-gitops-only', undefined],
    ]);
    expect(settings.clusters[0].ca).toBe(TEST_CA_PEM);
    expect(settings.defaults.quotaPresets.small['requests.cpu']).toBe('1');
    expect(settings.defaults.quotaPresets.medium['requests.cpu']).toBe('8');
    expect(settings.defaults.limitRange.max).toEqual({
      cpu: '2',
      memory: '8Gi',
    });
    expect(settings.defaults.teamRole).toBe('view');
    expect(settings.requestTimeoutMs).toBe(15000);
  });

  it('has no clusters without configuration', () => {
    expect(readScaffolderSettings(new ConfigReader({})).clusters).toEqual([]);
  });

  it.each([
    [
      { ...cluster, url: 'http://a.example.test' },
      'must be reached over https',
    ],
    [
      { ...cluster, auth: { serviceAccountToken: 't', azure: {} } },
      'set either serviceAccountToken or azure, not both',
    ],
    [{ ...cluster, auth: {} }, 'set serviceAccountToken (a secret) or azure'],
    [{ ...cluster, environments: ['staging'] }, '"staging" is not one of'],
    [{ ...cluster, url: undefined }, 'auth is set but url is missing'],
    [
      { ...cluster, caData: 'bm90IGEgY2VydA==' },
      'caData is neither a PEM certificate nor base64 of one',
    ],
  ])('rejects a bad cluster (%#)', (bad, message) => {
    expect(() => read({ clusters: [bad] })).toThrow(message);
  });

  it('rejects duplicate names and bad presets', () => {
    expect(() => read({ clusters: [cluster, cluster] })).toThrow(
      'the name "aks-a" is used twice',
    );
    expect(() =>
      read({ quotaPresets: { tiny: { requests: { cpu: 'lots' } } } }),
    ).toThrow(
      'aksBaseline.scaffolder.quotaPresets.tiny.requests.cpu: "lots" is not a Kubernetes quantity',
    );
  });

  const preset = {
    requests: { cpu: '1', memory: '2Gi' },
    limits: { cpu: '2', memory: '4Gi' },
    persistentvolumeclaims: 2,
    services: { loadbalancers: 0 },
  };

  it('rejects a preset named __proto__ instead of losing it', () => {
    // As a YAML or JSON loader builds it: an own key named "__proto__".
    const quotaPresets = JSON.parse(`{"__proto__": ${JSON.stringify(preset)}}`);
    expect(() => read({ quotaPresets })).toThrow(
      'aksBaseline.scaffolder.quotaPresets: "__proto__" is not a preset name',
    );
  });

  it('keeps a preset named constructor as its own, and only it', () => {
    const settings = read({ quotaPresets: { constructor: preset } });
    expect(
      resolveNamespaceSpec(request('constructor'), settings.defaults).quota[
        'requests.cpu'
      ],
    ).toBe('1');
    expect(() =>
      resolveNamespaceSpec(request('toString'), settings.defaults),
    ).toThrow(
      'quota: unknown preset "toString" (configured: small, medium, large, constructor)',
    );
  });

  it('rejects a LimitRange resource that is no resource name', () => {
    const max = JSON.parse('{"__proto__": "1"}');
    expect(() => read({ limitRange: { max } })).toThrow(
      'aksBaseline.scaffolder.limitRange.max: "__proto__" is not a resource name',
    );
  });

  it('reads a managed cluster, managed namespaces on by default', () => {
    const settings = read({
      clusters: [
        {
          ...cluster,
          managedCluster: {
            subscriptionId: '3f2c7a1e-9b4d-4c8e-a6f0-2d1b5e7c9a30',
            resourceGroup: 'rg-aks',
            name: 'aks-a',
          },
        },
      ],
    });
    expect(settings.clusters[0].managedCluster).toEqual({
      subscriptionId: '3f2c7a1e-9b4d-4c8e-a6f0-2d1b5e7c9a30',
      resourceGroup: 'rg-aks',
      name: 'aks-a',
      managedNamespaces: true,
      clientId: undefined,
      tenantId: undefined,
    });
    expect(() =>
      read({
        clusters: [
          {
            ...cluster,
            managedCluster: {
              subscriptionId: 'sub',
              resourceGroup: 'rg',
              name: 'a',
            },
          },
        ],
      }),
    ).toThrow(
      'aksBaseline.scaffolder.clusters[0].managedCluster.subscriptionId: not a subscription id (a UUID)',
    );
  });

  it('accepts PEM or base64 PEM as caData', () => {
    expect(decodeCaData(TEST_CA_PEM, 'x')).toBe(TEST_CA_PEM.trim());
    expect(decodeCaData(Buffer.from(TEST_CA_PEM).toString('base64'), 'x')).toBe(
      TEST_CA_PEM,
    );
  });
});

describe('findCluster', () => {
  const settings = testSettings();
  it('finds a cluster configured for the environment', () => {
    expect(
      findCluster(settings, 'aks-prod-westeurope', 'production').name,
    ).toBe('aks-prod-westeurope');
  });
  it('names the configured clusters when the name is unknown', () => {
    expect(() => findCluster(settings, 'nope', 'production')).toThrow(
      'Unknown cluster "nope": templates may target aks-prod-westeurope, aks-dev-koreacentral, aks-gitops-only',
    );
  });
});
