/*
 * The one call in EvaluationService: each cluster evaluation is handed to
 * the notifier once it is stored, with the entities scored on it; a failed
 * evaluation is not.
 */
import * as path from 'path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ClusterSource,
  RULE_CATALOG,
  readSnapshotDirectory,
} from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from '../service/AksBaselineStore';
import { EvaluationService } from '../service/EvaluationService';
import { entityTarget } from '../entities/targets';
import { EvaluatedCluster } from './AksBaselineNotifier';

jest.setTimeout(60_000);

const FIXTURES = path.resolve(__dirname, '../__fixtures__/clusters');
const PROD = 'aks-dev-koreacentral';

describe('EvaluationService and notifications', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('hands each stored evaluation to the listener once, failures not', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await AksBaselineStore.create({
      database: mockServices.database({ knex }),
    });
    let broken = false;
    const source: ClusterSource = {
      name: PROD,
      kind: 'snapshot',
      async read() {
        if (broken) throw new Error('forbidden (403)');
        return readSnapshotDirectory(path.join(FIXTURES, PROD), PROD);
      },
    };
    const seen: Array<EvaluatedCluster & { storedAt?: string }> = [];
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const service = new EvaluationService({
      store,
      sources: [source],
      rules: RULE_CATALOG,
      readTargets: async () => [
        entityTarget({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'checkout-api',
            annotations: {
              'backstage.io/kubernetes-id': 'checkout-api',
            },
          },
          spec: { owner: 'team-payments' },
        })!,
      ],
      logger,
      clusterTimeoutMs: 5_000,
      concurrency: 1,
      notifications: {
        async evaluated(evaluation) {
          // Called after the result is stored.
          const stored = await store.getCluster(PROD);
          seen.push({ ...evaluation, storedAt: stored?.evaluatedAt });
        },
      },
    });

    await service.evaluateCluster(PROD);
    expect(seen).toHaveLength(1);
    expect(seen[0].cluster).toBe(PROD);
    expect(seen[0].storedAt).toBe(seen[0].evaluatedAt.toISOString());
    const checkout = seen[0].entityScores?.find(
      e => e.entityRef === 'component:default/checkout-api',
    );
    expect(checkout?.summary.score).toEqual(expect.any(Number));
    expect(checkout?.findings.length).toBeGreaterThan(0);

    broken = true;
    await service.evaluateCluster(PROD);
    expect(seen).toHaveLength(1);
  });
});
