/*
 * The actions through the actions service, as the MCP actions backend calls
 * them (HTTP to the plugin, with the caller's credentials), against the real
 * plugin over the snapshot fixtures: a user who may read the findings gets
 * what the REST API gives them; one who may not gets what the REST API
 * gives them (nothing), and an anonymous caller is refused.
 */
import request from 'supertest';
import {
  createBackendPlugin,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  actionsServiceRef,
  ActionsService,
} from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ResponseError } from '@backstage/errors';
import {
  AksBaselineTestBackend,
  DEV,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
const ALICE = 'user:default/alice';
const MALLORY = 'user:default/mallory';
const alice = mockCredentials.user(ALICE);
const mallory = mockCredentials.user(MALLORY);

/** What an action's failure said: its status and the error body's message. */
async function failureOf(invoked: Promise<unknown>) {
  try {
    await invoked;
  } catch (error) {
    if (error instanceof ResponseError) {
      return {
        status: error.response.status,
        message: error.body.error.message,
      };
    }
    throw error;
  }
  throw new Error('the action did not fail');
}

function userOf(credentials: BackstageCredentials): string | undefined {
  return (credentials.principal as { userEntityRef?: string }).userEntityRef;
}

describe('AKS Baseline actions', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: AksBaselineTestBackend;
  let actions: ActionsService;

  beforeAll(async () => {
    // Mallory may read nothing of the findings; everyone else everything.
    const decide = (credentials: BackstageCredentials) =>
      userOf(credentials) === MALLORY
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, { credentials }) =>
        requests.map(() => ({ result: decide(credentials) })) as any,
      authorizeConditional: async (requests, { credentials }) =>
        requests.map(() => ({ result: decide(credentials) })) as any,
    });
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(env) {
        env.registerInit({
          deps: { actionsService: actionsServiceRef },
          async init({ actionsService }) {
            actions = actionsService;
          },
        });
      },
    });
    backend = await startAksBaselineTestBackend({
      knex: await databases.init('SQLITE_3'),
      permissions: permissions.factory,
      rootConfig: { backend: { actions: { pluginSources: ['aks-baseline'] } } },
      features: [probe],
    });
    const started = await request(backend.server)
      .post(`${API}/evaluations`)
      .set('Authorization', mockCredentials.user.header(ALICE))
      .send({});
    if (started.status !== 202) {
      throw new Error(`the evaluation did not start: ${started.status}`);
    }
    await waitForEvaluationOfAll(backend);
  });

  afterAll(async () => {
    await backend?.cleanup();
  });

  const rest = (path: string, user: string) =>
    request(backend.server)
      .get(`${API}${path}`)
      .set('Authorization', mockCredentials.user.header(user));

  it('lists the actions, read-only and idempotent, with their schemas', async () => {
    const { actions: listed } = await actions.list({ credentials: alice });
    const ours = listed.filter(a => a.pluginId === 'aks-baseline');
    expect(ours.map(a => a.id).sort()).toEqual([
      'aks-baseline:explain-rule',
      'aks-baseline:get-entity-score',
      'aks-baseline:list-findings',
    ]);
    for (const action of ours) {
      expect(action.attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
      expect(action.schema.input.type).toBe('object');
      expect(action.schema.output.type).toBe('object');
    }
    const findings = ours.find(a => a.name === 'list-findings')!;
    expect(Object.keys(findings.schema.input.properties!)).toEqual(
      expect.arrayContaining(['entityRef', 'cluster', 'severity', 'rule']),
    );
  });

  it('answers get-entity-score as the score route does, and nothing to a user without access', async () => {
    const { output } = await actions.invoke({
      id: 'aks-baseline:get-entity-score',
      input: { entityRef: 'checkout-api', top: 3 },
      credentials: alice,
    });
    const routed = await rest(
      '/entities/default/component/checkout-api/score',
      ALICE,
    );
    expect(routed.status).toBe(200);
    const score = output as any;
    expect(score).toMatchObject({
      entityRef: 'component:default/checkout-api',
      score: routed.body.score,
      grade: routed.body.grade,
      failing: routed.body.counts.failing,
      totalFindings: routed.body.totalFindings,
    });
    expect(score.clusters.map((c: any) => c.cluster).sort()).toEqual(
      routed.body.clusters.map((c: any) => c.cluster).sort(),
    );
    expect(score.topFailingRules.length).toBeGreaterThan(0);
    expect(score.topFailingRules.length).toBeLessThanOrEqual(3);
    expect(score.topFailingRules[0]).toMatchObject({
      ruleId: routed.body.failingRules[0].ruleId,
      fix: expect.any(String),
    });

    expect(
      await failureOf(
        actions.invoke({
          id: 'aks-baseline:get-entity-score',
          input: { entityRef: 'component:default/checkout-api' },
          credentials: mallory,
        }),
      ),
    ).toEqual({
      status: 404,
      message: expect.stringMatching(/has not been evaluated/),
    });
    expect(
      (await rest('/entities/default/component/checkout-api/score', MALLORY))
        .status,
    ).toBe(404);
  });

  it('answers list-findings for an entity and a cluster with the filters, and nothing to a user without access', async () => {
    const entity = (await actions.invoke({
      id: 'aks-baseline:list-findings',
      input: { entityRef: 'component:default/checkout-api', limit: 5 },
      credentials: alice,
    })) as { output: any };
    const routed = await rest(
      '/entities/default/component/checkout-api/findings?status=fail&limit=5',
      ALICE,
    );
    expect(entity.output).toEqual(routed.body);
    expect(entity.output.items.length).toBeGreaterThan(0);

    const critical = (await actions.invoke({
      id: 'aks-baseline:list-findings',
      input: { cluster: DEV, severity: ['critical', 'high'], limit: 100 },
      credentials: alice,
    })) as { output: any };
    expect(critical.output.items.length).toBeGreaterThan(0);
    for (const f of critical.output.items) {
      expect(['critical', 'high']).toContain(f.severity);
      expect(f.status).toBe('fail');
    }
    const routedCluster = await rest(
      `/clusters/${DEV}/findings?status=fail&severity=critical,high&limit=100`,
      ALICE,
    );
    expect(critical.output.total).toBe(routedCluster.body.total);

    const ruleId = critical.output.items[0].ruleId;
    const byRule = (await actions.invoke({
      id: 'aks-baseline:list-findings',
      input: {
        cluster: DEV,
        rule: [ruleId],
        category: [critical.output.items[0].category],
      },
      credentials: alice,
    })) as { output: any };
    expect(byRule.output.items.every((f: any) => f.ruleId === ruleId)).toBe(
      true,
    );

    const hidden = await actions.invoke({
      id: 'aks-baseline:list-findings',
      input: { entityRef: 'component:default/checkout-api' },
      credentials: mallory,
    });
    expect(hidden.output).toEqual({ items: [], total: 0 });
    expect(
      await failureOf(
        actions.invoke({
          id: 'aks-baseline:list-findings',
          input: { cluster: DEV },
          credentials: mallory,
        }),
      ),
    ).toEqual({ status: 404, message: `No cluster named ${DEV}` });
    expect(
      await failureOf(
        actions.invoke({
          id: 'aks-baseline:list-findings',
          input: { entityRef: 'checkout-api', cluster: DEV },
          credentials: alice,
        }),
      ),
    ).toEqual({
      status: 400,
      message: 'Give exactly one of entityRef and cluster',
    });
  });

  it('explains a rule by id or baseline key', async () => {
    const { output } = (await actions.invoke({
      id: 'aks-baseline:explain-rule',
      input: { rule: 'ps-07' },
      credentials: alice,
    })) as { output: any };
    const rule = output.rules.find(
      (r: any) => r.id === 'container-not-privileged',
    );
    expect(rule).toMatchObject({
      baselineRef: 'PS-07',
      severity: 'critical',
      remediation: { summary: expect.any(String) },
    });
    expect(
      await failureOf(
        actions.invoke({
          id: 'aks-baseline:explain-rule',
          input: { rule: 'no-such-rule' },
          credentials: alice,
        }),
      ),
    ).toEqual({
      status: 404,
      message: 'No rule with the id or baseline key "no-such-rule"',
    });
  });

  it('refuses an anonymous caller', async () => {
    // The actions service issues no token for one; the plugin's endpoint refuses the call.
    const res = await request(backend.server)
      .post(
        `${API}/.backstage/actions/v1/actions/aks-baseline:get-entity-score/invoke`,
      )
      .set('Authorization', mockCredentials.none.header())
      .send({ entityRef: 'checkout-api' });
    expect([401, 403]).toContain(res.status);
    expect(JSON.stringify(res.body)).not.toContain('checkout-api');
  });
});
