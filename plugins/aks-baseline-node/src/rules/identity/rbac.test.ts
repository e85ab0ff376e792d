import bindings from '../../__fixtures__/kubernetes/rbac-clusterrolebindings.json';
import rolesAndBindings from '../../__fixtures__/kubernetes/rbac-roles-and-rolebindings.json';
import { evaluate } from '../../engine/evaluate';
import {
  evaluateRule,
  evaluateRuleDetailed,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
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

describe('cluster-admin-bound-to-groups-only (ID-08): RoleBindings and roles that are cluster-admin in all but name', () => {
  const outcomes = evaluateRule(
    clusterAdminBoundToGroupsOnly,
    makeSnapshot({ objects: [rolesAndBindings] }),
  );

  it('fails cluster-admin granted through a RoleBinding', () => {
    expect(outcomeFor(outcomes, 'deployer-admin', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'RoleBinding deployer-admin grants cluster-admin in namespace shop to ServiceAccount shop/deployer',
    });
  });

  it('fails a ClusterRole with * verbs on * resources in * groups, bound by a ClusterRoleBinding', () => {
    expect(
      outcomeFor(
        outcomes,
        'platform-superuser',
        undefined,
        'ClusterRoleBinding',
      ),
    ).toMatchObject({
      status: 'fail',
      message:
        'ClusterRoleBinding platform-superuser grants ClusterRole platform-superuser (every verb on every resource: cluster-admin in all but name) to User bob@contoso.com',
      evidence: [
        { path: 'subjects[0]', expected: 'kind Group' },
        {
          path: 'ClusterRole/platform-superuser.rules[0]',
          value: { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        },
      ],
    });
  });

  it('fails a namespaced Role that is cluster-admin in all but name', () => {
    expect(outcomeFor(outcomes, 'ci-everything', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'RoleBinding ci-everything grants Role shop-everything (every verb on every resource: cluster-admin in all but name) in namespace shop to ServiceAccount ci/runner',
    });
  });

  it('fails a role that writes every verb out instead of *, in any order', () => {
    const role = (name: string, verbs: string[]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs }],
    });
    const binding = (name: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name,
      },
      subjects: [{ kind: 'User', name: 'carol@contoso.com' }],
    });
    const spelled = evaluateRule(
      clusterAdminBoundToGroupsOnly,
      makeSnapshot({
        objects: [
          role('all-verbs', [
            'patch',
            'delete',
            'get',
            'list',
            'watch',
            'create',
            'update',
          ]),
          binding('all-verbs'),
          role('read-write-no-delete', [
            'get',
            'list',
            'watch',
            'create',
            'update',
            'patch',
          ]),
          binding('read-write-no-delete'),
        ],
      }),
    );
    expect(
      outcomeFor(spelled, 'all-verbs', undefined, 'ClusterRoleBinding'),
    ).toMatchObject({
      status: 'fail',
      message:
        'ClusterRoleBinding all-verbs grants ClusterRole all-verbs (every verb on every resource: cluster-admin in all but name) to User carol@contoso.com',
    });
    expect(
      outcomeFor(
        spelled,
        'read-write-no-delete',
        undefined,
        'ClusterRoleBinding',
      ).status,
    ).toBe('not-applicable');
  });

  it('leaves narrower roles alone and accepts a specific group', () => {
    expect(outcomeFor(outcomes, 'team-edit', 'shop').status).toBe(
      'not-applicable',
    );
    expect(outcomeFor(outcomes, 'oncall-pod-reader').status).toBe(
      'not-applicable',
    );
    expect(outcomeFor(outcomes, 'shop-admins', 'shop').status).toBe('pass');
  });

  it('is unknown for a binding whose custom role could not be read or is not among the manifests', () => {
    const withoutRoles = (rolesAndBindings as any).items.filter(
      (o: any) => o.kind !== 'ClusterRole' && o.kind !== 'Role',
    );
    const unreadable = evaluateRule(
      clusterAdminBoundToGroupsOnly,
      makeSnapshot({
        objects: withoutRoles,
        coverage: { unreadable: { ClusterRole: 'forbidden (403)' } },
      }),
    );
    expect(outcomeFor(unreadable, 'platform-superuser')).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('forbidden (403)'),
    });
    // A built-in role name is known not to be cluster-admin.
    expect(outcomeFor(unreadable, 'team-edit', 'shop').status).toBe(
      'not-applicable',
    );
    const manifests = evaluateRule(
      clusterAdminBoundToGroupsOnly,
      makeSnapshot({ objects: withoutRoles, coverage: { mode: 'manifests' } }),
    );
    expect(outcomeFor(manifests, 'platform-superuser')).toMatchObject({
      status: 'unknown',
      notProvided: { kind: 'ClusterRole', namespace: '' },
    });
    expect(outcomeFor(manifests, 'ci-everything', 'shop')).toMatchObject({
      status: 'unknown',
      notProvided: { kind: 'Role', namespace: 'shop' },
    });
    expect(outcomeFor(manifests, 'deployer-admin', 'shop').status).toBe('fail');
  });

  it('says so when ClusterRoleBindings cannot be listed, and still judges the RoleBindings', () => {
    const snapshot = makeSnapshot({
      managedCluster: { name: 'aks-prod' },
      objects: (rolesAndBindings as any).items.filter(
        (o: any) => o.kind !== 'ClusterRoleBinding',
      ),
      coverage: {
        unreadable: {
          ClusterRoleBinding:
            'forbidden (403): the identity cannot list clusterrolebindings.rbac.authorization.k8s.io',
        },
      },
    });
    const detailed = evaluateRuleDetailed(
      clusterAdminBoundToGroupsOnly,
      snapshot,
    );
    expect(detailed.unlistedSubjects).toBe(
      'ClusterRoleBinding objects could not be read: forbidden (403): the identity cannot list clusterrolebindings.rbac.authorization.k8s.io. This rule could not be checked on them.',
    );
    expect(outcomeFor(detailed.outcomes, 'deployer-admin').status).toBe('fail');
    // Before: the failures vanished and nothing said why.
    const result = evaluate(snapshot, {
      rules: [clusterAdminBoundToGroupsOnly],
    });
    expect(result.findings.map(f => [f.resource.kind, f.status])).toEqual([
      ['ManagedCluster', 'unknown'],
      ['RoleBinding', 'fail'],
      ['RoleBinding', 'fail'],
    ]);
    expect(result.summary.totals.unknown).toBe(1);
  });
});
