/*
 * Notifications once per change, on SQLite and PostgreSQL: across cycles
 * (the same evaluation stored again), across replicas (two notifiers on one
 * database at once), and again only when a change comes back. The
 * notifications backend is faked at the HTTP level (msw): the real
 * DefaultNotificationService posts what it would post.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Knex } from 'knex';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { DefaultNotificationService } from '@backstage/plugin-notifications-node';
import {
  ClusterSummary,
  Finding,
} from '@aks-baseline/plugin-aks-baseline-common';
import { AksBaselineNotifier } from './AksBaselineNotifier';
import { EntityEvaluation } from './changes';
import { NotificationLog } from './NotificationLog';
import { NotificationSettings } from './settings';

jest.setTimeout(60_000);

const NOTIFICATIONS = 'http://localhost:0/api/notifications';
const CLUSTER = 'aks-prod-westeurope';
const ENTITY = 'component:default/checkout-api';

interface Sent {
  recipients: { type: string; entityRef: string };
  payload: {
    title: string;
    description?: string;
    link?: string;
    severity?: string;
    topic?: string;
    scope?: string;
  };
}

const SETTINGS: NotificationSettings = {
  scoreDropPoints: 10,
  scoreThreshold: 60,
  criticalFindings: true,
  waiverExpiryDays: 14,
  staleCluster: {
    afterMs: 6 * 60 * 60 * 1000,
    platformTeam: 'group:default/platform-team',
  },
  entityTab: 'aks-baseline',
};

function finding(
  ruleId: string,
  name: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    ruleId,
    baselineRef: ruleId === 'container-not-privileged' ? 'PS-07' : 'PS-03',
    category: 'pod-security',
    severity: 'critical',
    status: 'fail',
    cluster: CLUSTER,
    resource: {
      kind: 'Deployment',
      namespace: 'payments',
      name,
      apiVersion: 'apps/v1',
    },
    message: `Container api of ${name} runs privileged`,
    ...extra,
  };
}

function evaluation(
  score: number | null,
  findings: Finding[] = [],
): EntityEvaluation {
  return { entityRef: ENTITY, summary: { score }, findings };
}

async function migrate(knex: Knex) {
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@aks-baseline/plugin-aks-baseline-backend',
      'migrations',
    ),
    tableName: 'aks_baseline_knex_migrations',
  });
}

describe('AksBaselineNotifier', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const server = setupServer();
  const sent: Sent[] = [];
  let failSends = false;
  beforeAll(() => server.listen());
  afterAll(() => server.close());
  beforeEach(() => {
    sent.length = 0;
    failSends = false;
    server.resetHandlers(
      http.post(NOTIFICATIONS, async ({ request }) => {
        if (failSends) {
          return HttpResponse.json({ error: 'down' }, { status: 503 });
        }
        sent.push((await request.json()) as Sent);
        return HttpResponse.json([]);
      }),
    );
  });

  let clock = Date.parse('2026-12-01T10:00:00Z');
  function at(iso: string) {
    clock = Date.parse(iso);
    return new Date(clock);
  }

  async function notifiers(
    databaseId: any,
    count = 1,
    options: {
      settings?: NotificationSettings;
      clusters?: () => ClusterSummary[];
    } = {},
  ) {
    const knex = await databases.init(databaseId);
    await migrate(knex);
    const logger = mockServices.logger.mock();
    const notifications = DefaultNotificationService.create({
      auth: mockServices.auth({ pluginId: 'aks-baseline' }),
      discovery: mockServices.discovery(),
    });
    const now = () => new Date(clock);
    const list = Array.from(
      { length: count },
      () =>
        new AksBaselineNotifier({
          settings: options.settings ?? SETTINGS,
          // Each replica its own client on the shared database.
          log: new NotificationLog(knex, now),
          notifications,
          logger,
          listClusters: async () => options.clusters?.() ?? [],
          now,
        }),
    );
    return { list, knex, logger };
  }

  async function cycle(
    notifier: AksBaselineNotifier,
    iso: string,
    entity: EntityEvaluation,
  ) {
    await notifier.evaluated({
      cluster: CLUSTER,
      evaluatedAt: at(iso),
      entityScores: [entity],
    });
  }

  it.each(databases.eachSupportedId())(
    'notifies a score drop once, measured from the highest score since, on %p',
    async databaseId => {
      const [notifier] = (await notifiers(databaseId)).list;
      await cycle(notifier, '2026-12-01T10:00:00Z', evaluation(90));
      await cycle(notifier, '2026-12-01T10:30:00Z', evaluation(85));
      expect(sent).toEqual([]);
      // 90 → 85 → 78: 12 points below the reference, though 7 below the last.
      await cycle(notifier, '2026-12-01T11:00:00Z', evaluation(78));
      await cycle(notifier, '2026-12-01T11:30:00Z', evaluation(78));
      await cycle(notifier, '2026-12-01T12:00:00Z', evaluation(75));
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: { type: 'entity', entityRef: ENTITY },
        payload: {
          title: `AKS Baseline: checkout-api fell from 90 to 78 on ${CLUSTER}`,
          severity: 'high',
          topic: 'AKS Baseline: score dropped',
          link: `/catalog/default/component/checkout-api/aks-baseline?cluster=${CLUSTER}&status=fail`,
        },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'notifies a fall below the threshold once, and again after a recovery, on %p',
    async databaseId => {
      const [notifier] = (
        await notifiers(databaseId, 1, {
          settings: { ...SETTINGS, scoreDropPoints: undefined },
        })
      ).list;
      await cycle(notifier, '2026-12-01T10:00:00Z', evaluation(70));
      await cycle(notifier, '2026-12-01T10:30:00Z', evaluation(55));
      await cycle(notifier, '2026-12-01T11:00:00Z', evaluation(50));
      expect(sent.map(s => s.payload.title)).toEqual([
        `AKS Baseline: checkout-api scores 55 on ${CLUSTER}, below 60`,
      ]);
      await cycle(notifier, '2026-12-01T11:30:00Z', evaluation(65));
      await cycle(notifier, '2026-12-01T12:00:00Z', evaluation(58));
      expect(sent).toHaveLength(2);
      expect(sent[1].payload.topic).toBe('AKS Baseline: score below threshold');
    },
  );

  it.each(databases.eachSupportedId())(
    'notifies each new critical finding once, with a link to it, and again when it comes back, on %p',
    async databaseId => {
      const [notifier] = (await notifiers(databaseId)).list;
      const old = finding('container-not-privileged', 'legacy-worker');
      const fresh = finding('container-not-privileged', 'checkout-api', {
        resource: {
          kind: 'Deployment',
          namespace: 'payments',
          name: 'checkout-api',
        },
      });
      // What is there when notifications start is not a change.
      await cycle(notifier, '2026-12-01T10:00:00Z', evaluation(70, [old]));
      expect(sent).toEqual([]);
      await cycle(
        notifier,
        '2026-12-01T10:30:00Z',
        evaluation(65, [old, fresh]),
      );
      await cycle(
        notifier,
        '2026-12-01T11:00:00Z',
        evaluation(65, [old, fresh]),
      );
      expect(sent).toHaveLength(1);
      expect(sent[0].payload).toMatchObject({
        title: `AKS Baseline: 1 new critical finding on checkout-api (${CLUSTER})`,
        severity: 'critical',
        topic: 'AKS Baseline: new critical finding',
      });
      expect(sent[0].payload.description).toContain(
        'container-not-privileged (PS-07) on Deployment payments/checkout-api',
      );
      const link = new URL(sent[0].payload.link!, 'http://portal');
      expect(link.pathname).toBe(
        '/catalog/default/component/checkout-api/aks-baseline',
      );
      expect(Object.fromEntries(link.searchParams)).toEqual({
        cluster: CLUSTER,
        severity: 'critical',
        status: 'fail',
        rule: 'container-not-privileged',
        namespace: 'payments',
        q: 'checkout-api',
      });
      // Fixed, then back: a new change.
      await cycle(notifier, '2026-12-01T11:30:00Z', evaluation(70, [old]));
      await cycle(
        notifier,
        '2026-12-01T12:00:00Z',
        evaluation(65, [old, fresh]),
      );
      expect(sent).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'notifies a waiver expiring within 14 days once, and once when it has expired, on %p',
    async databaseId => {
      const [notifier] = (await notifiers(databaseId)).list;
      const waiver = {
        ruleId: 'container-not-privileged',
        reason: 'vendor agent, ticket OPS-1234',
        expires: '2026-12-10',
        owner: 'group:default/team-payments',
        source: 'annotation' as const,
      };
      const waived = finding('container-not-privileged', 'agent', {
        status: 'waived',
        waiver,
      });
      // 20 days before: nothing yet.
      await cycle(notifier, '2026-11-20T10:00:00Z', evaluation(80, [waived]));
      expect(sent).toEqual([]);
      await cycle(notifier, '2026-11-27T10:00:00Z', evaluation(80, [waived]));
      await cycle(notifier, '2026-11-28T10:00:00Z', evaluation(80, [waived]));
      expect(sent).toHaveLength(1);
      expect(sent[0].payload).toMatchObject({
        title: 'AKS Baseline: 1 waiver on checkout-api expire soon',
        topic: 'AKS Baseline: waiver expiring',
        severity: 'normal',
      });
      expect(sent[0].payload.description).toContain(
        'expires 2026-12-10 (vendor agent, ticket OPS-1234)',
      );
      expect(sent[0].payload.link).toContain('status=waived');
      const expired = finding('container-not-privileged', 'agent', {
        status: 'fail',
        waiver: { ...waiver, expired: true },
      });
      await cycle(notifier, '2026-12-11T10:00:00Z', evaluation(70, [expired]));
      await cycle(notifier, '2026-12-11T10:30:00Z', evaluation(70, [expired]));
      const titles = sent.map(s => s.payload.title);
      expect(titles).toContain(
        'AKS Baseline: 1 waiver on checkout-api expired',
      );
      expect(
        sent.filter(s => s.payload.topic === 'AKS Baseline: waiver expired'),
      ).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'sends one notification per change when replicas handle the same evaluation at once, on %p',
    async databaseId => {
      const { list } = await notifiers(databaseId, 4);
      const old = finding('container-not-privileged', 'legacy-worker');
      const fresh = finding('container-no-privilege-escalation', 'api');
      await Promise.all(
        list.map(n => cycle(n, '2026-12-01T10:00:00Z', evaluation(90, [old]))),
      );
      expect(sent).toEqual([]);
      await Promise.all(
        list.map(n =>
          cycle(n, '2026-12-01T10:30:00Z', evaluation(50, [old, fresh])),
        ),
      );
      expect(sent.map(s => s.payload.topic).sort()).toEqual([
        'AKS Baseline: new critical finding',
        'AKS Baseline: score below threshold',
        'AKS Baseline: score dropped',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes old score drops only, on %p',
    async databaseId => {
      const { list, knex } = await notifiers(databaseId);
      const [notifier] = list;
      const old = finding('container-not-privileged', 'legacy-worker');
      const fresh = finding('container-no-privilege-escalation', 'api');
      await cycle(notifier, '2026-09-01T10:00:00Z', evaluation(90, [old]));
      await cycle(
        notifier,
        '2026-09-01T10:30:00Z',
        evaluation(50, [old, fresh]),
      );
      expect(sent).toHaveLength(3);
      const kinds = async () =>
        (await knex('aks_baseline_notifications').select('kind'))
          .map(r => r.kind)
          .sort();
      expect(await kinds()).toEqual([
        'critical-finding',
        'critical-finding',
        'score-below',
        'score-drop',
      ]);
      at('2026-12-01T10:00:00Z');
      expect(await notifier.prune(new Date('2026-10-01T00:00:00Z'))).toBe(1);
      expect(await kinds()).toEqual([
        'critical-finding',
        'critical-finding',
        'score-below',
      ]);
      // What is still there is still known: nothing is sent again.
      await cycle(
        notifier,
        '2026-12-01T10:30:00Z',
        evaluation(50, [old, fresh]),
      );
      expect(sent).toHaveLength(3);
    },
  );

  it.each(databases.eachSupportedId())(
    'releases a change it could not send, so that the next cycle sends it, on %p',
    async databaseId => {
      const { list, logger } = await notifiers(databaseId);
      const [notifier] = list;
      await cycle(notifier, '2026-12-01T10:00:00Z', evaluation(90));
      failSends = true;
      await cycle(notifier, '2026-12-01T10:30:00Z', evaluation(50));
      expect(sent).toEqual([]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('Could not send the score-below notification'),
      );
      failSends = false;
      await cycle(notifier, '2026-12-01T11:00:00Z', evaluation(50));
      expect(sent.map(s => s.payload.topic)).toEqual([
        'AKS Baseline: score below threshold',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'tells the platform team once when a cluster stays stale past the limit, on %p',
    async databaseId => {
      let clusters: ClusterSummary[] = [];
      const summary = (
        status: ClusterSummary['status'],
        evaluatedAt?: string,
      ) =>
        ({
          name: CLUSTER,
          status,
          stale: status === 'stale',
          ...(evaluatedAt ? { evaluatedAt } : {}),
          lastError: 'forbidden (403): the identity cannot read the cluster',
        } as ClusterSummary);
      const { list } = await notifiers(databaseId, 2, {
        clusters: () => clusters,
      });
      clusters = [summary('stale', '2026-12-01T08:00:00Z')];
      at('2026-12-01T12:00:00Z'); // 4 hours
      await Promise.all(list.map(n => n.checkStaleClusters()));
      expect(sent).toEqual([]);
      at('2026-12-01T14:30:00Z'); // 6.5 hours
      await Promise.all(list.map(n => n.checkStaleClusters()));
      at('2026-12-01T15:00:00Z');
      await list[0].checkStaleClusters();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: {
          type: 'entity',
          entityRef: 'group:default/platform-team',
        },
        payload: {
          title: `AKS Baseline: cluster ${CLUSTER} not evaluated since 2026-12-01T08:00:00Z`,
          topic: 'AKS Baseline: cluster not evaluated',
          link: '/aks-baseline',
        },
      });
      expect(sent[0].payload.description).toContain('forbidden (403)');
      // Evaluated again, then failing again: a new episode.
      clusters = [summary('ok', '2026-12-01T15:30:00Z')];
      await list[0].checkStaleClusters();
      clusters = [summary('stale', '2026-12-01T15:30:00Z')];
      at('2026-12-01T22:00:00Z');
      await list[0].checkStaleClusters();
      expect(sent).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'counts a never evaluated cluster from when it was first seen failing, on %p',
    async databaseId => {
      const clusters = [
        { name: CLUSTER, status: 'never-evaluated', stale: false },
      ] as ClusterSummary[];
      const [notifier] = (
        await notifiers(databaseId, 1, {
          clusters: () => clusters,
        })
      ).list;
      at('2026-12-01T10:00:00Z');
      await notifier.checkStaleClusters();
      at('2026-12-01T15:00:00Z');
      await notifier.checkStaleClusters();
      expect(sent).toEqual([]);
      at('2026-12-01T16:30:00Z');
      await notifier.checkStaleClusters();
      await notifier.checkStaleClusters();
      expect(sent.map(s => s.payload.title)).toEqual([
        `AKS Baseline: cluster ${CLUSTER} has never been evaluated`,
      ]);
    },
  );
});
