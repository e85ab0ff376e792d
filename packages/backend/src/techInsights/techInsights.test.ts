/*
 * Tech Insights in the demo portal, end to end: the real catalog
 * (examples/org.yaml, examples/entities.yaml and one component that matches
 * no workload), the AKS Baseline backend evaluating the demo snapshots, the
 * Tech Insights backend with the JSON rules engine checker and the AKS
 * Baseline fact retriever, the real scheduler, and the demo's permission
 * policy, on SQLite and PostgreSQL. After an evaluation and one run of the
 * retriever, each entity's facts read through the Tech Insights REST API
 * are what the AKS Baseline backend answers for it, the demo's checks
 * (app-config.yaml) pass or fail as its score and critical findings say,
 * and none passes for the entity that has no score.
 */
import aksBaselinePlugin from '@aks-baseline/plugin-aks-baseline-backend';
import { catalogModuleAksBaselinePermissionRules } from '@aks-baseline/plugin-scaffolder-backend-module-aks-baseline';
import techInsightsModuleAksBaseline from '@aks-baseline/plugin-tech-insights-backend-module-aks-baseline';
import techInsightsPlugin from '@backstage-community/plugin-tech-insights-backend';
import techInsightsModuleJsonfc from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { loadConfig } from '@backstage/config-loader';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import permissionPolicyModule from '../modules/permissionPolicy';
import {
  authFactory,
  userInfoFactory,
} from '../modules/__testUtils__/testServices';
import { databasePerPlugin } from './__testUtils__/databasePerPlugin';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '../../../..');
const BACKEND = join(ROOT, 'packages/backend');
const RETRIEVER = 'aksBaselineFactRetriever';
const SCORE_CHECK = 'aksBaselineScoreAtLeast80';
const CRITICAL_CHECK = 'aksBaselineNoCriticalFindings';
/** Platform team: every entity's AKS Baseline results. */
const PLATFORM = 'user:default/daniel.choi';
/** team-payments: AKS Baseline results of its own entities only. */
const TEAM = 'user:default/jisoo.kim';
const MEMBER_OF = {
  [PLATFORM]: ['group:default/platform-engineering'],
  [TEAM]: ['group:default/team-payments'],
};

/** The demo's scored entities (examples/entities.yaml). */
const SCORED = [
  'component:default/checkout-api',
  'component:default/payments-worker',
  'component:default/storefront-web',
  'component:default/catalog-search',
  'resource:default/aks-prod-westeurope',
  'resource:default/aks-dev-koreacentral',
];
/** Annotated, but no workload on any cluster matches it. */
const UNMATCHED = 'component:default/ghost-service';

/** The demo's app-config.yaml: its clusters (absolute) and Tech Insights. */
async function demoConfig() {
  const { appConfigs } = await loadConfig({
    configRoot: ROOT,
    configTargets: [{ path: join(ROOT, 'app-config.yaml') }],
  });
  const appConfig = appConfigs[0].data as any;
  const clusters = (appConfig.aksBaseline.clusters as any[]).map(c => ({
    ...c,
    snapshot: { directory: resolve(BACKEND, c.snapshot.directory) },
  }));
  return { clusters, techInsights: appConfig.techInsights };
}

function pathOf(ref: string) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return `${namespace}/${kind}/${name}`;
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'Tech Insights with the AKS Baseline facts on %p',
  databaseId => {
    const dir = mkdtempSync(join(tmpdir(), 'aks-baseline-tech-insights-'));
    let baseUrl: string;
    let stop: (() => Promise<void>) | undefined;
    let demo: Awaited<ReturnType<typeof demoConfig>>;

    async function call(
      path: string,
      user: string,
      body?: unknown,
    ): Promise<{ status: number; body: any }> {
      const res = await fetch(`${baseUrl}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: {
          authorization: mockCredentials.user.header(user),
          'content-type': 'application/json',
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed };
    }

    async function until(what: string, ready: () => Promise<boolean>) {
      const deadline = Date.now() + 150_000;
      while (!(await ready())) {
        if (Date.now() > deadline) throw new Error(`${what} never happened`);
        await new Promise(r => setTimeout(r, 250));
      }
    }

    const latestFacts = (ref: string, user = PLATFORM) =>
      call(
        `/api/tech-insights/facts/latest?entity=${encodeURIComponent(
          ref,
        )}&ids[]=${RETRIEVER}`,
        user,
      );

    const runChecks = (ref: string, user = PLATFORM) =>
      call(`/api/tech-insights/checks/run/${pathOf(ref)}`, user, {
        checks: [SCORE_CHECK, CRITICAL_CHECK],
      });

    beforeAll(async () => {
      demo = await demoConfig();
      const ghostFile = join(dir, 'ghost.yaml');
      writeFileSync(
        ghostFile,
        JSON.stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'ghost-service',
            annotations: { 'backstage.io/kubernetes-id': 'ghost-service' },
          },
          spec: { type: 'service', lifecycle: 'production', owner: 'x' },
        }),
      );
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleAksBaselinePermissionRules,
          permissionPlugin,
          permissionPolicyModule,
          aksBaselinePlugin,
          techInsightsPlugin,
          techInsightsModuleJsonfc,
          techInsightsModuleAksBaseline,
          schedulerServiceFactory,
          databasePerPlugin(databases, databaseId),
          userInfoFactory(MEMBER_OF),
          authFactory,
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              catalog: {
                rules: [
                  {
                    allow: [
                      'User',
                      'Group',
                      'System',
                      'Component',
                      'Resource',
                      'Location',
                    ],
                  },
                ],
                locations: [
                  { type: 'file', target: join(ROOT, 'examples/org.yaml') },
                  {
                    type: 'file',
                    target: join(ROOT, 'examples/entities.yaml'),
                  },
                  { type: 'file', target: ghostFile },
                ],
              },
              aksBaseline: {
                includeKubernetesPluginClusters: false,
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 5 },
                  initialDelay: { hours: 1 },
                },
                clusters: demo.clusters,
              },
              techInsights: {
                ...demo.techInsights,
                // Run on demand below, after the evaluation: no first run
                // (a worker waits for its initial delay, triggered or not)
                // and no cron tick during the test.
                factRetrievers: {
                  [RETRIEVER]: {
                    cadence: '0 0 1 1 *',
                    lifecycle:
                      demo.techInsights.factRetrievers[RETRIEVER].lifecycle,
                  },
                },
              },
            },
          }),
        ],
      });
      stop = () => backend.stop();
      baseUrl = `http://localhost:${
        (backend.server.address() as AddressInfo).port
      }`;

      await until('catalog ingestion', async () => {
        const res = await call(
          '/api/catalog/entities/by-query?filter=kind=component,kind=resource&fields=metadata.name,relations',
          PLATFORM,
        );
        const owned = (res.body?.items ?? []).filter((e: any) =>
          (e.relations ?? []).some((r: any) => r.type === 'ownedBy'),
        );
        // ghost-service, and gift-cards (the demo's service without
        // Kubernetes annotations).
        return owned.length === SCORED.length + 2;
      });
      const started = await call('/api/aks-baseline/evaluations', PLATFORM, {});
      if (started.status !== 202) {
        throw new Error(`evaluation refused: ${started.status}`);
      }
      await until('evaluation', async () => {
        const res = await call('/api/aks-baseline/overview', PLATFORM);
        const clusters = res.body?.clusters ?? [];
        return (
          clusters.length === demo.clusters.length &&
          clusters.every((c: any) => c.status === 'ok')
        );
      });

      // What a platform engineer does to refresh the facts now. The
      // retriever's own first run (5 s after start, before the evaluation)
      // may still be going: the trigger then answers 409, so try again.
      await until('fact retriever triggered', async () => {
        const triggered = await call(
          `/api/tech-insights/.backstage/scheduler/v1/tasks/${RETRIEVER}/trigger`,
          PLATFORM,
          {},
        );
        if (triggered.status === 409) return false;
        if (triggered.status !== 200) {
          throw new Error(
            `trigger refused: ${triggered.status} ${JSON.stringify(
              triggered.body,
            )}`,
          );
        }
        return true;
      });
      // Facts of that run: those of the evaluation (the first run's are not).
      await until('facts of the evaluation published', async () => {
        for (const ref of SCORED) {
          const score = await call(
            `/api/aks-baseline/entities/${pathOf(ref)}/score`,
            PLATFORM,
          );
          const facts = (await latestFacts(ref)).body?.[RETRIEVER]?.facts;
          if (facts?.evaluatedAt !== score.body?.evaluatedAt) return false;
        }
        return true;
      });
    });

    afterAll(async () => {
      await stop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('publishes for each entity the score, grade and findings the AKS Baseline backend answers', async () => {
      for (const ref of SCORED) {
        const score = await call(
          `/api/aks-baseline/entities/${pathOf(ref)}/score`,
          PLATFORM,
        );
        expect(score.status).toBe(200);
        const { facts, entity, version } = (await latestFacts(ref)).body[
          RETRIEVER
        ];
        expect(entity).toEqual(
          expect.objectContaining({ name: ref.split('/')[1] }),
        );
        expect(version).toBe('0.1.0');
        const failing = score.body.counts.failing;
        expect({ ref, ...facts }).toEqual({
          ref,
          hasScore: true,
          score: score.body.score,
          grade: score.body.grade,
          criticalFindings: failing.critical,
          highFindings: failing.high,
          mediumFindings: failing.medium,
          lowFindings: failing.low,
          waivedFindings: score.body.counts.waived,
          unknownChecks: score.body.totals.unknown,
          stale: false,
          evaluatedAt: score.body.evaluatedAt,
        });
      }
    });

    it("runs the demo's checks: they pass or fail as the score and the critical findings say", async () => {
      const outcomes = new Set<boolean>();
      for (const ref of SCORED) {
        const { facts } = (await latestFacts(ref)).body[RETRIEVER];
        const run = await runChecks(ref);
        expect(run.status).toBe(200);
        const results = Object.fromEntries(
          run.body.map((r: any) => [r.check.id, r.result]),
        );
        expect({ ref, ...results }).toEqual({
          ref,
          [SCORE_CHECK]: facts.score >= 80,
          [CRITICAL_CHECK]: facts.criticalFindings === 0,
        });
        outcomes.add(results[SCORE_CHECK]).add(results[CRITICAL_CHECK]);
      }
      // The demo has entities on both sides of each check.
      expect([...outcomes].sort()).toEqual([false, true]);
    });

    it('publishes no score for an entity that matches no workload, and no check passes for it', async () => {
      expect((await latestFacts(UNMATCHED)).body[RETRIEVER].facts).toEqual({
        hasScore: false,
      });
      const run = await runChecks(UNMATCHED);
      expect(run.status).toBe(200);
      // The rules engine does not run a check whose facts are absent.
      expect(run.body.filter((r: any) => r.result === true)).toEqual([]);
    });

    it('gives facts and check runs to the platform team only, the list of checks to everyone', async () => {
      const own = 'component:default/checkout-api'; // team-payments'
      expect((await latestFacts(own, TEAM)).status).toBe(403);
      expect((await runChecks(own, TEAM)).status).toBe(403);
      const checks = await call('/api/tech-insights/checks', TEAM);
      expect(checks.status).toBe(200);
      expect(checks.body.map((c: any) => c.id).sort()).toEqual([
        CRITICAL_CHECK,
        SCORE_CHECK,
      ]);
    });
  },
);
