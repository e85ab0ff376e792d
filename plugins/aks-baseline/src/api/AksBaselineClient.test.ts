import { http, HttpResponse } from 'msw';
import { MockFetchApi, mockApis } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { AksBaselineClient } from './AksBaselineClient';
import {
  API,
  BASE_URL,
  errorBody,
  setupMswServer,
} from '../__testUtils__/render';
import {
  checkoutHistory,
  checkoutScore,
  rulesResponse,
} from '../__fixtures__/responses';

const server = setupMswServer();

function client() {
  return new AksBaselineClient({
    discoveryApi: mockApis.discovery({ baseUrl: BASE_URL }),
    fetchApi: new MockFetchApi(),
  });
}

const ref = { kind: 'Component', namespace: 'Default', name: 'checkout-api' };

describe('AksBaselineClient', () => {
  it('reads an entity score from the lower-cased entity path', async () => {
    server.use(
      http.get(`${API}/entities/default/component/checkout-api/score`, () =>
        HttpResponse.json(checkoutScore),
      ),
    );
    await expect(client().getEntityScore(ref)).resolves.toEqual({
      evaluated: true,
      score: checkoutScore,
    });
  });

  it('encodes names that need it', async () => {
    let seen = '';
    server.use(
      http.get(`${API}/entities/:ns/:kind/:name/score`, ({ request }) => {
        seen = new URL(request.url).pathname;
        return HttpResponse.json(checkoutScore);
      }),
    );
    await client().getEntityScore({
      kind: 'component',
      namespace: 'default',
      name: 'a b/c',
    });
    expect(seen).toBe(
      '/api/aks-baseline/entities/default/component/a%20b%2Fc/score',
    );
  });

  it.each(['not-evaluated', 'no-workloads'] as const)(
    'turns a 404 with reason %s into a result without score',
    async reason => {
      server.use(
        http.get(`${API}/entities/default/component/checkout-api/score`, () =>
          errorBody(404, 'NotFoundError', 'not there', { reason }),
        ),
      );
      await expect(client().getEntityScore(ref)).resolves.toEqual({
        evaluated: false,
        reason,
      });
    },
  );

  it('keeps the clusters and their errors of a never-evaluated 404', async () => {
    const clusters = [
      {
        name: 'aks-new-northeurope',
        lastError:
          'Kubernetes API returned 401 Unauthorized listing namespaces',
        lastAttemptAt: '2026-02-01T00:30:00.000Z',
      },
    ];
    server.use(
      http.get(`${API}/entities/default/component/checkout-api/score`, () =>
        errorBody(404, 'NotFoundError', 'never evaluated', {
          reason: 'never-evaluated',
          clusters,
        }),
      ),
    );
    await expect(client().getEntityScore(ref)).resolves.toEqual({
      evaluated: false,
      reason: 'never-evaluated',
      clusters,
    });
  });

  it('treats a 404 without a reason as not evaluated', async () => {
    server.use(
      http.get(
        `${API}/entities/default/component/checkout-api/score`,
        () => new HttpResponse('Not Found', { status: 404 }),
      ),
    );
    await expect(client().getEntityScore(ref)).resolves.toEqual({
      evaluated: false,
      reason: 'not-evaluated',
    });
  });

  it('throws ResponseError with the backend message on other failures', async () => {
    server.use(
      http.get(`${API}/entities/default/component/checkout-api/score`, () =>
        errorBody(500, 'Error', 'database is down'),
      ),
    );
    const error = await client()
      .getEntityScore(ref)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(500);
    expect(error.body.error.message).toBe('database is down');
    expect(error.cause.message).toBe('database is down');
  });

  it('passes the history limit and returns no points on 404', async () => {
    let limit: string | null = null;
    server.use(
      http.get(
        `${API}/entities/default/component/checkout-api/history`,
        ({ request }) => {
          limit = new URL(request.url).searchParams.get('limit');
          return HttpResponse.json(checkoutHistory);
        },
      ),
    );
    await expect(
      client().getEntityHistory(ref, { limit: 12 }),
    ).resolves.toEqual(checkoutHistory);
    expect(limit).toBe('12');

    server.use(
      http.get(`${API}/entities/default/component/checkout-api/history`, () =>
        errorBody(404, 'NotFoundError', 'none'),
      ),
    );
    await expect(client().getEntityHistory(ref)).resolves.toEqual({
      items: [],
    });
  });

  it('keeps the rule catalog between calls, and retries after a failure', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/rules`, () => {
        calls++;
        return calls === 1
          ? errorBody(503, 'ServiceUnavailableError', 'starting')
          : HttpResponse.json(rulesResponse);
      }),
    );
    const c = client();
    await expect(c.getRules()).rejects.toMatchObject({ statusCode: 503 });
    await expect(c.getRules()).resolves.toEqual(rulesResponse);
    await expect(c.getRules()).resolves.toEqual(rulesResponse);
    expect(calls).toBe(2);
  });

  it('asks for findings pages with the filters comma-separated and the cursor as given', async () => {
    const seen: string[] = [];
    const page = { items: [], nextCursor: 'c1.abc', total: 0 };
    server.use(
      http.get(`${API}/clusters/:name/findings`, ({ request, params }) => {
        seen.push(`${params.name}${new URL(request.url).search}`);
        return HttpResponse.json(page);
      }),
      http.get(
        `${API}/entities/:namespace/:kind/:name/findings`,
        ({ request, params }) => {
          seen.push(
            `${params.namespace}/${params.kind}/${params.name}${
              new URL(request.url).search
            }`,
          );
          return HttpResponse.json(page);
        },
      ),
    );
    await expect(
      client().getClusterFindings('aks-prod', {
        severity: ['critical', 'high'],
        status: ['fail'],
        namespace: ['', 'shop'],
        q: '  ',
        limit: 50,
        cursor: 'c1.x-y_z',
      }),
    ).resolves.toEqual(page);
    await client().getEntityFindings(
      { kind: 'Component', namespace: 'Default', name: 'checkout-api' },
      { cluster: ['aks-dev'], rule: ['image-pinned'], q: 'root' },
    );
    expect(seen.map(decodeURIComponent)).toEqual([
      'aks-prod?severity=critical,high&status=fail&namespace=-,shop&limit=50&cursor=c1.x-y_z',
      'default/component/checkout-api?rule=image-pinned&cluster=aks-dev&q=root',
    ]);
  });

  it('sends the owner filter to the overview only when set', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${API}/overview`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ clusters: [], owners: [] });
      }),
    );
    await client().getOverview();
    await client().getOverview({ owner: 'group:default/team-payments' });
    expect(seen).toEqual([
      '',
      `?owner=${encodeURIComponent('group:default/team-payments')}`,
    ]);
  });

  it('posts an evaluation request and surfaces a 403', async () => {
    let body: unknown;
    server.use(
      http.post(`${API}/evaluations`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          { accepted: true, clusters: ['aks-prod-westeurope'], runId: 'r1' },
          { status: 202 },
        );
      }),
    );
    await expect(
      client().runEvaluation({ cluster: 'aks-prod-westeurope' }),
    ).resolves.toMatchObject({ accepted: true, runId: 'r1' });
    expect(body).toEqual({ cluster: 'aks-prod-westeurope' });

    server.use(
      http.post(`${API}/evaluations`, () =>
        errorBody(403, 'NotAllowedError', 'You are not allowed'),
      ),
    );
    const error = await client()
      .runEvaluation()
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});
