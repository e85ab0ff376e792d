import policies from '../../__fixtures__/kubernetes/networkpolicies-list.json';
import workloads from '../../__fixtures__/kubernetes/networkpolicies-workloads.json';
import {
  deployment,
  evaluateRule,
  kubeObject,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
import {
  affectsIngress,
  isDefaultDenyIngress,
  namespaceDefaultDenyIngress,
  workloadIngressExplicitlyAllowed,
} from './network-policies';

const snapshot = makeSnapshot({ objects: [policies, workloads] });

describe('NetworkPolicy semantics', () => {
  it('defaults policyTypes to Ingress when absent or empty', () => {
    expect(affectsIngress({ podSelector: {} })).toBe(true);
    expect(affectsIngress({ podSelector: {}, policyTypes: [] })).toBe(true);
    expect(affectsIngress({ podSelector: {}, egress: [{}] })).toBe(true);
    expect(affectsIngress({ policyTypes: ['Egress'] })).toBe(false);
    expect(affectsIngress({ policyTypes: ['Egress', 'Ingress'] })).toBe(true);
  });

  it('recognises default-deny ingress policies', () => {
    const np = (spec: unknown) => kubeObject('NetworkPolicy', 'p', 'ns', spec);
    expect(isDefaultDenyIngress(np({ podSelector: {} }))).toBe(true);
    expect(
      isDefaultDenyIngress(
        np({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      ),
    ).toBe(true);
    expect(
      isDefaultDenyIngress(
        np({
          podSelector: { matchLabels: {} },
          policyTypes: ['Ingress'],
          ingress: [],
        }),
      ),
    ).toBe(true);
    // Allows everything: one empty rule.
    expect(isDefaultDenyIngress(np({ podSelector: {}, ingress: [{}] }))).toBe(
      false,
    );
    // Selects some pods only.
    expect(
      isDefaultDenyIngress(np({ podSelector: { matchLabels: { app: 'x' } } })),
    ).toBe(false);
    expect(
      isDefaultDenyIngress(np({ podSelector: {}, policyTypes: ['Egress'] })),
    ).toBe(false);
  });
});

describe('namespace-default-deny-ingress (NW-03)', () => {
  const outcomes = evaluateRule(namespaceDefaultDenyIngress, snapshot);

  it('passes with an explicit or defaulted default-deny policy', () => {
    expect(outcomeFor(outcomes, 'shop').status).toBe('pass');
    // `default-deny` in orders has no policyTypes: defaulted to Ingress.
    expect(outcomeFor(outcomes, 'orders').status).toBe('pass');
  });

  it('fails a namespace with egress-only or allow-all policies', () => {
    expect(outcomeFor(outcomes, 'legacy')).toMatchObject({
      status: 'fail',
      message:
        'None of the 1 NetworkPolicies in namespace legacy is a default-deny ingress policy (podSelector {}, Ingress, no ingress rules)',
      evidence: [
        { path: 'NetworkPolicy[namespace=legacy]', value: ['restrict-egress'] },
      ],
    });
    expect(outcomeFor(outcomes, 'catalog')).toMatchObject({
      status: 'fail',
      evidence: [{ value: ['allow-all-ingress'] }],
    });
  });

  it('fails a namespace without any policy', () => {
    expect(outcomeFor(outcomes, 'open')).toMatchObject({
      status: 'fail',
      message:
        'Namespace open has no NetworkPolicy: every pod in it accepts traffic from any pod in the cluster',
      evidence: [{ path: 'NetworkPolicy[namespace=open]', value: [] }],
    });
  });

  it('is unknown when NetworkPolicies could not be read', () => {
    const unreadable = evaluateRule(
      namespaceDefaultDenyIngress,
      makeSnapshot({
        objects: [workloads],
        coverage: { unreadable: { NetworkPolicy: '403 Forbidden' } },
      }),
    );
    expect(outcomeFor(unreadable, 'shop')).toMatchObject({
      status: 'unknown',
      message: 'NetworkPolicy objects could not be read: 403 Forbidden',
    });
  });
});

describe('workload-ingress-explicitly-allowed (NW-04)', () => {
  const outcomes = evaluateRule(workloadIngressExplicitlyAllowed, snapshot);

  it('passes workloads isolated and selected by an allow policy', () => {
    expect(outcomeFor(outcomes, 'frontend', 'shop').status).toBe('pass');
    expect(outcomeFor(outcomes, 'backend', 'shop').status).toBe('pass');
    // Explicit allow-all is still an explicit policy.
    expect(outcomeFor(outcomes, 'search', 'catalog').status).toBe('pass');
  });

  it('passes an isolated workload no Service targets', () => {
    expect(outcomeFor(outcomes, 'worker', 'shop').status).toBe('pass');
  });

  it('fails an isolated workload a Service targets but nothing allows', () => {
    expect(outcomeFor(outcomes, 'api', 'orders')).toMatchObject({
      status: 'fail',
      message:
        'Service api targets Deployment api, but the namespace denies ingress by default and no NetworkPolicy allows traffic to it: it is unreachable',
      evidence: [
        { path: 'spec.template.metadata.labels', value: { app: 'api' } },
        { path: 'NetworkPolicy[namespace=orders]', value: ['default-deny'] },
        { path: 'Service[namespace=orders]', value: ['api'] },
      ],
    });
  });

  it('fails a workload no ingress policy selects (egress-only namespace)', () => {
    expect(outcomeFor(outcomes, 'web', 'legacy')).toMatchObject({
      status: 'fail',
      message:
        'No ingress NetworkPolicy selects Deployment web: it accepts traffic from every pod in the cluster',
      evidence: [
        { path: 'spec.template.metadata.labels', value: { app: 'web' } },
        { path: 'NetworkPolicy[namespace=legacy]', value: ['restrict-egress'] },
      ],
    });
  });

  it('fails a workload in a namespace without policies', () => {
    expect(outcomeFor(outcomes, 'web', 'open')).toMatchObject({
      status: 'fail',
      message:
        'Namespace open has no NetworkPolicy: Deployment web accepts traffic from every pod in the cluster',
      evidence: [{ path: 'NetworkPolicy[namespace=open]', value: [] }],
    });
  });

  it("lists at most ten of a large namespace's policies in evidence", () => {
    const many = Array.from({ length: 14 }, (_, i) =>
      kubeObject('NetworkPolicy', `allow-app-${i}`, 'big', {
        podSelector: { matchLabels: { app: `app-${i}` } },
        ingress: [{}],
      }),
    );
    const big = evaluateRule(
      workloadIngressExplicitlyAllowed,
      makeSnapshot({ objects: [...many, deployment('web', 'big')] }),
    );
    expect(outcomeFor(big, 'web', 'big')).toMatchObject({
      status: 'fail',
      evidence: [
        { path: 'spec.template.metadata.labels', value: { app: 'web' } },
        {
          path: 'NetworkPolicy[namespace=big]',
          value: [
            ...many.slice(0, 10).map(p => p.metadata.name),
            '… and 4 more',
          ],
        },
      ],
    });
  });

  it('does not apply to host-network pods', () => {
    expect(outcomeFor(outcomes, 'node-exporter-like', 'open').status).toBe(
      'not-applicable',
    );
  });

  it('uses metadata.labels as evidence path for a bare Pod', () => {
    const pod = kubeObject(
      'Pod',
      'debug',
      'legacy',
      { containers: [{ name: 'c', image: 'x' }] },
      { labels: { run: 'debug' } },
    );
    const result = evaluateRule(
      workloadIngressExplicitlyAllowed,
      makeSnapshot({ objects: [policies, pod] }),
    );
    expect(outcomeFor(result, 'debug', 'legacy').evidence?.[0]).toEqual({
      path: 'metadata.labels',
      value: { run: 'debug' },
    });
  });

  it('is unknown when Services could not be read, only where they decide', () => {
    const result = evaluateRule(
      workloadIngressExplicitlyAllowed,
      makeSnapshot({
        objects: [
          policies,
          deployment('api', 'orders'),
          deployment('web', 'legacy'),
        ],
        coverage: { unreadable: { Service: 'timeout' } },
      }),
    );
    // Isolated and allowed nothing: a Service would make it unreachable.
    expect(outcomeFor(result, 'api', 'orders')).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('Service objects could not be read'),
    });
    // Not isolated at all: Services do not matter.
    expect(outcomeFor(result, 'web', 'legacy').status).toBe('fail');
  });
});

describe('workload-ingress-explicitly-allowed (NW-04) on manifests', () => {
  const manifests = (objects: any[]) =>
    evaluateRule(
      workloadIngressExplicitlyAllowed,
      makeSnapshot({ objects, coverage: { mode: 'manifests' } }),
    );
  const egressOnly = kubeObject('NetworkPolicy', 'restrict-egress', 'legacy', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{}],
  });

  it("is judged from the policies of the workload's namespace, with no Service in the input", () => {
    // Before: not-applicable whenever no Service was among the manifests.
    const o = outcomeFor(
      manifests([egressOnly, deployment('web', 'legacy')]),
      'web',
      'legacy',
    );
    expect(o).toMatchObject({
      status: 'fail',
      message:
        'No ingress NetworkPolicy selects Deployment web: it accepts traffic from every pod in the cluster',
    });
  });

  it('is unknown, and stays so, when the namespace has no policy among the manifests', () => {
    const alone = manifests([deployment('web', 'shop')]);
    expect(outcomeFor(alone, 'web', 'shop')).toMatchObject({
      status: 'unknown',
      notProvided: { kind: 'NetworkPolicy', namespace: 'shop' },
    });
    // Policies (and a PDB) of another namespace change nothing here.
    const withOthers = manifests([
      deployment('web', 'shop'),
      egressOnly,
      kubeObject('PodDisruptionBudget', 'api', 'legacy', {
        maxUnavailable: 1,
        selector: { matchLabels: { app: 'api' } },
      }),
    ]);
    expect(outcomeFor(withOthers, 'web', 'shop')).toEqual(
      outcomeFor(alone, 'web', 'shop'),
    );
  });

  it('asks for Services only for an isolated workload no policy allows', () => {
    const denyAll = kubeObject('NetworkPolicy', 'default-deny', 'orders', {
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    const api = deployment('api', 'orders');
    expect(
      outcomeFor(manifests([denyAll, api]), 'api', 'orders'),
    ).toMatchObject({
      status: 'unknown',
      notProvided: { kind: 'Service', namespace: 'orders' },
    });
    const service = kubeObject('Service', 'api', 'orders', {
      selector: { app: 'api' },
      ports: [{ port: 80 }],
    });
    expect(
      outcomeFor(manifests([denyAll, api, service]), 'api', 'orders').status,
    ).toBe('fail');
    const other = kubeObject('Service', 'other', 'orders', {
      selector: { app: 'other' },
    });
    expect(
      outcomeFor(manifests([denyAll, api, other]), 'api', 'orders').status,
    ).toBe('pass');
  });
});
