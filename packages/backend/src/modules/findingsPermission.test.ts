/*
 * aks-baseline.findings.read through the real permission framework: the
 * permission backend with a test policy, the catalog (examples/org.yaml and
 * a catalog where team-storefront owns two components and the dev cluster)
 * and the AKS Baseline backend evaluating the demo snapshots, on SQLite and
 * PostgreSQL. Every read route is called as users the policy restricts in
 * different ways, and no answer may name what team-storefront owns, nor
 * the clusters they may not see; the platform team, allowed everything,
 * shows that the same answers do hold those names.
 */
import {
  aksBaselineCatalogConditions,
  catalogModuleAksBaselinePermissionRules,
} from '@aks-baseline/plugin-scaffolder-backend-module-aks-baseline';
import aksBaselinePlugin from '@aks-baseline/plugin-aks-baseline-backend';
import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionPolicyModule from './permissionPolicy';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authFactory, userInfoFactory } from './__testUtils__/testServices';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '../../../..');
const PROD = 'aks-prod-westeurope';
const DEV = 'aks-dev-koreacentral';
/** A cluster with no catalog entity. */
const LAB = 'aks-lab-northeurope';
const STOREFRONT = 'group:default/team-storefront';
const PLATFORM = 'group:default/platform-engineering';

/** Users, and how the test policy restricts them. */
const USERS = {
  /** Allowed everything. */
  platform: 'user:default/daniel.choi',
  /** findings.read: CONDITIONAL, not owned by team-storefront. */
  conditional: 'user:default/jisoo.kim',
  /** catalog.entity.read: CONDITIONAL, not owned by team-storefront; findings.read ALLOW. */
  catalog: 'user:default/minho.lee',
  /** findings.read: DENY. */
  denied: 'user:default/sara.park',
  /** findings.read: CONDITIONAL on HAS_MEMBER, a rule only the catalog knows. */
  customRule: 'user:default/guest',
};

const MEMBER_OF: Record<string, string[]> = {
  [USERS.platform]: [PLATFORM],
  [USERS.conditional]: ['group:default/team-payments'],
  [USERS.catalog]: ['group:default/team-payments'],
  [USERS.denied]: [STOREFRONT],
  [USERS.customRule]: [],
};

class TestPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const who = user?.info.userEntityRef;
    const { permission } = request;
    const notStorefront = {
      not: catalogConditions.isEntityOwner({ claims: [STOREFRONT] }),
    };
    if (permission.name === 'aks-baseline.evaluation.run') {
      return {
        result:
          who === USERS.platform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    if (isResourcePermission(permission, 'catalog-entity')) {
      if (permission.name === 'aks-baseline.findings.read') {
        if (who === USERS.conditional) {
          return createCatalogConditionalDecision(permission, notStorefront);
        }
        if (who === USERS.denied) return { result: AuthorizeResult.DENY };
        if (who === USERS.customRule) {
          return createCatalogConditionalDecision(
            permission,
            aksBaselineCatalogConditions.hasMember({ claims: [who] }),
          );
        }
      }
      if (permission.name === 'catalog.entity.read' && who === USERS.catalog) {
        return createCatalogConditionalDecision(permission, notStorefront);
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const testPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new TestPolicy());
      },
    });
  },
});

function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

function clusterResource(name: string, owner: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, annotations: { 'aks-baseline.io/cluster': name } },
    spec: { type: 'kubernetes-cluster', owner },
  };
}

/** team-storefront owns two components and the dev cluster. */
const ENTITIES = [
  component('checkout-api', 'team-payments', {
    'backstage.io/kubernetes-id': 'checkout-api',
    'backstage.io/kubernetes-cluster': PROD,
  }),
  component('storefront-web', 'team-storefront', {
    'backstage.io/kubernetes-id': 'storefront-web',
  }),
  component('catalog-search', 'team-storefront', {
    'backstage.io/kubernetes-id': 'catalog-search',
    'backstage.io/kubernetes-cluster': DEV,
  }),
  clusterResource(PROD, 'platform-engineering'),
  clusterResource(DEV, 'team-storefront'),
];

/** What no answer to a restricted user may hold. */
const STOREFRONT_NAMES = [
  'component:default/storefront-web',
  'component:default/catalog-search',
  `resource:default/${DEV}`,
  STOREFRONT,
  DEV,
  LAB,
];

interface Answer {
  status: number;
  text: string;
  body: any;
}

/** A running portal, and calls to it as a user. */
interface Portal {
  get(path: string, user: string): Promise<Answer>;
  /** Every page of a findings route, as one answer. */
  pages(path: string, user: string): Promise<Answer>;
  stop(): Promise<void>;
}

/**
 * The catalog, the permission backend with `policy` and the AKS Baseline
 * backend on the demo snapshots; returns once the catalog has stitched
 * `entityCount` components and resources and every cluster was evaluated.
 */
async function startPortal(options: {
  policy: BackendFeature;
  entitiesFile: string;
  entityCount: number;
  clusters: Array<{ name: string; directory: string }>;
  memberOf: Record<string, string[]>;
  /** A user the policy lets start an evaluation. */
  admin: string;
  knex?: Awaited<ReturnType<TestDatabases['init']>>;
}): Promise<Portal> {
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleAksBaselinePermissionRules,
      permissionPlugin,
      options.policy,
      aksBaselinePlugin,
      userInfoFactory(options.memberOf),
      authFactory,
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
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
              { type: 'file', target: options.entitiesFile },
            ],
          },
          aksBaseline: {
            includeKubernetesPluginClusters: false,
            schedule: {
              frequency: { hours: 24 },
              timeout: { minutes: 5 },
              initialDelay: { hours: 1 },
            },
            clusters: options.clusters.map(c => ({
              name: c.name,
              snapshot: { directory: c.directory },
            })),
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const baseUrl = `http://localhost:${port}`;

  const get = async (path: string, user: string): Promise<Answer> => {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: mockCredentials.user.header(user) },
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, text, body };
  };

  /** Every page of a findings route, as one answer. */
  const pages = async (path: string, user: string): Promise<Answer> => {
    const all: Answer[] = [];
    let cursor: string | undefined;
    do {
      const answer = await get(
        `${path}?limit=500${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`,
        user,
      );
      all.push(answer);
      cursor = answer.status === 200 ? answer.body.nextCursor : undefined;
    } while (cursor);
    return {
      status: all[0].status,
      text: all.map(a => a.text).join('\n'),
      body:
        all[0].status === 200 ? all.flatMap(a => a.body.items) : all[0].body,
    };
  };

  // The catalog has stitched the entities with their owners.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await get(
      '/api/catalog/entities/by-query?filter=kind=component,kind=resource&fields=metadata.name,relations',
      options.admin,
    );
    const owned = (res.body?.items ?? []).filter((e: any) =>
      (e.relations ?? []).some((r: any) => r.type === 'ownedBy'),
    );
    if (owned.length === options.entityCount) break;
    if (Date.now() > deadline) {
      throw new Error(`catalog never got ready: ${res.status} ${res.text}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
  const started = await fetch(`${baseUrl}/api/aks-baseline/evaluations`, {
    method: 'POST',
    headers: {
      authorization: mockCredentials.user.header(options.admin),
      'content-type': 'application/json',
    },
    body: '{}',
  });
  if (started.status !== 202) {
    throw new Error(`evaluation refused: ${started.status}`);
  }
  for (;;) {
    const overview = await get('/api/aks-baseline/overview', options.admin);
    const clusters = overview.body?.clusters ?? [];
    if (
      clusters.length === options.clusters.length &&
      clusters.every((c: any) => c.status === 'ok')
    ) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(`never evaluated: ${overview.text}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
  return { get, pages, stop: () => backend.stop() };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'aks-baseline.findings.read on %p',
  databaseId => {
    let portal: Portal;
    const get: Portal['get'] = (path, user) => portal.get(path, user);
    const pages: Portal['pages'] = (path, user) => portal.pages(path, user);
    const dir = mkdtempSync(join(tmpdir(), 'aks-baseline-permission-'));

    /**
     * A route that names something (`{}` in the path): its answer, and
     * whether it is the answer for a name that does not exist, with the
     * name put back (the route answered as if it did not exist).
     */
    const ABSENT = 'no-such-name';
    async function named(
      template: string,
      name: string,
      fetchOne: (path: string, user: string) => Promise<Answer>,
      user: string,
    ): Promise<Answer & { asAbsent: boolean }> {
      const answer = await fetchOne(template.replace('{}', name), user);
      const absent = await fetchOne(template.replace('{}', ABSENT), user);
      return {
        ...answer,
        asAbsent:
          answer.status === absent.status &&
          answer.text === absent.text.replaceAll(ABSENT, name),
      };
    }

    type Answers = Record<string, Answer & { asAbsent?: boolean }>;

    /** Every read route, for every entity and cluster there is. */
    async function everyRoute(user: string): Promise<Answers> {
      const api = '/api/aks-baseline';
      const out: Answers = {
        rules: await get(`${api}/rules`, user),
        clusters: await get(`${api}/clusters`, user),
        overview: await get(`${api}/overview`, user),
        'overview?owner': await named(
          `${api}/overview?owner={}`,
          'team-storefront',
          get,
          user,
        ),
        evaluations: await get(`${api}/evaluations`, user),
        'evaluations?cluster': await named(
          `${api}/evaluations?cluster={}`,
          DEV,
          get,
          user,
        ),
      };
      for (const cluster of [PROD, DEV, LAB]) {
        out[`cluster ${cluster}`] = await named(
          `${api}/clusters/{}`,
          cluster,
          get,
          user,
        );
        out[`cluster-findings ${cluster}`] = await named(
          `${api}/clusters/{}/findings`,
          cluster,
          pages,
          user,
        );
      }
      for (const [kind, name] of [
        ['component', 'checkout-api'],
        ['component', 'storefront-web'],
        ['component', 'catalog-search'],
        ['resource', PROD],
        ['resource', DEV],
      ]) {
        const base = `${api}/entities/default/${kind}/{}`;
        out[`score ${name}`] = await named(`${base}/score`, name, get, user);
        out[`history ${name}`] = await named(
          `${base}/history`,
          name,
          get,
          user,
        );
        out[`findings ${name}`] = await named(
          `${base}/findings`,
          name,
          pages,
          user,
        );
      }
      return out;
    }

    /** The names each answer holds; one given as for an absent name holds none. */
    const leaks = (answers: Answers, names: string[]) =>
      Object.entries(answers).flatMap(([route, answer]) =>
        answer.asAbsent
          ? []
          : names
              .filter(name => answer.text.includes(name))
              .map(name => `${route} names ${name}`),
      );

    beforeAll(async () => {
      const entitiesFile = join(dir, 'entities.yaml');
      writeFileSync(
        entitiesFile,
        ENTITIES.map(e => JSON.stringify(e)).join('\n---\n'),
      );
      portal = await startPortal({
        policy: testPolicyModule,
        entitiesFile,
        entityCount: ENTITIES.length,
        clusters: [
          ...[PROD, DEV].map(name => ({
            name,
            directory: join(ROOT, 'examples/clusters', name),
          })),
          { name: LAB, directory: join(ROOT, 'examples/clusters', PROD) },
        ],
        memberOf: MEMBER_OF,
        admin: USERS.platform,
        knex: await databases.init(databaseId),
      });
    });

    afterAll(async () => {
      await portal?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows the platform team everything, team-storefront and every cluster included', async () => {
      const answers = await everyRoute(USERS.platform);
      // Each name is in the answers: a restricted user not seeing it means something.
      for (const name of STOREFRONT_NAMES) {
        expect(leaks(answers, [name]).length).toBeGreaterThan(0);
      }
      expect(answers.clusters.body.items.map((c: any) => c.name)).toEqual([
        DEV,
        LAB,
        PROD,
      ]);
      expect(answers[`cluster-findings ${DEV}`].body.length).toBeGreaterThan(0);
      expect(answers['findings catalog-search'].body.length).toBeGreaterThan(0);
      expect(answers['score storefront-web'].status).toBe(200);
    });

    it.each([
      ['findings.read is conditional', USERS.conditional],
      [
        'catalog.entity.read is conditional (findings follow the catalog)',
        USERS.catalog,
      ],
    ])(
      "hides team-storefront's entities and the clusters it may not see when %s",
      async (_variant, user) => {
        const answers = await everyRoute(user);
        expect(leaks(answers, STOREFRONT_NAMES)).toEqual([]);

        // What the user may see is there.
        expect(answers.clusters.body.items.map((c: any) => c.name)).toEqual([
          PROD,
        ]);
        expect(answers[`cluster ${PROD}`].status).toBe(200);
        expect(answers[`cluster-findings ${PROD}`].body.length).toBe(
          answers[`cluster ${PROD}`].body.totalFindings,
        );
        expect(answers['score checkout-api'].status).toBe(200);
        expect(answers['findings checkout-api'].body).toHaveLength(
          answers['score checkout-api'].body.totalFindings,
        );
        expect(answers[`findings ${PROD}`].body.length).toBeGreaterThan(0);
        expect(
          answers['history checkout-api'].body.items.length,
        ).toBeGreaterThan(0);
        expect(
          answers.overview.body.entities.map((e: any) => e.entityRef).sort(),
        ).toEqual([
          'component:default/checkout-api',
          `resource:default/${PROD}`,
        ]);
        expect(
          answers.evaluations.body.items.every((r: any) => r.cluster === PROD),
        ).toBe(true);
        expect(answers.evaluations.body.items.length).toBeGreaterThan(0);

        // What it may not see answers as what does not exist.
        for (const name of ['storefront-web', 'catalog-search', DEV]) {
          expect(answers[`score ${name}`].status).toBe(404);
          expect(answers[`score ${name}`].body.error.reason).toBe(
            'not-evaluated',
          );
          for (const route of ['score', 'history', 'findings']) {
            expect(answers[`${route} ${name}`].asAbsent).toBe(true);
          }
          expect(answers[`findings ${name}`].body).toEqual([]);
        }
        for (const cluster of [DEV, LAB]) {
          expect(answers[`cluster ${cluster}`].status).toBe(404);
          expect(answers[`cluster ${cluster}`].asAbsent).toBe(true);
          expect(answers[`cluster-findings ${cluster}`].asAbsent).toBe(true);
        }
        expect(answers['evaluations?cluster'].body).toEqual({ items: [] });
        expect(answers['overview?owner'].body).toEqual(
          expect.objectContaining({ owners: [], entities: [], entityTotal: 0 }),
        );
      },
    );

    it.each([
      ['findings.read is denied', USERS.denied],
      [
        'the condition uses a rule this plugin cannot translate',
        USERS.customRule,
      ],
    ])('shows nothing at all when %s', async (_variant, user) => {
      const answers = await everyRoute(user);
      expect(
        leaks(answers, [
          ...STOREFRONT_NAMES,
          PROD,
          'checkout-api',
          'team-payments',
          PLATFORM,
        ]).filter(leak => !leak.startsWith('rules ')),
      ).toEqual([]);
      expect(answers.rules.body.items.length).toBeGreaterThan(50);
      expect(answers.clusters.body).toEqual({ items: [] });
      expect(answers.overview.body).toEqual({
        clusters: [],
        owners: [],
        ownerTotal: 0,
        topFailingRules: [],
        entities: [],
        entityTotal: 0,
      });
      expect(answers.evaluations.body).toEqual({ items: [] });
      const answeredAsPresent = Object.entries(answers)
        .filter(([route]) =>
          /^(score|history|findings|cluster|cluster-findings) /.test(route),
        )
        .filter(([, answer]) => !answer.asAbsent)
        .map(([route]) => route);
      expect(answeredAsPresent).toEqual([]);
    });
  },
);

describe('the demo policy', () => {
  let portal: Portal;
  const JISOO = 'user:default/jisoo.kim';
  const DANIEL = 'user:default/daniel.choi';

  beforeAll(async () => {
    portal = await startPortal({
      policy: permissionPolicyModule,
      entitiesFile: join(ROOT, 'examples/entities.yaml'),
      // examples/entities.yaml: five components (gift-cards without
      // Kubernetes annotations) and two cluster resources.
      entityCount: 7,
      clusters: [PROD, DEV].map(name => ({
        name,
        directory: join(ROOT, 'examples/clusters', name),
      })),
      memberOf: {
        [JISOO]: ['group:default/team-payments'],
        [DANIEL]: [PLATFORM],
      },
      admin: DANIEL,
    });
  });

  afterAll(async () => {
    await portal?.stop();
  });

  const overview = async (user: string) =>
    (await portal.get('/api/aks-baseline/overview', user)).body;

  it('shows the platform team every entity and cluster', async () => {
    const body = await overview(DANIEL);
    expect(body.clusters.map((c: any) => c.name)).toEqual([DEV, PROD]);
    expect(body.entities.map((e: any) => e.entityRef).sort()).toEqual([
      'component:default/catalog-search',
      'component:default/checkout-api',
      'component:default/payments-worker',
      'component:default/storefront-web',
      `resource:default/${DEV}`,
      `resource:default/${PROD}`,
    ]);
  });

  it("shows a developer their team's entities only", async () => {
    const body = await overview(JISOO);
    expect(body.entities.map((e: any) => e.entityRef).sort()).toEqual([
      'component:default/checkout-api',
      'component:default/payments-worker',
    ]);
    expect(body.owners.map((o: any) => o.owner)).toEqual([
      'group:default/team-payments',
    ]);
    // The clusters' Resources belong to the platform team.
    expect(body.clusters).toEqual([]);
    const api = '/api/aks-baseline';
    expect(
      (
        await portal.get(
          `${api}/entities/default/component/checkout-api/score`,
          JISOO,
        )
      ).status,
    ).toBe(200);
    const other = await portal.get(
      `${api}/entities/default/component/storefront-web/score`,
      JISOO,
    );
    expect(other.status).toBe(404);
    expect(other.body.error.reason).toBe('not-evaluated');
    expect((await portal.get(`${api}/clusters/${PROD}`, JISOO)).status).toBe(
      404,
    );
  });
});
