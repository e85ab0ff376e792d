import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { capturingLogger, sourcesFor } from './__testUtils__/helpers';
import { readClusterSpecs } from './config';

function specs(data: JsonObject) {
  const { logger, lines } = capturingLogger();
  return { specs: readClusterSpecs(new ConfigReader(data), logger), lines };
}

function error(data: JsonObject): string {
  try {
    specs(data);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

const azure = {
  subscriptionId: '6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21',
  resourceGroup: 'rg-shop-prod',
  clusterName: 'aks-shop-prod',
};

describe('readClusterSpecs', () => {
  it('reads the three kinds of cluster', () => {
    const { specs: list } = specs({
      aksBaseline: {
        clusters: [
          { name: 'demo', snapshot: { directory: 'examples/clusters/demo' } },
          { name: 'aks-prod', azure },
          {
            name: 'aks-sa',
            kubernetes: {
              url: 'https://aks-sa.example.com',
              serviceAccountTokenFile: '/var/run/secrets/aks-baseline/token',
              caFile: '/etc/aks-baseline/ca.crt',
            },
          },
        ],
      },
    });
    expect(list).toEqual([
      {
        name: 'demo',
        origin: 'aksBaseline.clusters[0]',
        kind: 'snapshot',
        directory: 'examples/clusters/demo',
      },
      {
        name: 'aks-prod',
        origin: 'aksBaseline.clusters[1]',
        kind: 'azure',
        azure,
        kubernetes: { enabled: true },
      },
      {
        name: 'aks-sa',
        origin: 'aksBaseline.clusters[2]',
        kind: 'kubernetes',
        kubernetes: {
          enabled: true,
          url: 'https://aks-sa.example.com',
          caFile: '/etc/aks-baseline/ca.crt',
          serviceAccountTokenFile: '/var/run/secrets/aks-baseline/token',
          authProvider: 'serviceAccount',
        },
      },
    ]);
  });

  it('has no clusters when none are configured', () => {
    expect(specs({}).specs).toEqual([]);
  });

  it.each<[string, JsonObject, RegExp]>([
    [
      'a missing name',
      { aksBaseline: { clusters: [{ snapshot: { directory: 'x' } }] } },
      /aksBaseline\.clusters\[0\]\.name.*required/,
    ],
    [
      'a bad name',
      {
        aksBaseline: {
          clusters: [{ name: 'prod cluster', snapshot: { directory: 'x' } }],
        },
      },
      /aksBaseline\.clusters\[0\]\.name/,
    ],
    [
      'a duplicate name',
      {
        aksBaseline: {
          clusters: [
            { name: 'a', snapshot: { directory: 'x' } },
            { name: 'a', snapshot: { directory: 'y' } },
          ],
        },
      },
      /aksBaseline\.clusters\[1\]\.name.*already used by aksBaseline\.clusters\[0\]/,
    ],
    [
      'no source',
      { aksBaseline: { clusters: [{ name: 'a' }] } },
      /aksBaseline\.clusters\[0\].*snapshot, azure or kubernetes/,
    ],
    [
      'snapshot with azure',
      {
        aksBaseline: {
          clusters: [{ name: 'a', snapshot: { directory: 'x' }, azure }],
        },
      },
      /aksBaseline\.clusters\[0\].*snapshot cluster cannot/,
    ],
    [
      'a snapshot without directory',
      { aksBaseline: { clusters: [{ name: 'a', snapshot: {} }] } },
      /aksBaseline\.clusters\[0\]\.snapshot\.directory.*required/,
    ],
    [
      'azure without clusterName',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              azure: { subscriptionId: 's', resourceGroup: 'r' },
            },
          ],
        },
      },
      /aksBaseline\.clusters\[0\]\.azure\.clusterName.*required/,
    ],
    [
      'a client secret without tenant and client',
      {
        aksBaseline: {
          clusters: [{ name: 'a', azure: { ...azure, clientSecret: 'x' } }],
        },
      },
      /aksBaseline\.clusters\[0\]\.azure.*clientSecret needs tenantId and clientId/,
    ],
    [
      'both CA forms',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              azure,
              kubernetes: { caData: 'Zm9v', caFile: '/ca.crt' },
            },
          ],
        },
      },
      /aksBaseline\.clusters\[0\]\.kubernetes.*caData or caFile/,
    ],
    [
      'both token forms',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              kubernetes: {
                url: 'https://k',
                serviceAccountToken: 't',
                serviceAccountTokenFile: '/t',
              },
            },
          ],
        },
      },
      /serviceAccountToken or serviceAccountTokenFile, not both/,
    ],
    [
      'an unknown auth provider',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              kubernetes: { url: 'https://k', authProvider: 'google' },
            },
          ],
        },
      },
      /aksBaseline\.clusters\[0\]\.kubernetes\.authProvider.*serviceAccount, inCluster, azure/,
    ],
    [
      'a Kubernetes cluster without auth',
      {
        aksBaseline: {
          clusters: [{ name: 'a', kubernetes: { url: 'https://k' } }],
        },
      },
      /aksBaseline\.clusters\[0\]\.kubernetes.*serviceAccountToken/,
    ],
    [
      'a Kubernetes cluster without url',
      {
        aksBaseline: {
          clusters: [{ name: 'a', kubernetes: { serviceAccountToken: 't' } }],
        },
      },
      /aksBaseline\.clusters\[0\]\.kubernetes\.url.*required/,
    ],
    [
      'serviceAccount without a token',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              kubernetes: { url: 'https://k', authProvider: 'serviceAccount' },
            },
          ],
        },
      },
      /serviceAccount needs serviceAccountToken/,
    ],
    [
      'azure auth with a token',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              azure,
              kubernetes: { authProvider: 'azure', serviceAccountToken: 't' },
            },
          ],
        },
      },
      /authProvider azure uses a Microsoft Entra token/,
    ],
    [
      'plain http',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              kubernetes: { url: 'http://k:8080', serviceAccountToken: 't' },
            },
          ],
        },
      },
      /aksBaseline\.clusters\[0\]\.kubernetes\.url.*http:\/\/ URL is only accepted with skipTLSVerify/,
    ],
    [
      'credentials in the url',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              kubernetes: {
                url: 'https://admin:pw@k',
                serviceAccountToken: 't',
              },
            },
          ],
        },
      },
      /must not contain credentials/,
    ],
    [
      'kubernetes disabled without azure',
      {
        aksBaseline: {
          clusters: [
            {
              name: 'a',
              kubernetes: {
                enabled: false,
                url: 'https://k',
                serviceAccountToken: 't',
              },
            },
          ],
        },
      },
      /kubernetes\.enabled.*only be false on an azure cluster/,
    ],
  ])('rejects %s, naming the config path', (_what, data, message) => {
    expect(error(data)).toMatch(message);
  });

  it('does not echo secret values in errors', () => {
    const message = error({
      aksBaseline: {
        clusters: [
          {
            name: 'a',
            azure,
            kubernetes: {
              authProvider: 'azure',
              serviceAccountToken: 'super-secret-token-value',
            },
          },
        ],
      },
    });
    expect(message).not.toContain('super-secret-token-value');
  });

  describe('clusters of the Kubernetes plugin', () => {
    const kubernetes = {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        { type: 'catalog' },
        {
          type: 'config',
          clusters: [
            {
              name: 'aks-shop',
              url: 'https://aks-shop-dns.hcp.westeurope.azmk8s.io:443',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'sa-token-value',
              caData: 'Q0EtREFUQQ==',
            },
            {
              name: 'aks-meta',
              url: 'https://aks-meta.example.com',
              authMetadata: {
                'kubernetes.io/auth-provider': 'serviceAccount',
                serviceAccountToken: 'meta-token',
              },
              skipTLSVerify: true,
            },
            {
              name: 'aks-entra',
              url: 'https://aks-entra.example.com',
              authProvider: 'azure',
              caFile: '/etc/ca.crt',
            },
            {
              name: 'aks-user',
              url: 'https://aks-user.example.com',
              authProvider: 'aks',
            },
            {
              name: 'self',
              url: 'https://kubernetes.default.svc',
              authProvider: 'serviceAccount',
            },
            {
              name: 'gke-one',
              url: 'https://35.1.2.3',
              authProvider: 'google',
            },
            {
              name: 'demo',
              url: 'https://other.example.com',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'x',
            },
          ],
        },
      ],
    };

    it('picks up config-located clusters it can read with a backend identity', () => {
      const { specs: list, lines } = specs({
        aksBaseline: {
          clusters: [{ name: 'demo', snapshot: { directory: 'd' } }],
        },
        kubernetes,
      });
      expect(list.map(s => [s.name, s.kind])).toEqual([
        ['demo', 'snapshot'],
        ['aks-shop', 'kubernetes'],
        ['aks-meta', 'kubernetes'],
        ['aks-entra', 'kubernetes'],
        ['aks-user', 'kubernetes'],
        ['self', 'kubernetes'],
      ]);
      const byName = Object.fromEntries(list.map(s => [s.name, s]));
      expect(byName['aks-shop']).toEqual({
        name: 'aks-shop',
        origin: 'kubernetes.clusterLocatorMethods[1].clusters[0]',
        kind: 'kubernetes',
        kubernetes: {
          enabled: true,
          url: 'https://aks-shop-dns.hcp.westeurope.azmk8s.io:443',
          skipTLSVerify: false,
          caData: 'Q0EtREFUQQ==',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'sa-token-value',
        },
      });
      expect((byName['aks-meta'] as any).kubernetes).toMatchObject({
        authProvider: 'serviceAccount',
        serviceAccountToken: 'meta-token',
        skipTLSVerify: true,
      });
      expect((byName['aks-entra'] as any).kubernetes).toMatchObject({
        authProvider: 'azure',
        caFile: '/etc/ca.crt',
      });
      expect((byName['aks-user'] as any).kubernetes.authProvider).toBe('azure');
      // serviceAccount without a token: the backend pod's own, as the plugin does.
      expect((byName.self as any).kubernetes.authProvider).toBe('inCluster');
      expect(lines.join('\n')).toMatch(
        /skips Kubernetes plugin cluster 'gke-one'.*google/,
      );
      expect(lines.join('\n')).not.toContain('sa-token-value');
    });

    it('can be turned off', () => {
      const { specs: list } = specs({
        aksBaseline: { includeKubernetesPluginClusters: false },
        kubernetes,
      });
      expect(list).toEqual([]);
    });

    it('builds sources for them', () => {
      const { sources } = sourcesFor({ kubernetes });
      expect(sources.map(s => `${s.name}:${s.kind}`)).toEqual([
        'aks-shop:kubernetes',
        'aks-meta:kubernetes',
        'aks-entra:kubernetes',
        'aks-user:kubernetes',
        'self:kubernetes',
        'demo:kubernetes',
      ]);
    });
  });
});
