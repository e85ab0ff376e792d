/*
 * The contract with the catalog module: a `kubernetes-namespace` Resource as
 * it emits one is scored on the objects of that namespace on that cluster,
 * and does not stand for the cluster.
 */
import request from 'supertest';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';
import {
  DEV,
  PROD,
  startAksBaselineTestBackend,
  TEST_ENTITIES,
  waitForEvaluationOfAll,
} from '../../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';

/** What the catalog module emits for the namespace payments on PROD. */
const NAMESPACE_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `payments.${PROD}`,
    namespace: 'default',
    annotations: {
      'aks-baseline.io/namespace': 'payments',
      'backstage.io/kubernetes-namespace': 'payments',
      'backstage.io/kubernetes-cluster': PROD,
      'backstage.io/kubernetes-label-selector': '!aks-baseline.io/exclude',
    },
  },
  spec: {
    type: 'kubernetes-namespace',
    owner: 'group:default/team-payments',
    dependsOn: [`resource:default/${PROD}`],
  },
};

describe('a kubernetes-namespace Resource of the catalog module', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('is scored on every object of its namespace on its cluster', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startAksBaselineTestBackend({
      knex,
      entities: [...TEST_ENTITIES, NAMESPACE_ENTITY],
    });
    try {
      await request(backend.server).post(`${API}/evaluations`).send({});
      await waitForEvaluationOfAll(backend);
      const res = await request(backend.server).get(
        `${API}/entities/default/resource/payments.${PROD}/score`,
      );
      expect(res.status).toBe(200);
      const score: EntityScoreResponse = res.body;
      expect(score.owner).toBe('group:default/team-payments');
      expect(score.clusters.map(c => c.cluster)).toEqual([PROD]);
      const resources = score.clusters[0].resources;
      expect(resources).toEqual(
        expect.arrayContaining([
          { kind: 'Namespace', name: 'payments' },
          expect.objectContaining({
            kind: 'Deployment',
            namespace: 'payments',
          }),
        ]),
      );
      // Only that namespace: no cluster-level subject, nothing elsewhere.
      expect(
        resources.filter(
          r => r.kind !== 'Namespace' && r.namespace !== 'payments',
        ),
      ).toEqual([]);
      expect(resources.some(r => r.kind === 'ManagedCluster')).toBe(false);
      expect(score.clusters.some(c => c.cluster === DEV)).toBe(false);
    } finally {
      await backend.cleanup();
    }
  });
});
