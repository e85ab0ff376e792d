import { defaultParameters } from './params';
import { clusterProfile, namespaceProfile, tagValue } from './profile';

const params = defaultParameters();

describe('profiles', () => {
  it('reads the Environment tag with any key case and value case', () => {
    expect(tagValue({ ENVIRONMENT: 'x' }, 'Environment')).toBe('x');
    expect(
      clusterProfile({ name: 'a', tags: { environment: ' Prod ' } }, params),
    ).toBe('production');
    expect(
      clusterProfile({ name: 'a', tags: { Environment: 'staging' } }, params),
    ).toBe('non-production');
    expect(clusterProfile({ name: 'a' }, params)).toBe('non-production');
    expect(clusterProfile(undefined, params, 'production')).toBe('production');
  });

  it('lets a namespace label override the cluster profile', () => {
    expect(namespaceProfile({ environment: 'dev' }, 'production', params)).toBe(
      'non-production',
    );
    expect(
      namespaceProfile(
        { 'aks-baseline.io/environment': 'PRD' },
        'non-production',
        params,
      ),
    ).toBe('production');
    expect(namespaceProfile({ environment: '' }, 'production', params)).toBe(
      'production',
    );
    expect(namespaceProfile({}, 'non-production', params)).toBe(
      'non-production',
    );
    expect(
      namespaceProfile({ stage: 'live' }, 'non-production', {
        ...params,
        namespaceEnvironmentLabel: 'stage',
        productionEnvironments: ['live'],
      }),
    ).toBe('production');
  });
});
