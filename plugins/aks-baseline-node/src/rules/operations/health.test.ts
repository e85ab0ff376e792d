import nodes from '../../__fixtures__/kubernetes/nodes-health.json';
import pods from '../../__fixtures__/kubernetes/pods-health.json';
import pvcs from '../../__fixtures__/kubernetes/pvcs-health.json';
import { KubeObject } from '../../engine/types';
import { evaluateRule, kubeObject, makeSnapshot } from '../../testUtils';
import { clusterDailyHealth, MAX_HEALTH_EVIDENCE } from './health';

// DEFAULT_TEST_NOW is 2026-01-15T00:00:00Z.
describe('cluster-daily-health (OP-05)', () => {
  it('passes a healthy cluster', () => {
    const healthy = makeSnapshot({
      objects: [
        { kind: 'List', items: nodes.items.slice(0, 2) },
        { kind: 'List', items: pods.items.slice(0, 2) },
        { kind: 'List', items: pvcs.items.slice(0, 1) },
      ],
    });
    expect(evaluateRule(clusterDailyHealth, healthy)[0].status).toBe('pass');
  });

  it('lists NotReady nodes, stuck pods and unbound claims', () => {
    const [o] = evaluateRule(
      clusterDailyHealth,
      makeSnapshot({ objects: [nodes, pods, pvcs] }),
    );
    expect(o).toEqual(
      expect.objectContaining({
        status: 'fail',
        message:
          'Cluster health: 1 of 3 nodes not Ready, 4 pods stuck, 2 PVCs not Bound',
        evidence: [
          {
            path: 'Node/aks-apppool-31847261-vmss000002.status.conditions[3].status',
            value: 'Unknown (NodeStatusUnknown)',
            expected: 'Ready=True',
          },
          {
            path: 'Pod/shop/backend-7d4b5c8f9x-9hjzq.status.containerStatuses[0].state.waiting.reason',
            value: 'CrashLoopBackOff',
            expected: 'container backend running',
          },
          {
            path: 'Pod/kube-system/coredns-6f8b8d5b7c-xv2lp.status.containerStatuses[0].state.waiting.reason',
            value: 'ImagePullBackOff',
            expected: 'container coredns running',
          },
          {
            path: 'Pod/orders/report-5f6d7c8b9a-abcde.status.phase',
            value: 'Pending',
            expected:
              'Running within 15 minutes of creation (created 2026-01-14T23:10:00Z)',
          },
          {
            path: 'Pod/orders/api-7c9d8e6f5b-evict.status.phase',
            value: 'Failed (Evicted)',
            expected: 'Running or Succeeded',
          },
          {
            path: 'PersistentVolumeClaim/shop/data-redis-1.status.phase',
            value: 'Pending',
            expected: 'Bound',
          },
          {
            path: 'PersistentVolumeClaim/orders/archive.status.phase',
            value: 'Lost',
            expected: 'Bound',
          },
        ],
      }),
    );
  });

  it('caps the evidence at 20 entries with a count', () => {
    const many: KubeObject[] = [];
    for (let i = 0; i < 45; i++) {
      many.push(
        kubeObject(
          'Pod',
          `failed-${i}`,
          'batch',
          {},
          {
            status: { phase: 'Failed', reason: 'Error' },
          },
        ),
      );
    }
    const [o] = evaluateRule(
      clusterDailyHealth,
      makeSnapshot({ objects: many }),
    );
    expect(o.message).toBe('Cluster health: 45 pods stuck');
    expect(o.evidence).toHaveLength(MAX_HEALTH_EVIDENCE + 1);
    expect(o.evidence![MAX_HEALTH_EVIDENCE]).toEqual({
      path: '…',
      value: 25,
      expected: 'more problems not listed (45 in all)',
    });
  });

  it('is unknown when pods are unreadable', () => {
    const [o] = evaluateRule(
      clusterDailyHealth,
      makeSnapshot({
        objects: [nodes],
        coverage: { unreadable: { Pod: '403 Forbidden' } },
      }),
    );
    expect(o).toMatchObject({
      status: 'unknown',
      message: 'Pod objects could not be read: 403 Forbidden',
    });
  });
});
