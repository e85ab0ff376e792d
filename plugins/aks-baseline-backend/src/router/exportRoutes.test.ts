import fs from 'fs';
import path from 'path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Finding, RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import {
  AUDIT_CSV_COLUMNS,
  auditCsv,
  findingCheck,
} from '@aks-baseline/plugin-aks-baseline-node';
import { parseCsv } from '@aks-baseline/plugin-aks-baseline-node/testUtils';
import {
  DEV,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
const ENTITY = 'entities/default/component/checkout-api';

describe('GET .../export', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ctx: Awaited<ReturnType<typeof startAksBaselineTestBackend>>;
  let beforeFirstResult: number | undefined;
  const allow = jest.fn(
    async (requests: unknown[]): Promise<Array<{ result: AuthorizeResult }>> =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  );

  /** Every finding as the findings route pages them. */
  async function pagedFindings(route: string): Promise<Finding[]> {
    const out: Finding[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(ctx.server).get(
        `${API}/${route}/findings?limit=500${
          cursor ? `&cursor=${cursor}` : ''
        }`,
      );
      expect(res.status).toBe(200);
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    ctx = await startAksBaselineTestBackend({
      knex,
      permissions: mockServices.permissions.mock({
        authorize: allow as any,
        authorizeConditional: allow as any,
      }).factory,
    });
    beforeFirstResult = (
      await request(ctx.server).get(`${API}/clusters/${DEV}/export?format=csv`)
    ).status;
    // Safeguards that warn: findings they act on carry it into the export.
    fs.writeFileSync(
      path.join(ctx.clusterDir(DEV), 'deploymentsafeguards.json'),
      JSON.stringify({
        value: [
          {
            name: 'default',
            type: 'Microsoft.ContainerService/deploymentSafeguards',
            properties: {
              level: 'Warn',
              podSecurityStandardsLevel: 'Baseline',
            },
          },
        ],
      }),
    );
    await request(ctx.server).post(`${API}/evaluations`).send({});
    await waitForEvaluationOfAll(ctx);
  });

  it('is 404 before a first result: nothing to export', () => {
    expect(beforeFirstResult).toBe(404);
  });

  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('writes a cluster as CSV: every finding as the findings route has it, then the passed checks', async () => {
    const res = await request(ctx.server).get(
      `${API}/clusters/${DEV}/export?format=csv`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="aks-baseline-${DEV}.csv"`,
    );
    const findings = await pagedFindings(`clusters/${DEV}`);
    expect(findings.length).toBeGreaterThan(10);
    const rules: RuleInfo[] = (await request(ctx.server).get(`${API}/rules`))
      .body.items;
    const byId = new Map(rules.map(r => [r.id, r]));
    const cluster = (await request(ctx.server).get(`${API}/clusters/${DEV}`))
      .body;
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual([...AUDIT_CSV_COLUMNS]);
    const col = (name: string) => header.indexOf(name);
    const findingRows = rows.filter(r => r[col('status')] !== 'pass');
    const passRows = rows.filter(r => r[col('status')] === 'pass');
    // The same rows the CLI's formatter writes for these findings.
    const expected = parseCsv(
      [
        ...auditCsv({
          subject: '',
          cluster: DEV,
          evaluatedAt: cluster.evaluatedAt,
          score: null,
          grade: null,
          checks: findings.map(f => findingCheck(f, byId.get(f.ruleId))),
        }),
      ].join(''),
    ).slice(1);
    expect(findingRows).toEqual(expected);
    expect(findingRows.some(r => r[col('cis_aks')])).toBe(true);
    // The cluster's Safeguards (Warn) mark some findings.
    expect(
      findingRows.some(r =>
        r[col('admission')].startsWith('warned at admission'),
      ),
    ).toBe(true);
    expect(passRows).toHaveLength(1);
    expect(Number(passRows[0][col('checks')])).toBe(cluster.totals.passed);
    expect(passRows[0][col('name')]).toBe(DEV);
  });

  it('writes a printable HTML report of a cluster and of an entity', async () => {
    const cluster = await request(ctx.server).get(
      `${API}/clusters/${DEV}/export?format=html`,
    );
    expect(cluster.status).toBe(200);
    expect(cluster.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(cluster.text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(cluster.text).toContain(
      `AKS Baseline audit report — Cluster ${DEV}`,
    );
    expect(cluster.text).not.toMatch(/<script|<link|\b(?:src|href)=/i);

    const entity = await request(ctx.server).get(
      `${API}/${ENTITY}/export?format=html`,
    );
    expect(entity.status).toBe(200);
    const findings = await pagedFindings(ENTITY);
    expect(findings.length).toBeGreaterThan(0);
    expect(
      (entity.text.match(/<tr class="status-(?!pass)[a-z-]+">/g) ?? []).length,
    ).toBe(findings.length);
  });

  it('writes an entity as CSV with its findings over its clusters', async () => {
    const res = await request(ctx.server).get(`${API}/${ENTITY}/export`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = parseCsv(res.text);
    const findings = await pagedFindings(ENTITY);
    expect(
      rows.filter(r => r[header.indexOf('status')] !== 'pass').length,
    ).toBe(findings.length);
  });

  it("writes a team's export: each finding of the entities it owns once, a pass row per entity", async () => {
    const res = await request(ctx.server).get(
      `${API}/groups/default/team-storefront/export`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(
      'aks-baseline-group-default-team-storefront.csv',
    );
    const [header, ...rows] = parseCsv(res.text);
    const status = header.indexOf('status');
    // catalog-search is its only entity with objects (ghost-service has none).
    const findings = await pagedFindings(
      'entities/default/component/catalog-search',
    );
    expect(findings.length).toBeGreaterThan(0);
    expect(rows.filter(r => r[status] !== 'pass').length).toBe(findings.length);
    const passRows = rows.filter(r => r[status] === 'pass');
    expect(passRows).toHaveLength(1);
    expect(passRows[0].join(',')).toContain('catalog-search');

    const none = await request(ctx.server).get(
      `${API}/groups/default/team-nobody/export`,
    );
    expect(none.status).toBe(404);
  });

  it('refuses a format or parameter it does not know, and is 401 without a token', async () => {
    const pdf = await request(ctx.server).get(
      `${API}/clusters/${DEV}/export?format=pdf`,
    );
    expect(pdf.status).toBe(400);
    const extra = await request(ctx.server).get(
      `${API}/clusters/${DEV}/export?format=csv&status=fail`,
    );
    expect(extra.status).toBe(400);
    const anonymous = await request(ctx.server)
      .get(`${API}/clusters/${DEV}/export`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('is 404 for what the caller may not read, as the findings routes', async () => {
    allow.mockImplementation(async requests =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
    );
    try {
      const as = mockCredentials.user.header('user:default/someone-else');
      for (const route of [
        `clusters/${DEV}`,
        ENTITY,
        'groups/default/team-storefront',
      ]) {
        const hidden = await request(ctx.server)
          .get(`${API}/${route}/export?format=csv`)
          .set('Authorization', as);
        expect([route, hidden.status]).toEqual([route, 404]);
        expect(hidden.text).not.toContain('evaluated_at');
      }
      const missing = await request(ctx.server).get(
        `${API}/clusters/aks-nowhere/export`,
      );
      expect(missing.status).toBe(404);
    } finally {
      allow.mockImplementation(async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      );
    }
  });
});
