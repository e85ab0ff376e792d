import { findObject, kubeFixtureObjects } from '../../__fixtures__/kubernetes';
import { KubeObject } from '../../engine/types';
import {
  deployment,
  evaluateRule,
  namespaceObject,
  outcomeFor,
} from '../../testUtils';
import {
  evaluateFixtures,
  fixtureOutcome,
  snapshotOf,
} from '../shared/test-utils';
import { imagesRules } from './index';
import { containerImagePinned, containerImagePullPolicy } from './pinning';
import {
  compileRegistryPatterns,
  fullyQualified,
  isAllowedImage,
  isPinned,
  registryOf,
} from './reference';
import { containerImageAllowedRegistry } from './registries';

/** A production-namespace deployment with the given containers. */
function prodDeployment(containers: object[]): KubeObject[] {
  return [
    namespaceObject('web', { environment: 'production' }),
    deployment('app', 'web', { containers }),
  ];
}

describe('image references', () => {
  it.each([
    ['contoso.azurecr.io/shop/storefront:1.4.2', true],
    ['nginx:1.27', true],
    [
      'nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
      true,
    ],
    [
      'nginx:latest@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
      true,
    ],
    ['nginx', false],
    ['nginx:latest', false],
    ['registry.local:5000/team/app', false],
    ['registry.local:5000/team/app:2.1', true],
    ['nginx:', false],
    ['', false],
  ])('isPinned(%p) is %p', (image, expected) => {
    expect(isPinned(image)).toBe(expected);
  });

  it('spells out Docker Hub', () => {
    expect(fullyQualified('nginx:1.27')).toBe('docker.io/library/nginx:1.27');
    expect(fullyQualified('bitnami/redis:7.2')).toBe(
      'docker.io/bitnami/redis:7.2',
    );
    expect(fullyQualified('index.docker.io/bitnami/redis')).toBe(
      'docker.io/bitnami/redis',
    );
    expect(fullyQualified('localhost/app:1')).toBe('localhost/app:1');
    const acr = 'contoso.azurecr.io/shop/storefront:1.4.2';
    expect(fullyQualified(acr)).toBe(acr);
    expect(registryOf('nginx')).toBe('docker.io');
    expect(registryOf('mcr.microsoft.com/azure-cli:2.61.0')).toBe(
      'mcr.microsoft.com',
    );
  });

  it('matches registry patterns by host, with path prefixes', () => {
    const re = compileRegistryPatterns([
      '*.azurecr.io',
      'mcr.microsoft.com',
      'ghcr.io/contoso/*',
    ]);
    expect(isAllowedImage('contoso.azurecr.io/shop/storefront:1.4.2', re)).toBe(
      true,
    );
    expect(isAllowedImage('CONTOSO.AZURECR.IO/app:1', re)).toBe(true);
    expect(isAllowedImage('contoso.azurecr.io.evil.com/app:1', re)).toBe(false);
    expect(isAllowedImage('azurecr.io.example.com/app:1', re)).toBe(false);
    expect(isAllowedImage('mcr.microsoft.com/dotnet/aspnet:8.0', re)).toBe(
      true,
    );
    expect(isAllowedImage('ghcr.io/contoso/tools/cli:1', re)).toBe(true);
    expect(isAllowedImage('ghcr.io/other/cli:1', re)).toBe(false);
    expect(isAllowedImage('nginx:1.27', re)).toBe(false);
    expect(isAllowedImage(undefined, re)).toBe(false);
    expect(isAllowedImage('nginx:1.27', compileRegistryPatterns([]))).toBe(
      false,
    );
  });
});

describe('images rules', () => {
  it('exports IM-01..IM-05', () => {
    expect(imagesRules.map(r => r.baselineRef)).toEqual([
      'IM-01',
      'IM-02',
      'IM-03',
      'IM-04',
      'IM-05',
    ]);
  });
});

describe('container-image-pinned (IM-01)', () => {
  it('passes tags and digests, fails nginx:latest naming the image', () => {
    const outcomes = evaluateFixtures(containerImagePinned, [
      'shopStorefront',
      'shopOrdersDb',
      'legacyWeb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'orders-db').status).toBe('pass');
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Images not pinned to a version: web (nginx:latest: tag latest).',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].image',
        value: 'nginx:latest',
        expected:
          'a specific tag (e.g. :v1.2.3) or a digest (@sha256:...), not latest',
      },
    ]);
  });

  it('fails untagged images in init containers and CronJobs', () => {
    const objects = kubeFixtureObjects('shopNightlyReport');
    const spec = findObject(objects, 'CronJob', 'nightly-report').spec
      .jobTemplate.spec.template.spec;
    spec.initContainers = [{ name: 'wait', image: 'busybox' }];
    const [o] = evaluateRule(containerImagePinned, snapshotOf(objects));
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Images not pinned to a version: wait (init) (busybox: no tag).',
    );
    expect(o.evidence?.map(e => e.path)).toEqual([
      'spec.jobTemplate.spec.template.spec.initContainers[0].image',
    ]);
  });
});

describe('container-image-pull-policy-if-not-present (IM-02)', () => {
  it('fails Always and an unpinned image in production', () => {
    const o = fixtureOutcome(
      containerImagePullPolicy,
      ['legacyWeb'],
      'legacy-web',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Container web does not use imagePullPolicy: IfNotPresent with a pinned image tag (production).',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].imagePullPolicy',
        value: 'Always',
        expected: 'IfNotPresent',
      },
      {
        path: 'spec.template.spec.containers[0].image',
        value: 'nginx:latest',
        expected:
          'a pinned tag or digest (IfNotPresent on latest keeps stale images)',
      },
    ]);
  });

  it('passes IfNotPresent, and an absent policy on a pinned tag (defaults to IfNotPresent)', () => {
    const outcomes = evaluateRule(
      containerImagePullPolicy,
      snapshotOf([
        ...kubeFixtureObjects('shopStorefront'),
        ...prodDeployment([
          { name: 'app', image: 'contoso.azurecr.io/app:2.0.0' },
        ]),
      ]),
    );
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'app').status).toBe('pass');
  });

  it('fails Always even with a digest, and an absent policy on latest', () => {
    const outcomes = evaluateRule(
      containerImagePullPolicy,
      snapshotOf(
        prodDeployment([
          {
            name: 'pinned',
            image:
              'contoso.azurecr.io/app@sha256:4c7d7b3f0f1e8c2a6b9d5e3f1a7c8b2d4e6f8a0b1c3d5e7f9a2b4c6d8e0f1a3b',
            imagePullPolicy: 'Always',
          },
          { name: 'floating', image: 'contoso.azurecr.io/app:latest' },
        ]),
      ),
    );
    const o = outcomeFor(outcomes, 'app');
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/^Containers pinned, floating do not use/);
    expect(o.evidence?.map(e => [e.path, e.value])).toEqual([
      ['spec.template.spec.containers[0].imagePullPolicy', 'Always'],
      ['spec.template.spec.containers[1].imagePullPolicy', undefined],
      [
        'spec.template.spec.containers[1].image',
        'contoso.azurecr.io/app:latest',
      ],
    ]);
  });

  it('does not apply outside production', () => {
    const outcomes = evaluateRule(
      containerImagePullPolicy,
      snapshotOf([
        namespaceObject('dev', { environment: 'development' }),
        deployment('app', 'dev', {
          containers: [{ name: 'app', image: 'nginx' }],
        }),
      ]),
    );
    expect(outcomeFor(outcomes, 'app').status).toBe('not-applicable');
  });
});

describe('container-image-allowed-registry (IM-03)', () => {
  it('passes ACR images and fails Docker Hub ones, naming the registry', () => {
    const outcomes = evaluateFixtures(containerImageAllowedRegistry, [
      'shopStorefront',
      'legacyWeb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Images from registries outside the allowed list (*.azurecr.io): web (nginx:latest from docker.io), metrics (nginx/nginx-prometheus-exporter:1.1.0 from docker.io).',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].image',
        value: 'nginx:latest',
        expected: 'an image from *.azurecr.io',
      },
      {
        path: 'spec.template.spec.containers[1].image',
        value: 'nginx/nginx-prometheus-exporter:1.1.0',
        expected: 'an image from *.azurecr.io',
      },
    ]);
  });

  it('follows params.allowedRegistries (official Docker Hub images only)', () => {
    const outcomes = evaluateFixtures(
      containerImageAllowedRegistry,
      ['legacyWeb'],
      {
        params: { allowedRegistries: ['*.azurecr.io', 'docker.io/library/*'] },
      },
    );
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.evidence?.map(e => e.path)).toEqual([
      'spec.template.spec.containers[1].image',
    ]);
    const all = evaluateFixtures(containerImageAllowedRegistry, ['legacyWeb'], {
      params: { allowedRegistries: ['docker.io'] },
    });
    expect(outcomeFor(all, 'legacy-web').status).toBe('pass');
  });

  it('rejects look-alike hosts', () => {
    const [o] = evaluateRule(
      containerImageAllowedRegistry,
      snapshotOf([
        deployment('app', 'web', {
          containers: [
            { name: 'app', image: 'contoso.azurecr.io.evil.example/app:1.0.0' },
          ],
        }),
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/from contoso\.azurecr\.io\.evil\.example\)/);
  });
});
