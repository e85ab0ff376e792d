import bindings from '../../__fixtures__/kubernetes/rbac-clusterrolebindings.json';
import { evaluateRule, makeSnapshot, outcomeFor } from '../../testing';
import { clusterAdminBoundToGroupsOnly } from './rbac';

describe('cluster-admin-bound-to-groups-only (ID-08)', () => {
  const outcomes = evaluateRule(
    clusterAdminBoundToGroupsOnly,
    makeSnapshot({ objects: [bindings] }),
  );

  it('passes the built-in system:masters binding and AAD admin groups', () => {
    expect(outcomeFor(outcomes, 'cluster-admin').status).toBe('pass');
    expect(outcomeFor(outcomes, 'aks-cluster-admin-binding-aad').status).toBe(
      'pass',
    );
    expect(outcomeFor(outcomes, 'aad-cluster-admin').status).toBe('pass');
  });

  it("passes AKS's managed local-account binding (CL-07 covers it)", () => {
    expect(outcomeFor(outcomes, 'aks-cluster-admin-binding').status).toBe(
      'pass',
    );
  });

  it('fails service accounts and users', () => {
    expect(outcomeFor(outcomes, 'app-cluster-admin-binding')).toMatchObject({
      status: 'fail',
      message:
        'ClusterRoleBinding app-cluster-admin-binding grants cluster-admin to ServiceAccount ci/deployer, User alice@contoso.com',
      evidence: [
        {
          path: 'subjects[0]',
          value: { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' },
          expected: 'kind Group',
        },
        {
          path: 'subjects[1]',
          value: { kind: 'User', name: 'alice@contoso.com' },
        },
      ],
    });
  });

  it('fails anonymous and unauthenticated subjects', () => {
    expect(outcomeFor(outcomes, 'anonymous-admin')).toMatchObject({
      status: 'fail',
      message:
        'ClusterRoleBinding anonymous-admin grants cluster-admin to Group system:unauthenticated, User system:anonymous',
      evidence: [
        {
          path: 'subjects[0]',
          expected:
            'a specific group, not system:anonymous/unauthenticated/authenticated',
        },
        { path: 'subjects[1]' },
      ],
    });
  });

  it('flags a user added to the AKS-managed binding', () => {
    const tampered = JSON.parse(JSON.stringify(bindings.items[1]));
    tampered.subjects.push({ kind: 'User', name: 'mallory@contoso.com' });
    const [outcome] = evaluateRule(
      clusterAdminBoundToGroupsOnly,
      makeSnapshot({ objects: [tampered] }),
    );
    expect(outcome).toMatchObject({
      status: 'fail',
      message:
        'ClusterRoleBinding aks-cluster-admin-binding grants cluster-admin to User mallory@contoso.com',
    });
  });

  it('does not apply to other roles, passes a binding without subjects', () => {
    expect(outcomeFor(outcomes, 'system:public-info-viewer').status).toBe(
      'not-applicable',
    );
    expect(outcomeFor(outcomes, 'empty-admin').status).toBe('pass');
  });
});
