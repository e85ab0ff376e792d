import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  KNOWN_KINDS,
  kindsToRead,
  RULE_CATALOG,
} from '@aks-baseline/plugin-aks-baseline-node';
import { rules as exampleRules } from '@internal/aks-baseline-example-custom-rule';
import helmReleases from '@internal/aks-baseline-example-custom-rule/fixtures/helmreleases.json';
import storefront from '../__fixtures__/kubernetes/compliant-shop-storefront.json';
import legacyWeb from '../__fixtures__/kubernetes/noncompliant-legacy-web.json';
import nodes from '../__fixtures__/kubernetes/nodes-health.json';
import pods from '../__fixtures__/kubernetes/pods-health.json';
import veleroSchedule from '../__fixtures__/kubernetes/velero-daily-backup-schedule.json';
import {
  fakeKubernetesApi,
  objectsOf,
  statusResponse,
} from '../__testUtils__/fakeKubernetes';
import {
  CATALOG_KINDS,
  expectNoSecrets,
  exposedText,
  only,
  readError,
  sourcesFor,
} from '../__testUtils__/helpers';
import { fakeEntra, fakeJwt } from '../__testUtils__/fakeAzure';

const server = setupServer();
registerMswTestHooks(server);

const URL_BASE = 'https://aks-shop-dns-4f2a9c1e.hcp.westeurope.azmk8s.io';
const TOKEN = fakeJwt('kubernetes-service-account');
const CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n-----END CERTIFICATE-----\n',
).toString('base64');

const OBJECTS = objectsOf(storefront, legacyWeb, nodes, pods, veleroSchedule);
/** Without the Velero CRD installed, its Schedule is not listed. */
const WITHOUT_CRDS = OBJECTS.filter(o => o.kind !== 'Schedule');

function config(extra: Record<string, unknown> = {}) {
  return {
    aksBaseline: {
      clusters: [
        {
          name: 'aks-shop',
          kubernetes: {
            url: `${URL_BASE}:443`,
            caData: CA,
            serviceAccountToken: TOKEN,
            ...extra,
          },
        },
      ],
    },
  };
}

/** The kinds' list paths the source must call, once each (plus pages). */
const NAMESPACED_PATH = /\/namespaces\/[^/]+\//;

describe('KubernetesClusterSource', () => {
  it('lists every kind once across all namespaces, paged with limit/continue', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      crds: ['schedules.velero.io'],
      token: TOKEN,
      maxPageSize: 2,
    });
    server.use(...fake.handlers);
    const { sources, logger, lines } = sourcesFor(config());
    const source = only(sources, 'aks-shop');
    expect(source.kind).toBe('kubernetes');

    const snapshot = await source.read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });

    expect(snapshot.name).toBe('aks-shop');
    expect(snapshot.managedCluster).toBeUndefined();
    // Every object came back, with kind and apiVersion restored, plus the
    // installed CRD.
    const keys = (list: { kind: string; metadata: any }[]) =>
      list
        .map(o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)
        .sort();
    expect(keys(snapshot.objects)).toEqual(
      keys([
        ...OBJECTS,
        {
          kind: 'CustomResourceDefinition',
          metadata: { name: 'schedules.velero.io' },
        },
      ]),
    );
    const deployment = snapshot.objects.find(
      o => o.kind === 'Deployment' && o.metadata.name === 'storefront',
    )!;
    expect(deployment.apiVersion).toBe('apps/v1');
    expect(deployment.spec.template.spec.containers[0].name).toBeDefined();
    expect(snapshot.objects.find(o => o.kind === 'Schedule')?.apiVersion).toBe(
      'velero.io/v1',
    );

    // Coverage: read from a cluster; CRD kinds without a CRD are absent.
    expect(snapshot.coverage.mode).toBe('cluster');
    expect(snapshot.coverage.unreadable).toEqual({});
    expect(snapshot.coverage.absentKinds).toEqual(
      [
        'Certificate',
        'Gateway',
        'GatewayClass',
        'SecretProviderClass',
        'VerticalPodAutoscaler',
        'VulnerabilityReport',
      ].sort(),
    );

    const paths = fake.requests.map(r => r.url.pathname);
    // Never per namespace, never Secrets, never a CRD kind that is absent.
    expect(paths.filter(p => NAMESPACED_PATH.test(p))).toEqual([]);
    expect(paths.some(p => p.endsWith('/secrets'))).toBe(false);
    expect(paths).not.toContain('/apis/cert-manager.io/v1/certificates');
    // Each kind's first page exactly once; later pages carry continue.
    const firstPages = fake.requests.filter(
      r => !r.url.searchParams.has('continue'),
    );
    const firstPaths = firstPages.map(r => r.url.pathname).sort();
    expect(new Set(firstPaths).size).toBe(firstPaths.length);
    expect(firstPaths).toContain('/api/v1/pods');
    expect(firstPaths).toContain('/apis/apps/v1/deployments');
    expect(firstPaths).toContain('/apis/velero.io/v1/schedules');
    expect(firstPaths).toHaveLength(KNOWN_KINDS.length - 6);
    for (const r of fake.requests) {
      expect(r.url.searchParams.get('limit')).toBe('500');
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    }
    // Paging really happened (pages of 2) and followed the tokens.
    const podPages = fake.requests.filter(
      r => r.url.pathname === '/api/v1/pods',
    );
    const podCount = OBJECTS.filter(o => o.kind === 'Pod').length;
    expect(podPages).toHaveLength(Math.ceil(podCount / 2));
    expect(
      podPages.slice(1).every(r => r.url.searchParams.get('continue')),
    ).toBe(true);
    // CRDs were asked for metadata only.
    const crdRequest = fake.requests.find(
      r =>
        r.url.pathname ===
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    )!;
    expect(crdRequest.accept).toContain('as=PartialObjectMetadataList');
    expect(
      snapshot.objects.filter(o => o.kind === 'CustomResourceDefinition'),
    ).toEqual([
      expect.objectContaining({
        apiVersion: 'apiextensions.k8s.io/v1',
        metadata: expect.objectContaining({ name: 'schedules.velero.io' }),
      }),
    ]);
    expectNoSecrets(lines, [TOKEN]);
  });

  it("lists the custom resources of the plugin's rules and keeps their objects", async () => {
    const kinds = kindsToRead([...RULE_CATALOG, ...exampleRules]);
    const helmRelease = kinds.find(k => k.kind === 'HelmRelease')!;
    const objects = [...OBJECTS, ...objectsOf(helmReleases)];
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects,
      crds: ['schedules.velero.io', 'helmreleases.helm.toolkit.fluxcd.io'],
      customKinds: [helmRelease],
      token: TOKEN,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const source = only(sources, 'aks-shop');

    const snapshot = await source.read({
      signal: new AbortController().signal,
      logger,
      kinds,
    });
    expect(
      fake.requests.filter(
        r => r.url.pathname === '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
      ),
    ).toHaveLength(1);
    expect(
      snapshot.objects
        .filter(o => o.kind === 'HelmRelease')
        .map(o => `${o.metadata.namespace}/${o.metadata.name}`),
    ).toEqual(['payments/payments-redis', 'storefront/storefront-cache']);
    expect(snapshot.customKinds).toEqual([helmRelease]);

    // With the catalog's kinds alone, as before: never asked for.
    fake.requests.length = 0;
    const builtIn = await source.read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(
      fake.requests.some(r =>
        r.url.pathname.includes('helm.toolkit.fluxcd.io'),
      ),
    ).toBe(false);
    expect(builtIn.objects.some(o => o.kind === 'HelmRelease')).toBe(false);
  });

  it('records a custom resource whose CRD is not installed as absent, and does not list it', async () => {
    const kinds = kindsToRead([...RULE_CATALOG, ...exampleRules]);
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      crds: ['schedules.velero.io'],
      token: TOKEN,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds,
    });
    expect(snapshot.coverage.absentKinds).toContain('HelmRelease');
    expect(
      fake.requests.some(r =>
        r.url.pathname.includes('helm.toolkit.fluxcd.io'),
      ),
    ).toBe(false);
  });

  it('records a 403 on one list as unreadable and goes on', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      crds: ['schedules.velero.io'],
      token: TOKEN,
      override: (_req, url) =>
        url.pathname === '/apis/networking.k8s.io/v1/networkpolicies'
          ? statusResponse(
              403,
              'Forbidden',
              'networkpolicies.networking.k8s.io is forbidden: User "system:serviceaccount:backstage:aks-baseline" cannot list resource "networkpolicies" in API group "networking.k8s.io" at the cluster scope',
            )
          : undefined,
    });
    server.use(...fake.handlers);
    const { sources, logger, lines } = sourcesFor(config());
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(Object.keys(snapshot.coverage.unreadable)).toEqual([
      'NetworkPolicy',
    ]);
    expect(snapshot.coverage.unreadable.NetworkPolicy).toMatch(
      /^forbidden \(403\)/,
    );
    expect(snapshot.objects.some(o => o.kind === 'NetworkPolicy')).toBe(false);
    expect(snapshot.objects.some(o => o.kind === 'Deployment')).toBe(true);
    expect(lines.some(l => /warn .*NetworkPolicy unreadable/.test(l))).toBe(
      true,
    );
  });

  it('probes CRD kinds directly when CustomResourceDefinitions are forbidden', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      crds: ['schedules.velero.io'],
      token: TOKEN,
      override: (_req, url) =>
        url.pathname.endsWith('/customresourcedefinitions')
          ? statusResponse(
              403,
              'Forbidden',
              'customresourcedefinitions is forbidden',
            )
          : undefined,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(Object.keys(snapshot.coverage.unreadable)).toEqual([
      'CustomResourceDefinition',
    ]);
    // Installed: listed. Not served (404): absent, not unreadable.
    expect(snapshot.objects.some(o => o.kind === 'Schedule')).toBe(true);
    expect(snapshot.coverage.absentKinds).toContain('Certificate');
    expect(snapshot.coverage.absentKinds).not.toContain('Schedule');
    expect(fake.requests.map(r => r.url.pathname)).toContain(
      '/apis/cert-manager.io/v1/certificates',
    );
    // Absent because discovery says cert-manager.io/v1 is not served.
    expect(fake.requests.map(r => r.url.pathname)).toContain(
      '/apis/cert-manager.io/v1',
    );
  });

  it('keeps a CRD kind unreadable when its list is 404 but discovery serves it', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      crds: ['schedules.velero.io'],
      token: TOKEN,
      override: (_req, url) => {
        if (url.pathname.endsWith('/customresourcedefinitions')) {
          return statusResponse(403, 'Forbidden', 'forbidden');
        }
        if (url.pathname === '/apis/velero.io/v1/schedules') {
          return statusResponse(
            404,
            'NotFound',
            'the server could not find the requested resource',
          );
        }
        return undefined;
      },
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(snapshot.coverage.absentKinds).not.toContain('Schedule');
    expect(snapshot.coverage.unreadable.Schedule).toBe(
      '404 Not Found listing schedules.velero.io, yet discovery serves schedules in velero.io/v1',
    );
    expect(fake.requests.map(r => r.url.pathname)).toContain(
      '/apis/velero.io/v1',
    );
  });

  it('records a built-in kind the server does not serve (404) as unreadable', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: (_req, url) =>
        url.pathname === '/apis/autoscaling/v2/horizontalpodautoscalers'
          ? statusResponse(
              404,
              'NotFound',
              'the server could not find the requested resource',
            )
          : undefined,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(snapshot.coverage.unreadable.HorizontalPodAutoscaler).toMatch(
      /404 Not Found/,
    );
    expect(snapshot.coverage.absentKinds).not.toContain(
      'HorizontalPodAutoscaler',
    );
  });

  it.each([
    ['/apis/apps/v1/deployments', 'deployments.apps'],
    ['/api/v1/pods', 'pods'],
    ['/api/v1/namespaces', 'namespaces'],
  ])(
    'fails the cluster when a core kind is forbidden (%s): nothing to judge without it',
    async (forbiddenPath, resource) => {
      const fake = fakeKubernetesApi({
        baseUrl: URL_BASE,
        objects: OBJECTS,
        token: TOKEN,
        override: (_req, url) =>
          url.pathname === forbiddenPath
            ? statusResponse(
                403,
                'Forbidden',
                `${resource} is forbidden: User "system:serviceaccount:backstage:aks-baseline" cannot list resource`,
              )
            : undefined,
      });
      server.use(...fake.handlers);
      const { sources, logger } = sourcesFor(config());
      const error = await readError(only(sources, 'aks-shop'), logger);
      expect(error.code).toBe('forbidden');
      expect(error.status).toBe(403);
      expect(error.reason).toMatch(
        new RegExp(
          `^Kubernetes API returned 403 Forbidden listing ${resource.replace(
            '.',
            '\\.',
          )}: .*grant get and list`,
        ),
      );
    },
  );

  it('fails the cluster when every list answers 404 (a wrong URL path)', async () => {
    // The fake serves the API at the root: a path prefix meets 404 everywhere.
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(
      config({ url: `${URL_BASE}/k8s/clusters/c-m-4x2tq` }),
    );
    const error = await readError(only(sources, 'aks-shop'), logger);
    expect(error.code).toBe('not-found');
    expect(error.status).toBe(404);
    expect(error.reason).toMatch(
      /^Kubernetes API returned 404 Not Found listing (namespaces|pods|deployments\.apps|statefulsets\.apps|daemonsets\.apps|replicasets\.apps|jobs\.batch|cronjobs\.batch): .*check kubernetes\.url/,
    );
    expect(
      fake.requests.every(r =>
        r.url.pathname.startsWith('/k8s/clusters/c-m-4x2tq/'),
      ),
    ).toBe(true);
  });

  it('fails the cluster when a core kind keeps answering 410', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      maxPageSize: 2,
      override: (_req, url) =>
        url.pathname === '/api/v1/pods' && url.searchParams.get('continue')
          ? statusResponse(410, 'Expired', 'continue parameter is too old')
          : undefined,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-shop'), logger);
    expect(error.status).toBe(410);
    expect(error.reason).toMatch(/410 Gone listing pods/);
  });

  it('fails the cluster when every list is forbidden', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: () => statusResponse(403, 'Forbidden', 'forbidden'),
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-shop'), logger);
    expect(error.code).toBe('forbidden');
    expect(error.status).toBe(403);
    expect(error.cluster).toBe('aks-shop');
  });

  it('fails the cluster on 401 without leaking the token', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: 'another-token',
    });
    server.use(...fake.handlers);
    const { sources, logger, lines } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-shop'), logger);
    expect(error.code).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.reason).toMatch(/Kubernetes API returned 401 Unauthorized/);
    expectNoSecrets([exposedText(error), ...lines], [TOKEN]);
    // Stopped at the first list: no storm of 401s.
    expect(fake.requests.length).toBeLessThanOrEqual(1 + 4);
  });

  it.each([500, 503])('fails the cluster on %s', async status => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: (_req, url) =>
        url.pathname === '/api/v1/pods'
          ? statusResponse(
              status,
              'InternalError',
              'etcdserver: request timed out',
            )
          : undefined,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-shop'), logger);
    expect(error.code).toBe('server-error');
    expect(error.status).toBe(status);
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    let throttled = 0;
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: (_req, url) => {
        if (url.pathname === '/apis/apps/v1/deployments' && throttled < 1) {
          throttled++;
          return statusResponse(429, 'TooManyRequests', 'Too many requests', {
            'Retry-After': '1',
          });
        }
        return undefined;
      },
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const started = Date.now();
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(snapshot.objects.some(o => o.kind === 'Deployment')).toBe(true);
    expect(
      fake.requests.filter(r => r.url.pathname === '/apis/apps/v1/deployments'),
    ).toHaveLength(2);
  });

  it('fails with retryAfterSeconds when 429 persists', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: () =>
        statusResponse(429, 'TooManyRequests', 'Too many requests', {
          'Retry-After': '120',
        }),
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const started = Date.now();
    const error = await readError(only(sources, 'aks-shop'), logger);
    // 120 s is longer than a run may wait: no sleeping, fail at once.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.code).toBe('throttled');
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(120);
  });

  it('gives up after bounded retries on a short Retry-After', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: (_req, url) =>
        url.pathname.endsWith('/customresourcedefinitions')
          ? statusResponse(429, 'TooManyRequests', 'slow down', {
              'Retry-After': '0',
            })
          : undefined,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-shop'), logger);
    expect(error.code).toBe('throttled');
    expect(error.retryAfterSeconds).toBe(0);
    // First attempt plus maxRetries (2 in tests).
    expect(fake.requests).toHaveLength(3);
  });

  it('times out when the server hangs beyond the signal', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      override: async (_req, url) => {
        if (url.pathname === '/api/v1/nodes') {
          await delay(10_000);
        }
        return undefined;
      },
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const started = Date.now();
    const error = await readError(
      only(sources, 'aks-shop'),
      logger,
      AbortSignal.timeout(300),
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.code).toBe('timeout');
    expect(error.reason).toMatch(/timed out/);
  });

  it('reports a DNS/network failure', async () => {
    server.use(http.get(`${URL_BASE}/*`, () => HttpResponse.error()));
    const { sources, logger, lines } = sourcesFor(config());
    const error = await readError(only(sources, 'aks-shop'), logger);
    expect(error.code).toBe('network');
    expect(error.status).toBeUndefined();
    expectNoSecrets([exposedText(error), ...lines], [TOKEN]);
  });

  it('lists a kind again from the start when its continue token expired (410)', async () => {
    let expired = false;
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
      maxPageSize: 3,
      override: (_req, url) => {
        if (
          url.pathname === '/api/v1/pods' &&
          url.searchParams.get('continue') &&
          !expired
        ) {
          expired = true;
          return statusResponse(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result.',
          );
        }
        return undefined;
      },
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(config());
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(snapshot.objects.filter(o => o.kind === 'Pod')).toHaveLength(
      OBJECTS.filter(o => o.kind === 'Pod').length,
    );
  });

  it('reads the token from a file each read (serviceAccountTokenFile)', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-baseline-'));
    const file = path.join(dir, 'token');
    await fs.writeFile(file, TOKEN);
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor({
      aksBaseline: {
        clusters: [
          {
            name: 'aks-shop',
            kubernetes: {
              url: URL_BASE,
              caData: CA,
              serviceAccountTokenFile: file,
            },
          },
        ],
      },
    });
    const snapshot = await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(snapshot.objects.length).toBe(WITHOUT_CRDS.length);
    await fs.rm(dir, { recursive: true });
  });

  it('trims the newline that `kubectl create token > file` leaves in a token file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-baseline-'));
    const file = path.join(dir, 'token');
    await fs.writeFile(file, `${TOKEN}\n`);
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
    });
    server.use(...fake.handlers);
    const { sources, logger, lines } = sourcesFor({
      aksBaseline: {
        clusters: [
          {
            name: 'aks-shop',
            kubernetes: {
              url: URL_BASE,
              caData: CA,
              serviceAccountTokenFile: file,
            },
          },
        ],
      },
    });
    try {
      const snapshot = await only(sources, 'aks-shop').read({
        signal: new AbortController().signal,
        logger,
        kinds: CATALOG_KINDS,
      });
      expect(snapshot.objects.length).toBe(WITHOUT_CRDS.length);
      expect(fake.requests.length).toBeGreaterThan(0);
      for (const r of fake.requests) {
        expect(r.authorization).toBe(`Bearer ${TOKEN}`);
      }
      expectNoSecrets(lines, [TOKEN]);

      // A rotated (projected) token is read again at the next read.
      const rotated = fakeJwt('kubernetes-service-account-rotated');
      await fs.writeFile(file, `${rotated}\n`);
      const next = fakeKubernetesApi({
        baseUrl: URL_BASE,
        objects: OBJECTS,
        token: rotated,
      });
      server.use(...next.handlers);
      await only(sources, 'aks-shop').read({
        signal: new AbortController().signal,
        logger,
        kinds: CATALOG_KINDS,
      });
      expect(next.requests.length).toBeGreaterThan(0);
      expect(
        next.requests.every(r => r.authorization === `Bearer ${rotated}`),
      ).toBe(true);
      expectNoSecrets(lines, [TOKEN, rotated]);
    } finally {
      await fs.rm(dir, { recursive: true });
    }
  });

  it.each([
    ['a space', `${TOKEN.slice(0, 20)} ${TOKEN.slice(20)}`],
    ['a newline', `${TOKEN.slice(0, 20)}\n${TOKEN.slice(20)}`],
    ['a control character', `${TOKEN.slice(0, 20)}\u0007${TOKEN.slice(20)}`],
  ])(
    'refuses a token file with %s inside the token, without printing it',
    async (_what, content) => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-baseline-'));
      const file = path.join(dir, 'token');
      await fs.writeFile(file, content);
      const fake = fakeKubernetesApi({
        baseUrl: URL_BASE,
        objects: OBJECTS,
        token: TOKEN,
      });
      server.use(...fake.handlers);
      const { sources, logger, lines } = sourcesFor({
        aksBaseline: {
          clusters: [
            {
              name: 'aks-shop',
              kubernetes: {
                url: URL_BASE,
                caData: CA,
                serviceAccountTokenFile: file,
              },
            },
          ],
        },
      });
      try {
        const error = await readError(only(sources, 'aks-shop'), logger);
        expect(error.code).toBe('configuration');
        expect(error.reason).toContain(file);
        expect(error.reason).toMatch(/whitespace or control characters/);
        // Nothing was sent with a broken token.
        expect(fake.requests).toEqual([]);
        expectNoSecrets(
          [exposedText(error), ...lines],
          [TOKEN.slice(0, 20), TOKEN.slice(20)],
        );
      } finally {
        await fs.rm(dir, { recursive: true });
      }
    },
  );

  it('trims a configured token and refuses an empty token file', async () => {
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: TOKEN,
    });
    server.use(...fake.handlers);
    const { sources, logger } = sourcesFor(
      config({ serviceAccountToken: `  ${TOKEN}\n` }),
    );
    await only(sources, 'aks-shop').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(fake.requests[0].authorization).toBe(`Bearer ${TOKEN}`);

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-baseline-'));
    const file = path.join(dir, 'token');
    await fs.writeFile(file, '\n');
    try {
      const empty = sourcesFor({
        aksBaseline: {
          clusters: [
            {
              name: 'aks-empty',
              kubernetes: {
                url: URL_BASE,
                caData: CA,
                serviceAccountTokenFile: file,
              },
            },
          ],
        },
      });
      const error = await readError(
        only(empty.sources, 'aks-empty'),
        empty.logger,
      );
      expect(error.code).toBe('configuration');
      expect(error.reason).toBe(`the token file ${file} is empty`);
    } finally {
      await fs.rm(dir, { recursive: true });
    }
  });

  it('runs in-cluster with the pod service account', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-baseline-'));
    await fs.writeFile(path.join(dir, 'token'), TOKEN);
    await fs.writeFile(
      path.join(dir, 'ca.crt'),
      Buffer.from(CA, 'base64').toString(),
    );
    const previous = {
      host: process.env.KUBERNETES_SERVICE_HOST,
      port: process.env.KUBERNETES_SERVICE_PORT,
    };
    process.env.KUBERNETES_SERVICE_HOST = '10.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    try {
      const fake = fakeKubernetesApi({
        baseUrl: 'https://10.0.0.1',
        objects: OBJECTS,
        token: TOKEN,
      });
      server.use(...fake.handlers);
      const { sources, logger } = sourcesFor({
        aksBaseline: {
          clusters: [
            {
              name: 'self',
              kubernetes: {
                authProvider: 'inCluster',
                serviceAccountTokenFile: path.join(dir, 'token'),
                caFile: path.join(dir, 'ca.crt'),
              },
            },
          ],
        },
      });
      const snapshot = await only(sources, 'self').read({
        signal: new AbortController().signal,
        logger,
        kinds: CATALOG_KINDS,
      });
      expect(snapshot.objects.length).toBe(WITHOUT_CRDS.length);
      expect(fake.requests[0].url.host).toBe('10.0.0.1');
    } finally {
      process.env.KUBERNETES_SERVICE_HOST = previous.host;
      process.env.KUBERNETES_SERVICE_PORT = previous.port;
      if (previous.host === undefined)
        delete process.env.KUBERNETES_SERVICE_HOST;
      if (previous.port === undefined)
        delete process.env.KUBERNETES_SERVICE_PORT;
      await fs.rm(dir, { recursive: true });
    }
  });

  it('uses a Microsoft Entra token for the AKS server application (authProvider azure)', async () => {
    const aksToken = fakeJwt('aks-server-app');
    const entra = fakeEntra({
      tenantId: '72f988bf-0000-4000-8000-2d7cd011db47',
      armToken: fakeJwt('arm'),
      aksToken,
    });
    const fake = fakeKubernetesApi({
      baseUrl: URL_BASE,
      objects: OBJECTS,
      token: aksToken,
    });
    server.use(...entra.handlers, ...fake.handlers);
    const env = { ...process.env };
    process.env.AZURE_TENANT_ID = '72f988bf-0000-4000-8000-2d7cd011db47';
    process.env.AZURE_CLIENT_ID = '3f1c9d2e-5b7a-4c11-9e0d-6a8b2f4c7d90';
    process.env.AZURE_CLIENT_SECRET = 'entra-client-secret-value-do-not-log';
    try {
      const { sources, logger, lines } = sourcesFor({
        aksBaseline: {
          clusters: [
            {
              name: 'aks-shop',
              kubernetes: { url: URL_BASE, caData: CA, authProvider: 'azure' },
            },
          ],
        },
      });
      const snapshot = await only(sources, 'aks-shop').read({
        signal: new AbortController().signal,
        logger,
        kinds: CATALOG_KINDS,
      });
      expect(snapshot.objects.length).toBe(WITHOUT_CRDS.length);
      expect(entra.tokenRequests.map(r => r.scope)).toContain(
        '6dae42f8-4368-4678-94ff-3960e28e3630/.default',
      );
      expectNoSecrets(lines, [
        aksToken,
        'entra-client-secret-value-do-not-log',
      ]);
    } finally {
      process.env = env;
    }
  });
});
