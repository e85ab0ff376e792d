import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ClusterDetailResponse,
  FindingsPage,
  OverviewResponse,
  RulesResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  DEV,
  PROD,
  startAksBaselineTestBackend,
} from '../__testUtils__/testBackend';
import { allFindings } from '../__testUtils__/findings';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';

describe('aks-baseline router', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ctx: Awaited<ReturnType<typeof startAksBaselineTestBackend>>;
  const authorize = jest.fn(
    async (): Promise<Array<{ result: AuthorizeResult }>> => [
      { result: AuthorizeResult.ALLOW },
    ],
  );
  // findings.read and catalog.entity.read, asked together.
  const authorizeConditional = jest.fn(
    async (requests: unknown[]): Promise<Array<{ result: AuthorizeResult }>> =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  );

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    ctx = await startAksBaselineTestBackend({
      knex,
      permissions: mockServices.permissions.mock({
        authorize: authorize as any,
        authorizeConditional: authorizeConditional as any,
      }).factory,
      config: {
        baseline: {
          rules: { 'container-image-pinned': { severity: 'critical' } },
        },
      },
    });
    const res = await request(ctx.server).post(`${API}/evaluations`).send({});
    if (res.status !== 202) {
      throw new Error(`Evaluation not accepted: ${JSON.stringify(res.body)}`);
    }
  });

  afterAll(async () => {
    await ctx?.cleanup();
  });

  describe('authentication', () => {
    it('serves /health without a token', async () => {
      const res = await request(ctx.server)
        .get(`${API}/health`)
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it.each([
      ['get', '/rules'],
      ['get', '/clusters'],
      ['get', `/clusters/${PROD}`],
      ['get', '/entities/default/component/checkout-api/score'],
      ['get', '/entities/default/component/checkout-api/history'],
      ['get', '/entities/default/component/checkout-api/findings'],
      ['get', `/clusters/${PROD}/findings`],
      ['get', '/overview'],
      ['get', '/evaluations'],
      ['post', '/evaluations'],
    ] as const)(
      'rejects %s %s without a token (401)',
      async (method, route) => {
        const res = await request(ctx.server)
          [method](`${API}${route}`)
          .set('Authorization', mockCredentials.none.header());
        expect(res.status).toBe(401);
        expect(res.body.error.name).toBe('AuthenticationError');
      },
    );

    it('accepts service tokens', async () => {
      const res = await request(ctx.server)
        .get(`${API}/clusters`)
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
    });
  });

  describe('POST /evaluations', () => {
    it('is forbidden (403) when the policy denies the permission', async () => {
      authorize.mockResolvedValueOnce([{ result: AuthorizeResult.DENY }]);
      const res = await request(ctx.server)
        .post(`${API}/evaluations`)
        .send({ cluster: PROD });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(authorize).toHaveBeenLastCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'aks-baseline.evaluation.run',
            }),
          },
        ],
        { credentials: expect.anything() },
      );
    });

    it('answers 404 for a cluster that is not configured', async () => {
      const res = await request(ctx.server)
        .post(`${API}/evaluations`)
        .send({ cluster: 'https://evil.example.com' });
      expect(res.status).toBe(404);
      expect(res.body.error.name).toBe('NotFoundError');
    });

    it.each([[{ cluster: 42 }], [{ cluster: '' }], [[1, 2]]])(
      'rejects the body %p (400)',
      async body => {
        const res = await request(ctx.server)
          .post(`${API}/evaluations`)
          .send(body as any);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
      },
    );
  });

  describe('clusters', () => {
    it('serves the summary with the failing rules, and pages the findings', async () => {
      const detail: ClusterDetailResponse = (
        await request(ctx.server).get(`${API}/clusters/${DEV}`)
      ).body;
      expect((detail as any).findings).toBeUndefined();
      expect(detail.totalFindings).toBeGreaterThan(10);
      expect(detail.failingRules.length).toBeGreaterThan(0);
      expect(detail.failingRules[0].resources.length).toBeGreaterThan(0);
      expect(detail.failingRules.reduce((n, r) => n + r.failures, 0)).toBe(
        Object.values(detail.counts.failing).reduce((a, b) => a + b, 0),
      );
      const all = await allFindings(
        ctx.server,
        `${API}/clusters/${DEV}/findings?limit=7`,
      );
      expect(all).toHaveLength(detail.totalFindings);
      expect(all[0].status).toBe('fail');
      expect(detail.facets.status.fail).toBe(
        all.filter(f => f.status === 'fail').length,
      );
      // Configured severity overrides reach the findings.
      const pinned = all.find(f => f.ruleId === 'container-image-pinned');
      expect(pinned?.severity).toBe('critical');
    });

    it('filters findings by severity, category and status', async () => {
      const all = await allFindings(
        ctx.server,
        `${API}/clusters/${DEV}/findings`,
      );
      const filtered = await allFindings(
        ctx.server,
        `${API}/clusters/${DEV}/findings?severity=high,critical&status=fail&category=pod-security&category=images`,
      );
      const expected = all.filter(
        f =>
          ['high', 'critical'].includes(f.severity) &&
          f.status === 'fail' &&
          ['pod-security', 'images'].includes(f.category),
      );
      expect(filtered.length).toBeGreaterThan(0);
      expect(filtered.length).toBeLessThan(all.length);
      expect(filtered).toEqual(expected);
    });

    it('answers 404 for an unknown cluster and 400 for a bad filter', async () => {
      const missing = await request(ctx.server).get(`${API}/clusters/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toEqual(
        expect.objectContaining({ name: 'NotFoundError' }),
      );
      expect(missing.body.response).toEqual({ statusCode: 404 });
      const missingPage = await request(ctx.server).get(
        `${API}/clusters/nope/findings`,
      );
      expect(missingPage.status).toBe(404);

      const bad = await request(ctx.server).get(
        `${API}/clusters/${DEV}/findings?severity=urgent`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/Invalid severity "urgent"/);
      const old = await request(ctx.server).get(
        `${API}/clusters/${DEV}?severity=high`,
      );
      expect(old.status).toBe(400);
      expect(old.body.error.message).toMatch(
        /paged by \/clusters\/:name\/findings/,
      );
    });
  });

  describe('entities', () => {
    it('tells "not evaluated" from "no workloads matched"', async () => {
      const unknown = await request(ctx.server).get(
        `${API}/entities/default/component/docs-site/score`,
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.reason).toBe('not-evaluated');

      const ghost = await request(ctx.server).get(
        `${API}/entities/default/component/ghost-service/score`,
      );
      expect(ghost.status).toBe(404);
      expect(ghost.body.error).toEqual(
        expect.objectContaining({
          name: 'NotFoundError',
          reason: 'no-workloads',
          message: expect.stringMatching(/No Kubernetes objects matched/),
        }),
      );
    });

    it('sends the stored answer gzip-compressed to clients that accept it, plain to others', async () => {
      const url = `${API}/entities/default/component/checkout-api/score`;
      const gzipped = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'gzip, deflate, br');
      expect(gzipped.status).toBe(200);
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.headers['content-type']).toMatch(/^application\/json/);
      expect(gzipped.headers.vary).toMatch(/Accept-Encoding/i);
      expect(gzipped.body.entityRef).toBe('component:default/checkout-api');

      const plain = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'identity');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['content-type']).toMatch(/^application\/json/);
      expect(plain.body).toEqual(gzipped.body);

      const refused = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'gzip;q=0');
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(refused.body).toEqual(gzipped.body);
    });

    it('answers 304 to a request for the answer it already has (ETag per representation)', async () => {
      const url = `${API}/entities/default/component/checkout-api/score`;
      const gzipped = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'gzip');
      const etag = gzipped.headers.etag;
      expect(etag).toMatch(/^W\/".+"$/);

      const again = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'gzip')
        .set('If-None-Match', etag);
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers.vary).toMatch(/Accept-Encoding/i);
      expect(again.headers['content-encoding']).toBeUndefined();
      expect(again.text ?? '').toBe('');

      // The decompressed answer is another representation, another ETag.
      const plain = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'identity')
        .set('If-None-Match', etag);
      expect(plain.status).toBe(200);
      expect(plain.headers.etag).toMatch(/^W\/".+"$/);
      expect(plain.headers.etag).not.toBe(etag);
      expect(plain.body.entityRef).toBe('component:default/checkout-api');
      const plainAgain = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'identity')
        .set('If-None-Match', `"other", ${plain.headers.etag}`);
      expect(plainAgain.status).toBe(304);

      // A stale ETag gets the answer.
      const stale = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'gzip')
        .set('If-None-Match', 'W/"stale"');
      expect(stale.status).toBe(200);
      expect(stale.body.entityRef).toBe('component:default/checkout-api');
    });

    it('answers HEAD with the headers of GET and no body', async () => {
      const url = `${API}/entities/default/component/checkout-api/score`;
      const get = await request(ctx.server)
        .get(url)
        .set('Accept-Encoding', 'gzip');
      const head = await request(ctx.server)
        .head(url)
        .set('Accept-Encoding', 'gzip');
      expect(head.status).toBe(200);
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
      expect(head.headers['content-length']).toBe(
        get.headers['content-length'],
      );
      expect(head.text ?? '').toBe('');
      expect(head.headers['content-encoding']).toBe('gzip');
      expect(head.headers.etag).toBe(get.headers.etag);
    });

    it('is case-insensitive in the entity reference', async () => {
      const res = await request(ctx.server).get(
        `${API}/entities/Default/Component/Checkout-API/score`,
      );
      expect(res.status).toBe(200);
      expect(res.body.entityRef).toBe('component:default/checkout-api');
    });

    it('pages findings with a cursor: the total on the first page, each finding once', async () => {
      const url = `${API}/entities/default/component/catalog-search/findings`;
      const score = (
        await request(ctx.server).get(
          `${API}/entities/default/component/catalog-search/score`,
        )
      ).body;
      expect(score.findings).toBeUndefined();
      const pages: FindingsPage[] = [];
      const all = await allFindings(ctx.server, `${url}?limit=2`, { pages });
      expect(pages.length).toBeGreaterThan(2);
      expect(pages[0].total).toBe(score.totalFindings);
      expect(pages.slice(1).every(p => p.total === undefined)).toBe(true);
      expect(pages.every(p => p.items.length <= 2)).toBe(true);
      expect(all).toHaveLength(score.totalFindings);
      expect(
        new Set(
          all.map(
            f =>
              `${f.ruleId}/${f.resource.kind}/${f.resource.namespace}/${f.resource.name}/${f.message}`,
          ),
        ).size,
      ).toBe(all.length);
      const failing = all.filter(f => f.status === 'fail').length;
      expect(
        score.failingRules.reduce((n: number, r: any) => n + r.failures, 0),
      ).toBe(failing);

      const defaults = (await request(ctx.server).get(url)).body;
      expect(defaults.items).toHaveLength(Math.min(100, score.totalFindings));

      for (const query of ['limit=501', 'limit=0', 'limit=x', 'cursor=abc']) {
        const bad = await request(ctx.server).get(`${url}?${query}`);
        expect(bad.status).toBe(400);
        expect(bad.body.error.name).toBe('InputError');
      }
      const max = await request(ctx.server).get(`${url}?limit=500`);
      expect(max.status).toBe(200);

      const none = await request(ctx.server).get(
        `${API}/entities/default/component/unknown/findings`,
      );
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ items: [], total: 0 });
    });

    it('limits history and validates the limit', async () => {
      const res = await request(ctx.server).get(
        `${API}/entities/default/component/checkout-api/history?limit=1`,
      );
      expect(res.body.items).toHaveLength(1);
      const bad = await request(ctx.server).get(
        `${API}/entities/default/component/checkout-api/history?limit=0`,
      );
      expect(bad.status).toBe(400);
      const none = await request(ctx.server).get(
        `${API}/entities/default/component/unknown/history`,
      );
      expect(none.body).toEqual({ items: [] });
    });
  });

  describe('GET /rules', () => {
    it('lists the catalog with manual items and configured severities', async () => {
      const body: RulesResponse = (
        await request(ctx.server).get(`${API}/rules`)
      ).body;
      expect(body.items.length).toBeGreaterThan(60);
      expect(body.items.some(r => r.manual)).toBe(true);
      expect(body.items.find(r => r.id === 'container-image-pinned')).toEqual(
        expect.objectContaining({
          severity: 'critical',
          defaultSeverity: expect.any(String),
          enabled: true,
        }),
      );
      expect((body.items[0] as any).check).toBeUndefined();
      expect(
        body.items.find(r => r.id === 'container-not-privileged')?.frameworks,
      ).toEqual({
        cisAks: ['4.2.1'],
        podSecurityStandards: {
          level: 'baseline',
          controls: ['Privileged Containers'],
        },
        azurePolicy: [
          {
            displayName:
              'Kubernetes cluster should not allow privileged containers',
            id: '95edb821-ddaf-4404-9732-666045e056b4',
            deploymentSafeguards: true,
          },
        ],
      });
    });
  });

  describe('GET /overview', () => {
    it('ranks owners and lists the rules failed most', async () => {
      const body: OverviewResponse = (
        await request(ctx.server).get(`${API}/overview`)
      ).body;
      expect(body.clusters.map(c => c.name)).toEqual([DEV, PROD]);
      expect(body.owners.map(o => o.owner)).toEqual(
        expect.arrayContaining([
          'group:default/team-payments',
          'group:default/team-storefront',
          'group:default/platform-engineering',
        ]),
      );
      const scores = body.owners.map(o => o.score!);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(body.topFailingRules.length).toBeGreaterThan(0);
      expect(body.topFailingRules.length).toBeLessThanOrEqual(10);
      const counts = body.topFailingRules.map(r => r.failures);
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
      expect(body.topFailingRules[0]).toEqual(
        expect.objectContaining({
          title: expect.any(String),
          clusters: expect.any(Number),
        }),
      );
      // Worst first; the ghost (nothing matched) is not listed.
      expect(body.entities[0].entityRef).toBe(
        'component:default/catalog-search',
      );
      expect(body.entities.map(e => e.entityRef)).not.toContain(
        'component:default/ghost-service',
      );
      expect(body.entityTotal).toBe(body.entities.length);
    });

    it('filters by owner', async () => {
      const body: OverviewResponse = (
        await request(ctx.server).get(`${API}/overview?owner=team-storefront`)
      ).body;
      expect(body.owner).toBe('group:default/team-storefront');
      expect(body.owners.map(o => o.owner)).toEqual([
        'group:default/team-storefront',
      ]);
      expect(body.entities.map(e => e.entityRef)).toEqual([
        'component:default/catalog-search',
      ]);
      expect(body.topFailingRules[0].clusters).toBeUndefined();
      const bad = await request(ctx.server).get(
        `${API}/overview?owner=a&owner=b`,
      );
      expect(bad.status).toBe(400);
    });
  });
});
