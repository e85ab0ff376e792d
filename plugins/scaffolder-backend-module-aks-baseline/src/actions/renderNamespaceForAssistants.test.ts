/*
 * The render for AI assistants through the actions service (HTTP to the
 * scaffolder plugin's actions endpoint, as the MCP actions backend calls
 * it): the manifests the render action writes, returned and never applied.
 */
import { parseAllDocuments } from 'yaml';
import {
  createBackendPlugin,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  actionsServiceRef,
  type ActionsService,
} from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import scaffolderModuleAksBaseline from '..';
import {
  CLIENT_ID,
  GROUP_ID,
  scaffolderConfig,
  testSettings,
} from '../__testUtils__/settings';
import { prepareNamespace } from './prepare';

const ID = 'scaffolder:aks-baseline-render-namespace';
const INPUT = {
  cluster: 'aks-prod-westeurope',
  namespace: 'payments',
  owner: 'group:default/team-payments',
  environment: 'production',
  quota: 'medium',
  workloadIdentity: { clientId: CLIENT_ID },
  teamGroup: GROUP_ID,
};

describe('aks-baseline-render-namespace (actions registry)', () => {
  let actions: ActionsService;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // The scaffolder plugin's actions extension point, and nothing else of it.
    const scaffolder = createBackendPlugin({
      pluginId: 'scaffolder',
      register(env) {
        env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
          addActions() {},
        });
        env.registerInit({ deps: {}, async init() {} });
      },
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
    const backend = await startTestBackend({
      features: [
        scaffolder,
        scaffolderModuleAksBaseline,
        probe,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { actions: { pluginSources: ['scaffolder'] } },
            aksBaseline: { scaffolder: scaffolderConfig() },
          },
        }),
      ],
    });
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const user: BackstageCredentials = mockCredentials.user('user:default/alice');

  it('is listed read-only and idempotent', async () => {
    const listed = (await actions.list({ credentials: user })).actions;
    const render = listed.find(a => a.id === ID);
    expect(render?.attributes).toEqual({
      readOnly: true,
      idempotent: true,
      destructive: false,
    });
    expect(Object.keys(render!.schema.input.properties!)).toEqual(
      expect.arrayContaining(['cluster', 'namespace', 'owner', 'environment']),
    );
  });

  it('returns the manifests the render action writes, compliant', async () => {
    const { output } = (await actions.invoke({
      id: ID,
      input: INPUT,
      credentials: user,
    })) as { output: any };
    const expected = prepareNamespace(INPUT as any, testSettings());
    expect(output.manifests).toBe(expected.yaml);
    expect(output.score).toBe(expected.score.score);
    const docs = parseAllDocuments(output.manifests).map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual(
      output.objects.map((o: any) => o.kind),
    );
    expect(docs.map(d => d.kind)).toEqual(
      expect.arrayContaining([
        'Namespace',
        'ResourceQuota',
        'LimitRange',
        'NetworkPolicy',
      ]),
    );
    expect(output).toMatchObject({
      cluster: 'aks-prod-westeurope',
      namespace: 'payments',
    });
  });

  it('refuses a cluster that is not configured, naming it', async () => {
    let failure: ResponseError | undefined;
    try {
      await actions.invoke({
        id: ID,
        input: { ...INPUT, cluster: 'https://evil.example.com' },
        credentials: user,
      });
    } catch (error) {
      failure = error as ResponseError;
    }
    expect(failure?.body.error.message).toMatch(/evil\.example\.com/);
  });
});
