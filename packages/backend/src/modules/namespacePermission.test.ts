/*
 * aks-baseline.namespace.create through the real permission framework: the
 * permission backend with the demo policy, the catalog with the demo
 * organisation and the HAS_MEMBER rule, and the scaffolder with the AKS
 * Baseline actions. The policy's conditions are applied by the catalog to
 * the owner entity; the template's platform page follows the parameter
 * permission. No cluster is contacted (dry-runs only).
 */
import { aksBaselineNamespaceCreatePermission } from '@aks-baseline/plugin-aks-baseline-common';
import scaffolderModuleAksBaseline, {
  catalogModuleAksBaselinePermissionRules,
} from '@aks-baseline/plugin-scaffolder-backend-module-aks-baseline';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleGithub from '@backstage/plugin-scaffolder-backend-module-github';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import permissionPolicyModule, { PLATFORM_TEAM_REF } from './permissionPolicy';
import { authFactory, userInfoFactory } from './__testUtils__/testServices';

const ROOT = join(__dirname, '../../../..');
const CLIENT_ID = '5f0c9a52-8d0b-4a57-9a7e-3b8a1c2d4e6f';
const GROUP_ID = '0b7c8e2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c';

/** Group memberships of examples/org.yaml, as the sign-in resolver issues them. */
const MEMBER_OF: Record<string, string> = {
  'user:default/jisoo.kim': 'group:default/team-payments',
  'user:default/sara.park': 'group:default/team-storefront',
  'user:default/daniel.choi': PLATFORM_TEAM_REF,
};

describe('aks-baseline.namespace.create with the demo policy', () => {
  let baseUrl: string;

  const call = (path: string, user: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        authorization: mockCredentials.user.header(user),
      },
    });

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        catalogModuleAksBaselinePermissionRules,
        permissionPlugin,
        permissionPolicyModule,
        scaffolderPlugin,
        scaffolderModuleGithub,
        scaffolderModuleAksBaseline,
        userInfoFactory(
          Object.fromEntries(
            Object.entries(MEMBER_OF).map(([user, group]) => [user, [group]]),
          ),
        ),
        authFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            integrations: {
              github: [{ host: 'github.com', token: 'dry-run-only' }],
            },
            catalog: {
              rules: [{ allow: ['User', 'Group', 'Template', 'Location'] }],
              locations: [
                { type: 'file', target: join(ROOT, 'examples/org.yaml') },
                {
                  type: 'file',
                  target: join(ROOT, 'templates/aks-namespace/template.yaml'),
                },
              ],
            },
            aksBaseline: {
              scaffolder: {
                clusters: [
                  {
                    name: 'aks-dev-koreacentral',
                    url: 'https://aks-dev-koreacentral.hcp.koreacentral.azmk8s.io',
                    auth: { serviceAccountToken: 'never-used' },
                    environments: ['non-production'],
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    baseUrl = `http://localhost:${port}`;

    // The catalog has processed and stitched the organisation and template.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const group = await call(
        '/api/catalog/entities/by-name/group/default/team-payments',
        'user:default/jisoo.kim',
      );
      const template = await call(
        '/api/catalog/entities/by-name/template/default/aks-namespace',
        'user:default/jisoo.kim',
      );
      const relations = group.ok ? (await group.json()).relations ?? [] : [];
      if (template.ok && relations.some((r: any) => r.type === 'hasMember')) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `catalog never got ready: ${group.status} ${await group.text()}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }, 90_000);

  it('uses the memberships of examples/org.yaml', async () => {
    for (const [user, group] of Object.entries(MEMBER_OF)) {
      const res = await call(
        `/api/catalog/entities/by-name/user/default/${user.split('/')[1]}`,
        user,
      );
      const relations = (await res.json()).relations;
      expect(relations).toContainEqual({ type: 'memberOf', targetRef: group });
    }
  });

  async function decide(user: string, owner: string) {
    const res = await call('/api/permission/authorize', user, {
      method: 'POST',
      body: JSON.stringify({
        items: [
          {
            id: '1',
            permission: aksBaselineNamespaceCreatePermission,
            resourceRef: owner,
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    return (await res.json()).items[0].result;
  }

  it.each([
    ['user:default/jisoo.kim', 'group:default/team-payments', 'ALLOW'],
    ['user:default/sara.park', 'group:default/team-payments', 'DENY'],
    ['user:default/jisoo.kim', PLATFORM_TEAM_REF, 'DENY'],
    ['user:default/daniel.choi', 'group:default/team-storefront', 'ALLOW'],
    ['user:default/sara.park', 'group:default/team-ghost', 'DENY'],
  ])('%s on %s: %s', async (user, owner, expected) => {
    expect(await decide(user, owner)).toBe(expected);
  });

  async function dryRun(user: string, owner: string) {
    // The template as the catalog read it from templates/aks-namespace.
    const template = await (
      await call(
        '/api/catalog/entities/by-name/template/default/aks-namespace',
        user,
      )
    ).json();
    return call('/api/scaffolder/v2/dry-run', user, {
      method: 'POST',
      body: JSON.stringify({
        template,
        values: {
          namespace: 'payments-dev',
          owner,
          environment: 'non-production',
          cluster: 'aks-dev-koreacentral',
          size: 'small',
          clientId: CLIENT_ID,
          teamGroup: GROUP_ID,
        },
        directoryContents: [],
      }),
    });
  }

  it("refuses another team's dry-run and runs the owner's", async () => {
    const refused = await dryRun(
      'user:default/sara.park',
      'group:default/team-payments',
    );
    expect(JSON.stringify(await refused.json())).toContain(
      'Sara Park (user:default/sara.park) may not create or change namespace payments-dev on cluster aks-dev-koreacentral for group:default/team-payments: the permission policy does not grant them aks-baseline.namespace.create on group:default/team-payments.',
    );

    const allowed = await dryRun(
      'user:default/jisoo.kim',
      'group:default/team-payments',
    );
    expect(allowed.status).toBe(200);
    expect((await allowed.json()).output.text[0].title).toBe(
      'Namespace payments-dev on aks-dev-koreacentral',
    );
  }, 30_000);

  it('shows the any-team page of the namespace template to the platform team only', async () => {
    const pages = async (user: string) => {
      const res = await call(
        '/api/scaffolder/v2/templates/default/template/aks-namespace/parameter-schema',
        user,
      );
      expect(res.status).toBe(200);
      return (await res.json()).steps.map((s: any) => s.title);
    };
    expect(await pages('user:default/sara.park')).not.toContain('Another team');
    expect(await pages('user:default/daniel.choi')).toEqual([
      'Namespace',
      'Another team',
      'Identity and access',
      'Catalog',
    ]);
  });
});
