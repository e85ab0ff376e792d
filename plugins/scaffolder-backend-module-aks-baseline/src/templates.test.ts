/*
 * The templates under /templates against a real scaffolder backend (the
 * scaffolder plugin, its GitHub module and this module): every step names a
 * registered action, and each template completes a dry-run with the expected
 * output. The golden-path skeleton is rendered by the real fetch:template
 * and must score 100 on the workload rules.
 */
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import scaffolderModuleAksBaseline from '.';
import { RULE_CATALOG } from '@aks-baseline/plugin-aks-baseline-node';
import { scoreObjects } from './score';
import { ORG_ENTITIES } from './__testUtils__/org';
import {
  CLIENT_ID,
  GROUP_ID,
  scaffolderConfig,
} from './__testUtils__/settings';

const TEMPLATES_DIR = join(__dirname, '../../../templates');
const FIX_FIXTURE = join(
  __dirname,
  '../../../packages/aks-baseline-cli/src/__fixtures__/fix',
);

// A service whose manifests live in its GitHub repository (faked below).
const ORDERS_SHA = '3f1c2a9e8b7d6c5b4a39281706f5e4d3c2b1a098';
const ORDERS_COMPONENT = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      'backstage.io/source-location':
        'url:https://github.com/contoso/orders-api/tree/main/',
      'aks-baseline.io/manifests-path': 'deploy/k8s',
      'backstage.io/kubernetes-namespace': 'shop',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
};

/** The repository's tarball as GitHub serves it: one top folder. */
function ordersTarball(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'orders-api-'));
  const top = `contoso-orders-api-${ORDERS_SHA.slice(0, 7)}`;
  mkdirSync(join(dir, top, 'deploy/k8s'), { recursive: true });
  writeFileSync(join(dir, top, 'README.md'), '# orders-api\n');
  for (const file of ['shop.yaml', 'api.yaml']) {
    writeFileSync(
      join(dir, top, 'deploy/k8s', file),
      readFileSync(join(FIX_FIXTURE, file)),
    );
  }
  const tar = spawnSync('tar', ['czf', '-', '-C', dir, top]);
  if (tar.status !== 0) throw new Error(String(tar.stderr));
  return tar.stdout;
}

// GitHub at the HTTP level, for fetch:plain's reader: what it asked is kept.
const github = setupServer();
registerMswTestHooks(github);
const githubRequests: string[] = [];

const ORDERS_API = 'https://api.github.com/repos/contoso/orders-api';
const GITHUB_TOKEN = 'ghs_test0123456789abcdefghijklmnopqrstuv';

/** What fetch:plain's GitHub reader asks: the branch's commit, its tarball. */
function ordersFetchHandlers() {
  const tarball = ordersTarball();
  return [
    http.get(`${ORDERS_API}/commits/main/status`, ({ request: sent }) => {
      githubRequests.push(sent.url);
      return HttpResponse.json({
        sha: ORDERS_SHA,
        repository: {
          archive_url: `${ORDERS_API}/{archive_format}{/ref}`,
          trees_url: `${ORDERS_API}/git/trees{/sha}`,
        },
      });
    }),
    http.get(`${ORDERS_API}/tarball/${ORDERS_SHA}`, ({ request: sent }) => {
      githubRequests.push(sent.url);
      return new HttpResponse(tarball, {
        headers: { 'content-type': 'application/x-gzip' },
      });
    }),
  ];
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out.sort();
}

function templateNames(): string[] {
  return readdirSync(TEMPLATES_DIR)
    .filter(name => statSync(join(TEMPLATES_DIR, name)).isDirectory())
    .sort();
}

function loadTemplate(name: string) {
  return parse(
    readFileSync(join(TEMPLATES_DIR, name, 'template.yaml'), 'utf8'),
  );
}

/** The template's directory as the dry-run API takes it. */
function directoryContents(name: string) {
  const dir = join(TEMPLATES_DIR, name);
  return filesUnder(dir).map(file => ({
    path: relative(dir, file).split(sep).join('/'),
    base64Content: readFileSync(file).toString('base64'),
  }));
}

function decode(contents: { path: string; base64Content: string }[]) {
  return Object.fromEntries(
    contents.map(f => [
      f.path,
      Buffer.from(f.base64Content, 'base64').toString('utf8'),
    ]),
  );
}

// Jisoo Kim, a member of team-payments (the permission framework is off
// here: the create action requires membership of the owner group).
const AUTH = mockCredentials.user.header('user:default/jisoo.kim');

/** The aks-namespace form filled in for payments-dev on the dev cluster, with changes. */
function namespaceForm(changes: Record<string, unknown> = {}) {
  return {
    namespace: 'payments-dev',
    owner: 'group:default/team-payments',
    environment: 'non-production',
    cluster: 'aks-dev-koreacentral',
    size: 'small',
    clientId: CLIENT_ID,
    teamGroup: GROUP_ID,
    ...changes,
  };
}

describe('templates on a real scaffolder backend', () => {
  let server: any;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleGithub,
        scaffolderModuleAksBaseline,
        catalogServiceMock.factory({
          // The fix-pr template too: a task (not a dry run) reads it from the catalog.
          entities: [
            ...ORG_ENTITIES,
            ORDERS_COMPONENT,
            loadTemplate('aks-baseline-fix-pr'),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            // The token publish:github:pull-request sends to the fake GitHub.
            integrations: {
              github: [{ host: 'github.com', token: GITHUB_TOKEN }],
            },
            aksBaseline: { scaffolder: scaffolderConfig() },
          },
        }),
      ],
    });
    server = backend.server;
  }, 60_000);

  /** Waits for a task to end; its last state. */
  async function finished(taskId: string) {
    for (let i = 0; i < 200; i++) {
      const res = await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}`)
        .set('Authorization', AUTH);
      if (res.body.status === 'completed' || res.body.status === 'failed') {
        return res.body;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`task ${taskId} did not end`);
  }

  async function taskEvents(taskId: string) {
    const res = await request(server)
      .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
      .set('Authorization', AUTH);
    return res.body;
  }

  async function dryRun(name: string, values: Record<string, unknown>) {
    return request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', AUTH)
      .send({
        template: loadTemplate(name),
        values,
        directoryContents: directoryContents(name),
      });
  }

  it('has the four templates and not the create-app example', () => {
    expect(templateNames()).toEqual([
      'aks-baseline-fix-pr',
      'aks-namespace',
      'aks-namespace-gitops',
      'golden-path-service',
    ]);
  });

  it('registers the four actions with their schemas and examples', async () => {
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', AUTH);
    expect(res.status).toBe(200);
    const ours = res.body.filter((a: any) => a.id.startsWith('aks-baseline:'));
    expect(ours.map((a: any) => a.id)).toEqual([
      'aks-baseline:evaluate',
      'aks-baseline:fix',
      'aks-baseline:namespace:create',
      'aks-baseline:namespace:render',
    ]);
    for (const action of ours) {
      expect(action.examples.length).toBeGreaterThan(0);
      for (const example of action.examples) {
        const steps = parse(example.example).steps;
        expect(steps.some((s: any) => s.action === action.id)).toBe(true);
      }
    }
    const create = ours[2];
    expect(create.schema.input.required).toEqual(
      expect.arrayContaining(['cluster', 'namespace', 'owner', 'environment']),
    );
    expect(create.schema.input.additionalProperties).toBe(false);
  });

  it.each(templateNames())(
    '%s parses and every step names a registered action',
    async name => {
      const template = loadTemplate(name);
      expect(template).toMatchObject({
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name },
      });
      const res = await request(server)
        .get('/api/scaffolder/v2/actions')
        .set('Authorization', AUTH);
      const ids = new Set(res.body.map((a: any) => a.id));
      const missing = template.spec.steps
        .map((s: any) => s.action)
        .filter((id: string) => !ids.has(id));
      expect(missing).toEqual([]);
    },
  );

  it('aks-namespace: a dry-run returns the manifests and the catalog entity', async () => {
    const res = await dryRun(
      'aks-namespace',
      namespaceForm({ size: 'medium', serviceAccountName: 'payments-api' }),
    );
    expect(res.status).toBe(200);
    const messages = res.body.log.map((l: any) => l.body.message).join('\n');
    expect(messages).toContain('Dry run: no request was sent to the cluster');

    const text = res.body.output.text[0];
    expect(text.title).toBe('Namespace payments-dev on aks-dev-koreacentral');
    expect(text.content).toContain(
      'AKS baseline score of the applied objects: **100**',
    );
    const yaml = /```yaml\n([\s\S]*)```/.exec(text.content)![1];
    const docs = parseAllDocuments(yaml).map(d => d.toJSON());
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/payments-dev',
      'ResourceQuota/baseline-quota',
      'LimitRange/baseline-limits',
      'NetworkPolicy/default-deny-ingress',
      'ServiceAccount/payments-api',
      'RoleBinding/team-access',
    ]);
    expect(docs[1].spec.hard['requests.cpu']).toBe('8');

    // The Workload Identity step left to the team, in one command.
    const identity = res.body.output.text[1];
    expect(identity.title).toBe('Workload Identity (one step left)');
    expect(identity.content).toContain(
      '`system:serviceaccount:payments-dev:payments-api`',
    );
    expect(identity.content).toContain(
      'az identity federated-credential create',
    );
    expect(identity.content).toContain(
      '--subject system:serviceaccount:payments-dev:payments-api',
    );
    expect(identity.content).toContain(
      '--audiences api://AzureADTokenExchange',
    );

    expect(res.body.output.links).toEqual([
      {
        title:
          'Namespace entity (registered when the catalog pull request merges)',
        icon: 'catalog',
        entityRef: 'resource:default/payments-dev.aks-dev-koreacentral',
      },
      { title: 'Catalog pull request' },
    ]);
    const files = decode(res.body.directoryContents);
    const entity = parse(
      files['catalog/namespaces/payments-dev.aks-dev-koreacentral.yaml'],
    );
    expect(entity).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'payments-dev.aks-dev-koreacentral' },
      spec: {
        type: 'kubernetes-namespace',
        owner: 'group:default/team-payments',
      },
    });
  }, 30_000);

  it('aks-namespace: with a catalog repository, the entity is proposed as a pull request', async () => {
    const res = await dryRun(
      'aks-namespace',
      namespaceForm({
        catalogRepoUrl: 'github.com?owner=contoso&repo=platform-catalog',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.output.links[1]).toEqual({
      title: 'Catalog pull request',
      url: 'github.com?owner=contoso&repo=platform-catalog',
    });
  }, 30_000);

  it("aks-namespace: the dry-run refuses another team as owner, named on the platform team's page", async () => {
    const res = await dryRun(
      'aks-namespace',
      namespaceForm({
        namespace: 'storefront-dev',
        ownerOverride: 'group:default/team-storefront',
      }),
    );
    expect(JSON.stringify(res.body)).toContain(
      'Jisoo Kim (user:default/jisoo.kim) may not create or change namespace storefront-dev on cluster aks-dev-koreacentral for group:default/team-storefront: they are not a member of group:default/team-storefront in the catalog',
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
  }, 30_000);

  it('aks-namespace: the platform page is tagged for the parameter permission', () => {
    const pages = loadTemplate('aks-namespace').spec.parameters;
    const tagged = pages.filter(
      (p: any) => p['backstage:permissions']?.tags?.length,
    );
    expect(tagged.map((p: any) => Object.keys(p.properties))).toEqual([
      ['ownerOverride'],
    ]);
    expect(tagged[0]['backstage:permissions'].tags).toEqual([
      'aks-baseline-any-owner',
    ]);
    expect(pages[0].properties.owner['ui:field']).toBe('MyGroupsPicker');
  });

  it('aks-namespace: every pattern has its message in words, and the team group must be a GUID', async () => {
    const patterns: Array<{ name: string; schema: any }> = [];
    const walk = (node: any, name: string) => {
      if (!node || typeof node !== 'object') return;
      if (typeof node.pattern === 'string')
        patterns.push({ name, schema: node });
      for (const [key, value] of Object.entries(node)) {
        if (key !== 'errorMessage') walk(value, key);
      }
    };
    walk(loadTemplate('aks-namespace').spec.parameters, '');
    expect(patterns.map(p => p.name).sort()).toEqual([
      'clientId',
      'namespace',
      'serviceAccountName',
      'teamGroup',
    ]);
    for (const { schema } of patterns) {
      // What the form shows (ajv-errors): words, not the regular expression.
      expect(schema.errorMessage.pattern).toMatch(/^use /);
      expect(schema.errorMessage.pattern).not.toMatch(/[\^$\\[\]{}]/);
    }

    const bad = await dryRun(
      'aks-namespace',
      namespaceForm({ teamGroup: 'team-payments-admins' }),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('teamGroup');
    expect((await dryRun('aks-namespace', namespaceForm())).status).toBe(200);
  }, 30_000);

  it('aks-namespace: the clusters offered follow the environment', () => {
    const [page] = loadTemplate('aks-namespace').spec.parameters;
    expect(page.properties.cluster).toBeUndefined();
    const offered = Object.fromEntries(
      page.dependencies.environment.oneOf.map((branch: any) => [
        branch.properties.environment.enum[0],
        branch.properties.cluster.enum,
      ]),
    );
    // As aksBaseline.scaffolder.clusters[].environments says (the demo's, the tests').
    const clusters = scaffolderConfig().clusters as Array<{
      name: string;
      environments: string[];
    }>;
    for (const environment of ['production', 'non-production']) {
      expect(offered[environment]).toEqual(
        clusters
          // Those the namespace action reaches (a url; not the GitOps-only one).
          .filter(c => c.environments.includes(environment) && 'url' in c)
          .map(c => c.name),
      );
    }
    expect(page['ui:order']).toEqual([
      'namespace',
      'owner',
      'environment',
      'cluster',
      'size',
    ]);
  });

  it('aks-namespace: the description says how to dry-run it, and the dry run logs the manifests as YAML', async () => {
    expect(loadTemplate('aks-namespace').metadata.description).toContain(
      'dry-run it',
    );
    const res = await dryRun('aks-namespace', namespaceForm());
    const log: string = res.body.log
      .map((l: any) => l.body.message)
      .find((m: string) => m.includes('Dry run:'));
    const yaml = log.slice(log.indexOf('\n') + 1);
    expect(yaml).not.toContain('\\n');
    expect(parseAllDocuments(yaml).map(d => d.toJSON().kind)).toEqual([
      'Namespace',
      'ResourceQuota',
      'LimitRange',
      'NetworkPolicy',
      'ServiceAccount',
      'RoleBinding',
    ]);
    // And as a file of the dry run, which the template editor's Files tab
    // shows as YAML (its Output tab shows the output as JSON).
    const file = decode(res.body.directoryContents)[
      'manifests/payments-dev.aks-dev-koreacentral.yaml'
    ];
    expect(file).toBe(yaml);
  }, 30_000);

  it('aks-namespace: a production request on the non-production cluster fails the dry-run', async () => {
    const res = await dryRun(
      'aks-namespace',
      namespaceForm({ namespace: 'payments', environment: 'production' }),
    );
    // The form offers only production clusters; the scaffolder's own
    // validation refuses another (the action checks it again: createNamespace.test.ts).
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(
      'does not meet dependency required by instance.environment',
    );
  }, 30_000);

  it('aks-namespace-gitops: renders, gates at 100 and opens the pull request (dry-run)', async () => {
    const res = await dryRun('aks-namespace-gitops', {
      namespace: 'payments',
      owner: 'group:default/team-payments',
      environment: 'production',
      cluster: 'aks-prod-westeurope',
      size: 'large',
      clientId: CLIENT_ID,
      teamGroup: GROUP_ID,
      repoUrl: 'github.com?owner=contoso&repo=platform-gitops',
      targetBranch: 'main',
    });
    expect(res.status).toBe(200);
    expect(res.body.output.links[0]).toEqual({
      title: 'Pull request',
      url: 'github.com?owner=contoso&repo=platform-gitops',
    });
    expect(res.body.output.text[0].content).toContain(
      'AKS baseline score: **100**',
    );
    const files = decode(res.body.directoryContents);
    const dir = 'clusters/aks-prod-westeurope/namespaces/payments';
    expect(Object.keys(files).sort()).toEqual(
      [
        `${dir}/00-namespace-payments.yaml`,
        `${dir}/01-resourcequota-baseline-quota.yaml`,
        `${dir}/02-limitrange-baseline-limits.yaml`,
        `${dir}/03-networkpolicy-default-deny-ingress.yaml`,
        `${dir}/04-serviceaccount-workload.yaml`,
        `${dir}/05-rolebinding-team-access.yaml`,
        `${dir}/kustomization.yaml`,
        'catalog/namespaces/payments.aks-prod-westeurope.yaml',
      ].sort(),
    );
    expect(
      parse(files[`${dir}/00-namespace-payments.yaml`]).metadata.labels[
        'pod-security.kubernetes.io/enforce'
      ],
    ).toBe('restricted');
  }, 30_000);

  const goldenValues = {
    name: 'orders-api',
    description: 'Order intake',
    owner: 'group:default/team-payments',
    namespace: 'payments',
    cluster: 'aks-prod-westeurope',
    environment: 'production',
    registry: 'contoso.azurecr.io',
    imageTag: '1.4.2',
    port: 8080,
    serviceAccountName: 'workload',
    repoUrl: 'github.com?owner=contoso&repo=orders-api',
  };

  it('golden-path-service: the rendered skeleton scores 100 on the workload rules', async () => {
    const res = await dryRun('golden-path-service', goldenValues);
    expect(res.status).toBe(200);
    expect(res.body.output.text[0].content).toBe(
      'The generated manifests score **100** on the AKS baseline.',
    );
    const files = decode(res.body.directoryContents);
    expect(parse(files['catalog-info.yaml'])).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'orders-api',
        annotations: {
          'backstage.io/kubernetes-id': 'orders-api',
          'backstage.io/kubernetes-namespace': 'payments',
          'backstage.io/kubernetes-cluster': 'aks-prod-westeurope',
        },
      },
      spec: { owner: 'group:default/team-payments' },
    });
    const manifests = Object.entries(files)
      .filter(([path]) => path.startsWith('kubernetes/'))
      .map(([file, text]) => ({ file, text }));
    expect(manifests.map(m => m.file).sort()).toEqual([
      'kubernetes/deployment.yaml',
      'kubernetes/hpa.yaml',
      'kubernetes/networkpolicy.yaml',
      'kubernetes/pdb.yaml',
      'kubernetes/service.yaml',
    ]);
    const score = scoreObjects(manifests, {
      name: 'orders-api',
      environment: 'production',
      scopes: ['workload', 'object'],
      providedKinds: [
        'Service',
        'PodDisruptionBudget',
        'HorizontalPodAutoscaler',
        'NetworkPolicy',
      ],
    });
    expect(score.failing).toEqual([]);
    // Open, not failed: the ServiceAccount is the namespace's (created with
    // it), which the skeleton cannot show. Vulnerability reports (IM-04) come
    // from the cluster's scanner and are judged on cluster reads only.
    expect(score.unknown.map(u => u.baselineRef).sort()).toEqual(['ID-03']);
    expect(score.score).toBe(100);
    const deployment = score.result.subjects.find(
      s => s.ref.kind === 'Deployment',
    )!;
    // The workload rules ran: every section passed checks on the Deployment.
    for (const category of [
      'pod-security',
      'images',
      'resources',
      'availability',
      'networking',
      'identity',
    ]) {
      expect((deployment.tallies as any)[category]?.passed).toBeGreaterThan(0);
      expect((deployment.tallies as any)[category]?.failed).toBe(0);
    }
  }, 30_000);

  it('golden-path-service: the gate fails the dry-run with the failing rules', async () => {
    const res = await dryRun('golden-path-service', {
      ...goldenValues,
      imageTag: 'latest',
    });
    expect(res.status).toBe(500);
    const body = JSON.stringify(res.body);
    expect(body).toContain('is below the threshold 100');
    expect(body).toContain('[IM-01] container-image-pinned');
  }, 30_000);
  it('aks-baseline-fix-pr: a dry run fetches the manifests from GitHub, fixes them and shows the pull request it would open', async () => {
    github.use(
      ...ordersFetchHandlers(),
      http.all('https://*', ({ request: sent }) => {
        githubRequests.push(`unexpected ${sent.method} ${sent.url}`);
        return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      }),
    );
    githubRequests.length = 0;
    const res = await dryRun('aks-baseline-fix-pr', {
      entity: 'component:default/orders-api',
      scopes: ['workload', 'object'],
    });
    expect(githubRequests).toEqual([
      `${ORDERS_API}/commits/main/status?per_page=0`,
      `${ORDERS_API}/tarball/${ORDERS_SHA}`,
    ]);
    expect(res.status).toBe(200);
    const files = decode(res.body.directoryContents);
    // The dry run changed nothing: the workspace holds the fetched manifests.
    expect(files['manifests/shop.yaml']).toBe(
      readFileSync(join(FIX_FIXTURE, 'shop.yaml'), 'utf8'),
    );
    expect(files['manifests/api.yaml']).toBe(
      readFileSync(join(FIX_FIXTURE, 'api.yaml'), 'utf8'),
    );
    const text = res.body.output.text[0];
    expect(text.title).toBe('Fixes (2 files changed)');
    expect(text.content).toContain('## Findings fixed');
    // Files named as in the repository, not the workspace.
    expect(text.content).toContain('+++ b/deploy/k8s/shop.yaml');
    expect(text.content).toContain('+++ b/deploy/k8s/api.yaml');
    expect(res.body.output.links).toEqual([
      {
        title: 'Pull request',
        url: 'github.com?owner=contoso&repo=orders-api',
      },
      {
        title: 'Component',
        icon: 'catalog',
        entityRef: 'component:default/orders-api',
      },
    ]);
    const log = res.body.log.map((l: any) => l.body.message).join('\n');
    expect(log).toContain('Dry run: would fix');
  }, 30_000);
  it('aks-baseline-fix-pr: a run fixes the manifests and opens the pull request on GitHub (faked at the HTTP level), the findings fixed and why in its description', async () => {
    const BASE_TREE = '9a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
    const pr = {
      blobs: [] as Array<{ content: string; encoding: string }>,
      tree: undefined as any,
      commit: undefined as any,
      ref: undefined as any,
      pull: undefined as any,
      tokens: new Set<string | null>(),
    };
    const json = async (sent: Request) => {
      pr.tokens.add(sent.headers.get('authorization'));
      return (await sent.json()) as any;
    };
    github.use(
      ...ordersFetchHandlers(),
      http.get(ORDERS_API, ({ request: sent }) => {
        pr.tokens.add(sent.headers.get('authorization'));
        return HttpResponse.json({
          id: 713204,
          name: 'orders-api',
          full_name: 'contoso/orders-api',
          default_branch: 'main',
          permissions: { admin: false, push: true, pull: true },
        });
      }),
      http.get(`${ORDERS_API}/commits`, ({ request: sent }) => {
        const query = new URL(sent.url).searchParams;
        expect([query.get('sha'), query.get('per_page')]).toEqual([
          'main',
          '1',
        ]);
        return HttpResponse.json([
          { sha: ORDERS_SHA, commit: { tree: { sha: BASE_TREE } } },
        ]);
      }),
      http.post(`${ORDERS_API}/git/blobs`, async ({ request: sent }) => {
        pr.blobs.push(await json(sent));
        return HttpResponse.json(
          { sha: `blob-${pr.blobs.length - 1}` },
          { status: 201 },
        );
      }),
      http.post(`${ORDERS_API}/git/trees`, async ({ request: sent }) => {
        pr.tree = await json(sent);
        return HttpResponse.json(
          { sha: 'c0ffee0000000000000000000000000000000001', tree: [] },
          { status: 201 },
        );
      }),
      http.post(`${ORDERS_API}/git/commits`, async ({ request: sent }) => {
        pr.commit = await json(sent);
        return HttpResponse.json(
          { sha: 'c0ffee0000000000000000000000000000000002' },
          { status: 201 },
        );
      }),
      // Whether the branch exists, with an open pull request: it does not.
      http.post('https://api.github.com/graphql', () =>
        HttpResponse.json({ data: { repository: { ref: null } } }),
      ),
      http.post(`${ORDERS_API}/git/refs`, async ({ request: sent }) => {
        pr.ref = await json(sent);
        return HttpResponse.json(
          { ref: pr.ref.ref, object: { sha: pr.ref.sha } },
          { status: 201 },
        );
      }),
      http.post(`${ORDERS_API}/pulls`, async ({ request: sent }) => {
        pr.pull = await json(sent);
        return HttpResponse.json(
          {
            number: 57,
            html_url: 'https://github.com/contoso/orders-api/pull/57',
            base: { ref: pr.pull.base },
          },
          { status: 201 },
        );
      }),
      http.all('https://*', ({ request: sent }) => {
        githubRequests.push(`unexpected ${sent.method} ${sent.url}`);
        return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      }),
    );
    githubRequests.length = 0;

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', AUTH)
      .send({
        templateRef: 'template:default/aks-baseline-fix-pr',
        values: {
          entity: 'component:default/orders-api',
          scopes: ['workload', 'object'],
        },
      });
    expect(created.status).toBe(201);
    const task = await finished(created.body.id);
    const events = await taskEvents(created.body.id);
    expect({
      status: task.status,
      unexpected: githubRequests.filter(r => r.startsWith('unexpected')),
    }).toEqual({
      status: 'completed',
      unexpected: [],
    });
    expect([...pr.tokens]).toEqual([`token ${GITHUB_TOKEN}`]);

    // The commit: the manifests' folder as fixed, on the repository's tree.
    expect(pr.tree.base_tree).toBe(BASE_TREE);
    const files: Record<string, string> = {};
    for (const entry of pr.tree.tree) {
      const blob = pr.blobs[Number(entry.sha.replace('blob-', ''))];
      files[entry.path] = Buffer.from(
        blob.content,
        blob.encoding as BufferEncoding,
      ).toString('utf8');
    }
    expect(Object.keys(files).sort()).toEqual([
      'deploy/k8s/api.yaml',
      'deploy/k8s/shop.yaml',
    ]);
    const original = (file: string) =>
      readFileSync(join(FIX_FIXTURE, file), 'utf8');
    // Edited, not re-serialised: comments and quoting kept.
    const shop = files['deploy/k8s/shop.yaml'];
    expect(shop).toContain('- name: web   # nginx serving the SPA\n');
    expect(shop).toContain(
      "image: 'contoso.azurecr.io/shop/storefront:2.14.1'\n        imagePullPolicy: IfNotPresent\n",
    );
    // Namespace rules were not asked for: the namespace's labels stay.
    expect(shop).toContain('pod-security.kubernetes.io/enforce: baseline\n');
    const api = files['deploy/k8s/api.yaml'];
    expect(api).toContain(
      '          image: contoso.azurecr.io/api:1.0.0\n          securityContext:\n',
    );
    expect(api).toContain('            allowPrivilegeEscalation: false\n');
    expect(parseAllDocuments(shop).every(d => d.errors.length === 0)).toBe(
      true,
    );

    // What the pull request changes raises the score, and fixes what it says.
    const options = {
      name: 'orders-api',
      namespace: 'shop',
      environment: 'production' as const,
      scopes: ['workload' as const, 'object' as const],
    };
    const before = scoreObjects(
      ['shop.yaml', 'api.yaml'].map(file => ({ file, text: original(file) })),
      options,
    );
    const after = scoreObjects(
      Object.entries(files).map(([file, text]) => ({ file, text })),
      options,
    );
    expect(after.score!).toBeGreaterThan(before.score!);

    // The branch and the pull request, its description the findings fixed with why.
    expect(pr.ref).toEqual({
      ref: 'refs/heads/aks-baseline-fixes-orders-api',
      sha: 'c0ffee0000000000000000000000000000000002',
    });
    expect(pr.commit).toMatchObject({
      message: 'AKS baseline: safe fixes for orders-api',
      tree: 'c0ffee0000000000000000000000000000000001',
      parents: [ORDERS_SHA],
    });
    expect(pr.pull).toMatchObject({
      title: 'AKS baseline: safe fixes for orders-api',
      head: 'contoso:aks-baseline-fixes-orders-api',
      base: 'main',
    });
    const body: string = pr.pull.body;
    expect(body).toContain('## Findings fixed');
    const escalation = RULE_CATALOG.find(
      r => r.id === 'container-no-privilege-escalation',
    )!;
    expect(body).toContain(
      [
        `### [${escalation.baselineRef}] ${escalation.title} (\`container-no-privilege-escalation\`)`,
        '',
        escalation.rationale,
        '',
        '- Deployment shop/api in `deploy/k8s/api.yaml`: Set allowPrivilegeEscalation: false on each offending container',
        '- Deployment shop/storefront in `deploy/k8s/shop.yaml`: Set allowPrivilegeEscalation: false on each offending container',
      ].join('\n'),
    );
    // What it could not do safely is said too.
    expect(body).toContain('## Fixes to adapt by hand');
    // Each rule the description says was fixed no longer fails after it.
    const fixedRules = [
      ...body.matchAll(/^### \[[^\]]+\] .* \(`([^`]+)`\)$/gm),
    ].map(m => m[1]);
    expect(fixedRules.length).toBeGreaterThan(1);
    const stillFailing = new Set(after.failing.map(f => f.ruleId));
    for (const ruleId of fixedRules) {
      expect(before.failing.map(f => f.ruleId)).toContain(ruleId);
      expect(stillFailing.has(ruleId)).toBe(false);
    }

    // The task's output links to the pull request GitHub answered with.
    const completion = events.find((e: any) => e.type === 'completion');
    expect(completion.body.output.links[0]).toEqual({
      title: 'Pull request',
      url: 'https://github.com/contoso/orders-api/pull/57',
    });
  }, 60_000);
});
