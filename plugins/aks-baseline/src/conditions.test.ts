import { Entity } from '@backstage/catalog-model';
import {
  getAksBaselineClusterName,
  isAksBaselineAvailable,
  isAksBaselineCluster,
} from './conditions';

const entity = (
  annotations: Record<string, string>,
  kind = 'Component',
  type = 'service',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
  spec: { type },
});

describe('isAksBaselineAvailable', () => {
  it.each([
    ['backstage.io/kubernetes-id', 'checkout-api'],
    ['backstage.io/kubernetes-label-selector', 'app=checkout'],
    ['aks-baseline.io/cluster', 'aks-prod'],
  ])('is true with %s', (name, value) => {
    expect(isAksBaselineAvailable(entity({ [name]: value }))).toBe(true);
  });

  it('is false without them, or with blank values', () => {
    expect(isAksBaselineAvailable(entity({}))).toBe(false);
    expect(
      isAksBaselineAvailable(entity({ 'backstage.io/kubernetes-id': ' ' })),
    ).toBe(false);
    expect(
      isAksBaselineAvailable(
        entity({ 'backstage.io/kubernetes-namespace': 'payments' }),
      ),
    ).toBe(false);
  });
});

describe('cluster resources', () => {
  it('recognises Resource entities of type kubernetes-cluster', () => {
    expect(
      isAksBaselineCluster(entity({}, 'Resource', 'kubernetes-cluster')),
    ).toBe(true);
    expect(isAksBaselineCluster(entity({}, 'Resource', 'database'))).toBe(
      false,
    );
    expect(
      isAksBaselineCluster(entity({}, 'Component', 'kubernetes-cluster')),
    ).toBe(false);
  });

  it('names the cluster by annotation, else by entity name', () => {
    expect(
      getAksBaselineClusterName(
        entity({ 'aks-baseline.io/cluster': 'aks-prod' }, 'Resource'),
      ),
    ).toBe('aks-prod');
    expect(getAksBaselineClusterName(entity({}, 'Resource'))).toBe('x');
  });
});
