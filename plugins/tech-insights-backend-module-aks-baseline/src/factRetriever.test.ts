/*
 * The fact retriever against the catalog and the aks-baseline backend faked
 * at the HTTP level (msw): what it asks, with which credentials, and the
 * facts it publishes for a scored entity, an unscored one and one whose
 * answer failed.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DateTime } from 'luxon';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  FactRetrieverContext,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { createAksBaselineFactRetriever } from './factRetriever';
import { catalogFilters } from './catalogEntities';
import { aksBaselineFactSchema } from './schema';

const CATALOG = 'http://localhost:0/api/catalog';
const AKS = 'http://localhost:0/api/aks-baseline';

function tally(passed: number, failed: number, unknown: number) {
  return {
    passed,
    failed,
    passedWeight: passed * 5,
    failedWeight: failed * 5,
    unknown,
    waived: 1,
    notApplicable: 3,
  };
}

/** The score route's answer for storefront (as the backend stores it). */
const STOREFRONT: EntityScoreResponse = {
  entityRef: 'component:default/storefront',
  owner: 'group:default/team-shop',
  score: 86,
  grade: 'B',
  categories: [
    {
      category: 'pod-security',
      score: 86,
      ...tally(12, 2, 1),
    },
  ],
  totals: tally(12, 2, 1),
  counts: {
    failing: { critical: 0, high: 1, medium: 1, low: 0 },
    waived: 1,
    unknown: 1,
    manual: 0,
    notApplicable: 3,
  },
  resourceCount: 2,
  evaluatedAt: '2026-12-01T06:00:00.000Z',
  stale: true,
  staleReason: 'the last evaluation of aks-prod-weu failed',
  failingRules: [],
  manualRuleIds: [],
  facets: { severity: {}, category: {}, status: {}, rule: {} } as any,
  totalFindings: 4,
  clusters: [],
};

/** Evaluated, but every check unknown: nothing scorable. */
const UNREAD: EntityScoreResponse = {
  ...STOREFRONT,
  entityRef: 'component:default/ledger',
  score: null,
  grade: null,
  categories: [],
  totals: tally(0, 0, 9),
  counts: {
    failing: { critical: 0, high: 0, medium: 0, low: 0 },
    waived: 0,
    unknown: 9,
    manual: 0,
    notApplicable: 0,
  },
  stale: false,
};

function catalogItem(kind: string, name: string, namespace = 'default') {
  return { kind, metadata: { namespace, name } };
}

function notFound(reason: string) {
  return HttpResponse.json(
    {
      error: { name: 'NotFoundError', message: 'no score', reason },
      request: { method: 'GET', url: '/' },
      response: { statusCode: 404 },
    },
    { status: 404 },
  );
}

describe('AKS Baseline fact retriever', () => {
  const unhandled: string[] = [];
  // Lowest priority: any request no test handler answers is a failure.
  const server = setupServer(
    http.all('*', ({ request }) => {
      unhandled.push(`${request.method} ${request.url}`);
      return HttpResponse.json({}, { status: 599 });
    }),
  );
  const seen: Array<{ url: URL; authorization: string | null }> = [];
  beforeAll(() => server.listen());
  afterEach(() => {
    const left = unhandled.splice(0);
    if (left.length) throw new Error(`unexpected requests: ${left.join(', ')}`);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.length = 0;
    server.resetHandlers();
    unhandled.length = 0;
    server.events.removeAllListeners();
    server.events.on('request:start', ({ request }) => {
      seen.push({
        url: new URL(request.url),
        authorization: request.headers.get('authorization'),
      });
    });
  });

  function context(
    entityFilter?: FactRetrieverContext['entityFilter'],
  ): FactRetrieverContext & {
    logger: ReturnType<typeof mockServices.logger.mock>;
  } {
    return {
      config: new ConfigReader({}),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
      auth: mockServices.auth({ pluginId: 'tech-insights' }),
      urlReader: {} as any,
      entityFilter,
    };
  }

  function fakeBackends() {
    server.use(
      http.get(`${CATALOG}/entities/by-query`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        if (!cursor) {
          return HttpResponse.json({
            items: [
              catalogItem('Component', 'storefront'),
              catalogItem('Component', 'ledger'),
            ],
            pageInfo: { nextCursor: 'page-2' },
            totalItems: 4,
          });
        }
        return HttpResponse.json({
          items: [
            catalogItem('Component', 'newcomer', 'shop'),
            catalogItem('System', 'payments'),
          ],
          pageInfo: {},
          totalItems: 4,
        });
      }),
      http.get(`${AKS}/entities/default/Component/storefront/score`, () =>
        HttpResponse.json(STOREFRONT),
      ),
      http.get(`${AKS}/entities/default/Component/ledger/score`, () =>
        HttpResponse.json(UNREAD),
      ),
      http.get(`${AKS}/entities/shop/Component/newcomer/score`, () =>
        notFound('not-evaluated'),
      ),
      http.get(`${AKS}/entities/default/System/payments/score`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'database unavailable' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
  }

  function factsOf(facts: TechInsightFact[], name: string) {
    return facts.find(f => f.entity.name === name)?.facts;
  }

  it('publishes the backend’s score, grade, counts, stale flag and time, and no counts without a score', async () => {
    fakeBackends();
    const ctx = context();
    const facts = await createAksBaselineFactRetriever().handler(ctx);

    expect(factsOf(facts, 'storefront')).toEqual({
      hasScore: true,
      score: 86,
      grade: 'B',
      criticalFindings: 0,
      highFindings: 1,
      mediumFindings: 1,
      lowFindings: 0,
      waivedFindings: 1,
      unknownChecks: 1,
      stale: true,
      evaluatedAt: DateTime.fromISO('2026-12-01T06:00:00.000Z', {
        zone: 'utc',
      }),
    });
    expect(facts.find(f => f.entity.name === 'storefront')?.entity).toEqual({
      kind: 'Component',
      namespace: 'default',
      name: 'storefront',
    });
    // Nothing scorable: no score and no counts that a check could pass on.
    expect(factsOf(facts, 'ledger')).toEqual({
      hasScore: false,
      stale: false,
      unknownChecks: 9,
      evaluatedAt: expect.any(DateTime),
    });
    expect(factsOf(facts, 'newcomer')).toEqual({ hasScore: false });
    // A failed answer says nothing: no row, so the last facts stand.
    expect(factsOf(facts, 'payments')).toBeUndefined();
    expect(facts).toHaveLength(3);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('System:default/payments'),
    );
  });

  it('asks the catalog for annotated entities page by page and the backend with service tokens', async () => {
    fakeBackends();
    await createAksBaselineFactRetriever().handler(context());

    const catalog = seen.filter(s => s.url.pathname.endsWith('/by-query'));
    expect(catalog).toHaveLength(2);
    expect(catalog[0].url.searchParams.getAll('filter')).toEqual([
      'metadata.annotations.backstage.io/kubernetes-id',
      'metadata.annotations.backstage.io/kubernetes-label-selector',
      'metadata.annotations.aks-baseline.io/cluster',
    ]);
    expect(catalog[1].url.searchParams.get('cursor')).toBe('page-2');
    for (const s of catalog) {
      expect(s.authorization).toMatch(/^Bearer mock-service-token:/);
      expect(s.authorization).toContain('"target":"catalog"');
    }
    const scores = seen.filter(s => s.url.pathname.endsWith('/score'));
    expect(scores.map(s => s.url.pathname).sort()).toEqual([
      '/api/aks-baseline/entities/default/Component/ledger/score',
      '/api/aks-baseline/entities/default/Component/storefront/score',
      '/api/aks-baseline/entities/default/System/payments/score',
      '/api/aks-baseline/entities/shop/Component/newcomer/score',
    ]);
    for (const s of scores) {
      expect(s.authorization).toContain('"target":"aks-baseline"');
      expect(s.authorization).toContain('"sub":"plugin:tech-insights"');
    }
    // Reads only: never an evaluation.
    expect(seen.some(s => s.url.pathname.includes('/evaluations'))).toBe(false);
  });

  it('fails the run when the catalog cannot be read', async () => {
    server.use(
      http.get(`${CATALOG}/entities/by-query`, () =>
        HttpResponse.json({ error: { message: 'down' } }, { status: 500 }),
      ),
    );
    await expect(
      createAksBaselineFactRetriever().handler(context()),
    ).rejects.toThrow(/500/);
  });

  it('publishes only facts its schema declares, of the declared types', async () => {
    fakeBackends();
    const facts = await createAksBaselineFactRetriever().handler(context());
    const typeOf = (value: unknown) => {
      if (DateTime.isDateTime(value)) return value.isValid ? 'datetime' : '?';
      if (Number.isInteger(value)) return 'integer';
      return typeof value;
    };
    const published = facts.flatMap(f =>
      Object.entries(f.facts).map(([name, value]) => [name, typeOf(value)]),
    );
    expect(published.length).toBeGreaterThan(10);
    expect(published).toEqual(
      published.map(([name]) => [name, aksBaselineFactSchema[name]?.type]),
    );
  });
});

describe('catalogFilters', () => {
  it('asks for any annotation within each alternative of the entity filter', () => {
    expect(
      catalogFilters([
        { kind: 'component', 'spec.lifecycle': ['production', 'staging'] },
        { kind: 'system' },
      ]),
    ).toEqual([
      'metadata.annotations.backstage.io/kubernetes-id,kind=component,spec.lifecycle=production,spec.lifecycle=staging',
      'metadata.annotations.backstage.io/kubernetes-label-selector,kind=component,spec.lifecycle=production,spec.lifecycle=staging',
      'metadata.annotations.aks-baseline.io/cluster,kind=component,spec.lifecycle=production,spec.lifecycle=staging',
      'metadata.annotations.backstage.io/kubernetes-id,kind=system',
      'metadata.annotations.backstage.io/kubernetes-label-selector,kind=system',
      'metadata.annotations.aks-baseline.io/cluster,kind=system',
    ]);
    expect(
      catalogFilters({ 'spec.owner': Symbol.for('CATALOG_FILTER_EXISTS') }),
    ).toContain('metadata.annotations.aks-baseline.io/cluster,spec.owner');
  });
});
