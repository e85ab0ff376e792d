import serviceAccounts from '../../__fixtures__/kubernetes/serviceaccounts-workload-identity.json';
import workloads from '../../__fixtures__/kubernetes/workload-identity-workloads.json';
import {
  evaluateRule,
  evaluateRuleDetailed,
  kubeObject,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
import {
  clientIdNotSharedAcrossNamespaces,
  namespacesByClientId,
  workloadIdentityDedicatedServiceAccount,
  workloadIdentityServiceAccount,
  workloadNoPodIdentity,
} from './workload-identity';

const snapshot = makeSnapshot({ objects: [serviceAccounts, workloads] });
const CID_A = '6f0f3c5e-94a2-4d1b-8a57-2f4a0c1d9e11';

describe('workload-no-pod-managed-identity (ID-02)', () => {
  const outcomes = evaluateRule(workloadNoPodIdentity, snapshot);

  it('passes workloads without the aadpodidbinding label', () => {
    expect(outcomeFor(outcomes, 'cart', 'shop').status).toBe('pass');
    expect(outcomeFor(outcomes, 'no-wi', 'payments').status).toBe('pass');
  });

  it('fails a pod template labelled aadpodidbinding', () => {
    expect(outcomeFor(outcomes, 'pod-identity', 'payments')).toMatchObject({
      status: 'fail',
      message:
        'Deployment pod-identity uses legacy pod-managed identity (label aadpodidbinding=payments-identity)',
      evidence: [
        {
          path: 'spec.template.metadata.labels["aadpodidbinding"]',
          value: 'payments-identity',
        },
      ],
    });
  });
});

describe('workload-identity-service-account-annotated (ID-03)', () => {
  const outcomes = evaluateRule(workloadIdentityServiceAccount, snapshot);

  it('passes a workload whose ServiceAccount carries the client id', () => {
    expect(outcomeFor(outcomes, 'cart', 'shop').status).toBe('pass');
    expect(outcomeFor(outcomes, 'myapp', 'shop', 'Pod').status).toBe('pass');
  });

  it('fails when the ServiceAccount does not exist', () => {
    expect(outcomeFor(outcomes, 'missing-sa', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'Deployment missing-sa uses Workload Identity but its ServiceAccount does-not-exist does not exist in namespace shop',
      evidence: [
        {
          path: 'spec.template.spec.serviceAccountName',
          value: 'does-not-exist',
        },
        { path: 'ServiceAccount/shop/does-not-exist', value: undefined },
      ],
    });
  });

  it('fails when the ServiceAccount has no client-id annotation', () => {
    expect(outcomeFor(outcomes, 'unannotated', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'Deployment unannotated uses Workload Identity but ServiceAccount unannotated-sa has no azure.workload.identity/client-id annotation',
      evidence: [
        {
          path: 'ServiceAccount/shop/unannotated-sa.metadata.annotations["azure.workload.identity/client-id"]',
          value: undefined,
        },
      ],
    });
  });

  it('checks the default ServiceAccount when none is named', () => {
    expect(outcomeFor(outcomes, 'on-default', 'payments')).toMatchObject({
      status: 'fail',
      message:
        'Deployment on-default uses Workload Identity but ServiceAccount default has no azure.workload.identity/client-id annotation',
    });
  });

  it('does not apply to workloads without the Workload Identity label', () => {
    expect(outcomeFor(outcomes, 'no-wi', 'payments').status).toBe(
      'not-applicable',
    );
  });

  it('is unknown on a manifest scan without ServiceAccounts in the namespace', () => {
    // The fixture holds workloads only (their ServiceAccounts live elsewhere).
    const result = evaluateRule(
      workloadIdentityServiceAccount,
      makeSnapshot({ objects: [workloads], coverage: { mode: 'manifests' } }),
    );
    expect(outcomeFor(result, 'cart', 'shop')).toMatchObject({
      status: 'unknown',
      message:
        'No ServiceAccount objects in namespace shop are among the manifests: the cluster may hold some, so their absence is not evidence',
      notProvided: { kind: 'ServiceAccount', namespace: 'shop' },
    });
  });

  it('is unknown when ServiceAccounts are unreadable', () => {
    const result = evaluateRule(
      workloadIdentityServiceAccount,
      makeSnapshot({
        objects: [workloads],
        coverage: { unreadable: { ServiceAccount: '403 Forbidden' } },
      }),
    );
    expect(outcomeFor(result, 'cart', 'shop').status).toBe('unknown');
  });
});

describe('workload-identity-client-id-not-shared (ID-04)', () => {
  const result = evaluateRuleDetailed(
    clientIdNotSharedAcrossNamespaces,
    snapshot,
  );
  const outcomes = result.outcomes;

  it('maps client ids to namespaces once, case-insensitively', () => {
    const map = namespacesByClientId(result.index);
    expect(map.get(CID_A)).toEqual(['kube-system', 'orders', 'shop']);
    expect(namespacesByClientId(result.index)).toBe(map);
  });

  it('fails a client id used in several namespaces, listing them', () => {
    expect(outcomeFor(outcomes, 'workload-identity-sa', 'shop')).toMatchObject({
      status: 'fail',
      message: `ServiceAccount workload-identity-sa's client id ${CID_A} is also used by ServiceAccounts in other namespaces (3 namespaces: kube-system, orders, shop)`,
      evidence: [
        {
          path: 'metadata.annotations["azure.workload.identity/client-id"]',
          value: CID_A,
        },
        {
          path: `ServiceAccount[annotations["azure.workload.identity/client-id"]=${CID_A}].metadata.namespace`,
          value: ['kube-system', 'orders', 'shop'],
        },
      ],
    });
    expect(outcomeFor(outcomes, 'orders-sa', 'orders').status).toBe('fail');
  });

  it('passes a client id shared by ServiceAccounts of one namespace', () => {
    expect(outcomeFor(outcomes, 'payments-sa', 'payments').status).toBe('pass');
    expect(outcomeFor(outcomes, 'refunds-sa', 'payments').status).toBe('pass');
  });

  it('does not apply to ServiceAccounts without a client id', () => {
    expect(outcomeFor(outcomes, 'default', 'shop').status).toBe(
      'not-applicable',
    );
  });

  it('leaves system namespaces out of the subjects', () => {
    expect(() => outcomeFor(outcomes, 'addon-sa', 'kube-system')).toThrow();
  });
});

describe('workload-identity-dedicated-service-account (ID-04)', () => {
  const outcomes = evaluateRule(
    workloadIdentityDedicatedServiceAccount,
    snapshot,
  );

  it('passes a dedicated ServiceAccount', () => {
    expect(outcomeFor(outcomes, 'cart', 'shop').status).toBe('pass');
  });

  it('fails Workload Identity on the implicit default ServiceAccount', () => {
    expect(outcomeFor(outcomes, 'on-default', 'payments')).toMatchObject({
      status: 'fail',
      message:
        "Deployment on-default uses Workload Identity as the namespace's default ServiceAccount (no serviceAccountName)",
      evidence: [
        { path: 'spec.template.spec.serviceAccountName', value: undefined },
      ],
    });
  });

  it('fails an explicit serviceAccountName: default', () => {
    const pod = kubeObject(
      'Pod',
      'explicit',
      'shop',
      {
        serviceAccountName: 'default',
        containers: [{ name: 'c', image: 'x' }],
      },
      { labels: { 'azure.workload.identity/use': 'true' } },
    );
    const [outcome] = evaluateRule(
      workloadIdentityDedicatedServiceAccount,
      makeSnapshot({ objects: [pod] }),
    );
    expect(outcome).toMatchObject({
      status: 'fail',
      message:
        "Pod explicit uses Workload Identity as the namespace's default ServiceAccount",
      evidence: [{ path: 'spec.serviceAccountName', value: 'default' }],
    });
  });
});
