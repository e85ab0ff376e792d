import services from '../../__fixtures__/kubernetes/services-loadbalancers.json';
import { evaluateRule, makeSnapshot, outcomeFor } from '../../testUtils';
import { serviceInternalLoadBalancer } from './services';

describe('service-internal-load-balancer (NW-05)', () => {
  const outcomes = evaluateRule(
    serviceInternalLoadBalancer,
    makeSnapshot({ objects: [services] }),
  );

  it('passes an internal load balancer', () => {
    expect(outcomeFor(outcomes, 'internal-app', 'shop').status).toBe('pass');
  });

  it('passes a public load balancer marked aks-baseline.io/public', () => {
    expect(
      outcomeFor(outcomes, 'ingress-nginx-controller', 'ingress-nginx').status,
    ).toBe('pass');
  });

  it('fails a public load balancer without the internal annotation', () => {
    expect(outcomeFor(outcomes, 'public-api', 'shop')).toEqual(
      expect.objectContaining({
        status: 'fail',
        message:
          'Service public-api is of type LoadBalancer without service.beta.kubernetes.io/azure-load-balancer-internal: "true": it gets a public IP',
        evidence: [
          {
            path: 'metadata.annotations["service.beta.kubernetes.io/azure-load-balancer-internal"]',
            value: undefined,
            expected:
              '"true" (or aks-baseline.io/public: "true" when public on purpose)',
          },
        ],
      }),
    );
  });

  it('fails an internal annotation set to "false"', () => {
    expect(outcomeFor(outcomes, 'reporting', 'orders')).toMatchObject({
      status: 'fail',
      evidence: [{ value: 'false' }],
    });
  });

  it('does not apply to ClusterIP services', () => {
    expect(outcomeFor(outcomes, 'cart', 'shop').status).toBe('not-applicable');
  });
});
