import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { entityTarget, readEntityTargets } from './targets';

function component(
  name: string,
  annotations: Record<string, string>,
  extra: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
    ...extra,
  };
}

describe('entityTarget', () => {
  it('matches by Kubernetes id, limited by namespace and cluster', () => {
    expect(
      entityTarget(
        component('checkout-api', {
          'backstage.io/kubernetes-id': 'checkout-api',
          'backstage.io/kubernetes-namespace': 'payments',
          'backstage.io/kubernetes-cluster': 'aks-prod',
        }),
      ),
    ).toEqual({
      entityRef: 'component:default/checkout-api',
      owner: 'group:default/team-payments',
      workloads: {
        selector: {
          matchLabels: { 'backstage.io/kubernetes-id': 'checkout-api' },
          matchExpressions: [],
        },
        namespace: 'payments',
        cluster: 'aks-prod',
      },
    });
  });

  it('prefers the label selector over the id, like the Kubernetes plugin', () => {
    const target = entityTarget(
      component('payments-worker', {
        'backstage.io/kubernetes-id': 'ignored',
        'backstage.io/kubernetes-label-selector':
          'app.kubernetes.io/name=payments-worker',
      }),
    );
    expect(target?.workloads?.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'payments-worker',
    });
  });

  it('takes the owner from the ownedBy relation first', () => {
    const target = entityTarget(
      component(
        'x',
        { 'backstage.io/kubernetes-id': 'x' },
        {
          relations: [{ type: 'ownedBy', targetRef: 'group:platform/sre' }],
        },
      ),
    );
    expect(target?.owner).toBe('group:platform/sre');
  });

  it('maps a cluster Resource by its aks-baseline annotation', () => {
    expect(
      entityTarget({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'aks-prod-westeurope',
          annotations: { 'aks-baseline.io/cluster': 'aks-prod-westeurope' },
        },
        spec: { type: 'kubernetes-cluster', owner: 'user:default/ops' },
      }),
    ).toEqual({
      entityRef: 'resource:default/aks-prod-westeurope',
      owner: 'user:default/ops',
      clusterName: 'aks-prod-westeurope',
    });
  });

  it('reports a bad selector and ignores entities without annotations', () => {
    const target = entityTarget(
      component('bad', { 'backstage.io/kubernetes-label-selector': 'a in b' }),
    );
    expect(target?.workloads).toBeUndefined();
    expect(target?.problem).toMatch(/Invalid label selector/);
    expect(entityTarget(component('plain', {}))).toBeUndefined();
  });

  it('never reads a blank selector as one that selects everything', () => {
    expect(
      entityTarget(
        component('blank', { 'backstage.io/kubernetes-label-selector': ' ' }),
      ),
    ).toBeUndefined();
  });
});

describe('readEntityTargets', () => {
  it('reads annotated entities page by page with service credentials', async () => {
    const entities = [
      component('a', { 'backstage.io/kubernetes-id': 'a' }),
      component('b', { 'backstage.io/kubernetes-label-selector': 'app=b' }),
      component('c', {}),
      component('d', { 'backstage.io/kubernetes-id': 'd' }),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'cl',
          annotations: { 'aks-baseline.io/cluster': 'cl' },
        },
        spec: { type: 'kubernetes-cluster' },
      },
    ];
    const catalog = catalogServiceMock({ entities });
    const stream = jest.spyOn(catalog, 'streamEntities');
    const auth = mockServices.auth();
    const targets = await readEntityTargets({
      catalog,
      auth,
      logger: mockServices.logger.mock(),
      pageSize: 2,
    });
    expect(targets.map(t => t.entityRef).sort()).toEqual([
      'component:default/a',
      'component:default/b',
      'component:default/d',
      'resource:default/cl',
    ]);
    expect(stream).toHaveBeenCalledWith(
      expect.objectContaining({ pageSize: 2 }),
      { credentials: expect.anything() },
    );
  });
});
