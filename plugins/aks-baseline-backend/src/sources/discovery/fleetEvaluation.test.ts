/*
 * Discovered clusters through the evaluation service and the store: a
 * cluster that leaves the fleet leaves the current results, and its score
 * history goes on under the same name when it comes back.
 */
import {
  mockServices,
  registerMswTestHooks,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import { RULE_CATALOG } from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from '../../service/AksBaselineStore';
import { EvaluationService } from '../../service/EvaluationService';
import {
  exampleArmCluster,
  fakeArm,
  fakeEntra,
  fakeJwt,
} from '../__testUtils__/fakeAzure';
import { fakeArmList, listedCluster } from '../__testUtils__/fakeArmList';
import { capturingLogger, TEST_TUNING } from '../__testUtils__/helpers';
import { createClusterFleet } from './createClusterFleet';

jest.setTimeout(120_000);

const server = setupServer();
registerMswTestHooks(server);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ARM_TOKEN = fakeJwt('https://management.azure.com');
const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';

function armCluster(subscriptionId: string, rg: string, name: string) {
  const c = exampleArmCluster({
    subscriptionId,
    resourceGroup: rg,
    clusterName: name,
  });
  c.cluster.id = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  c.cluster.name = name;
  return c;
}

describe('discovered clusters evaluated', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'leave the results when gone and keep their history when back, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const entra = fakeEntra({
        tenantId: TENANT,
        armToken: ARM_TOKEN,
        aksToken: fakeJwt('aks'),
      });
      const arm = fakeArm({
        armToken: ARM_TOKEN,
        clusters: [
          armCluster(SUB_A, 'rg-a', 'aks-a'),
          armCluster(SUB_B, 'rg-b', 'aks-b'),
        ],
      });
      const listed = {
        [SUB_A]: [listedCluster(SUB_A, 'rg-a', 'aks-a')],
        [SUB_B]: [listedCluster(SUB_B, 'rg-b', 'aks-b')],
      };
      const list = fakeArmList({
        armToken: ARM_TOKEN,
        subscriptions: listed,
        pageSize: 10,
      });
      server.use(...entra.handlers, ...list.handlers, ...arm.handlers);

      const { logger } = capturingLogger();
      const config: JsonObject = {
        aksBaseline: {
          includeKubernetesPluginClusters: false,
          discovery: {
            azure: {
              subscriptions: [SUB_A, SUB_B],
              tenantId: TENANT,
              clientId: '3f1c9d2e-5b7a-4c11-9e0d-6a8b2f4c7d90',
              clientSecret: 'fake-secret-for-discovery-0123456789',
              kubernetes: { enabled: false },
            },
          },
        },
      };
      const fleet = createClusterFleet(
        mockServices.rootConfig({ data: config }),
        logger,
        { tuning: TEST_TUNING },
      );
      const store = await AksBaselineStore.create({
        database: mockServices.database({ knex }),
      });
      const service = new EvaluationService({
        store,
        sources: fleet,
        rules: RULE_CATALOG,
        readTargets: async () => [],
        logger,
        clusterTimeoutMs: 30_000,
        concurrency: 2,
      });
      const pass = async () => {
        await fleet.refresh();
        return service.evaluateAll();
      };

      const first = await pass();
      expect(first.map(o => [o.cluster, o.status])).toEqual([
        ['aks-a', 'success'],
        ['aks-b', 'success'],
      ]);
      const stored = await store.listClusters();
      expect(stored.map(c => c.name)).toEqual(['aks-a', 'aks-b']);
      // Evaluated on ARM alone, and saying so.
      expect(stored[0].unreadableKinds?.map(k => k.kind)).toContain(
        'Deployment',
      );
      expect(stored[0].unreadableKinds?.[0].reason).toMatch(
        /discovery\.azure\.kubernetes\.enabled is false/,
      );

      listed[SUB_B] = [];
      expect((await pass()).map(o => o.cluster)).toEqual(['aks-a']);
      expect((await store.listClusters()).map(c => c.name)).toEqual(['aks-a']);
      expect(await store.getClusterHistory('aks-b', 10)).toHaveLength(1);

      listed[SUB_B] = [listedCluster(SUB_B, 'rg-b', 'aks-b')];
      expect((await pass()).map(o => o.cluster)).toEqual(['aks-a', 'aks-b']);
      expect((await store.listClusters()).map(c => c.name)).toEqual([
        'aks-a',
        'aks-b',
      ]);
      expect(await store.getClusterHistory('aks-b', 10)).toHaveLength(2);
    },
  );
});
