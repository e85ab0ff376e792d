/*
 * ID-08: cluster-admin is bound only to (specific) groups.
 *
 * What AKS itself ships, and how it is judged:
 * - `cluster-admin` → Group `system:masters` (Kubernetes bootstrap policy):
 *   a group, passes.
 * - `aks-cluster-admin-binding-aad` → the AAD admin group object ids:
 *   groups, passes.
 * - `aks-cluster-admin-binding` (label `addonmanager.kubernetes.io/mode:
 *   Reconcile`) → Users `clusterAdmin` and `clusterUser`, the local accounts
 *   behind `az aks get-credentials`. The add-on manager restores it, so it
 *   cannot be fixed here; disabling local accounts is CL-07. Those two users
 *   in that managed binding are not flagged; anything else added to it is.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject, RuleDefinition } from '../../engine/types';

/** Groups every (or every anonymous) caller belongs to. */
const BROAD_GROUPS: ReadonlySet<string> = new Set([
  'system:anonymous',
  'system:unauthenticated',
  'system:authenticated',
]);

const AKS_LOCAL_BINDING = 'aks-cluster-admin-binding';
const AKS_LOCAL_USERS: ReadonlySet<string> = new Set([
  'clusterAdmin',
  'clusterUser',
]);
const ADDON_MANAGER_LABEL = 'addonmanager.kubernetes.io/mode';

function isAksManagedLocalAccount(binding: KubeObject, subject: any): boolean {
  return (
    binding.metadata.name === AKS_LOCAL_BINDING &&
    binding.metadata.labels?.[ADDON_MANAGER_LABEL] === 'Reconcile' &&
    subject.kind === 'User' &&
    AKS_LOCAL_USERS.has(subject.name)
  );
}

/** Whether one subject of a cluster-admin binding is acceptable. */
export function isAcceptableClusterAdminSubject(
  binding: KubeObject,
  subject: any,
): boolean {
  if (!subject || typeof subject !== 'object') return true;
  if (subject.kind === 'Group') return !BROAD_GROUPS.has(subject.name);
  return isAksManagedLocalAccount(binding, subject);
}

function describe(subject: any): string {
  if (subject.kind === 'ServiceAccount') {
    return `ServiceAccount ${subject.namespace ?? '?'}/${subject.name}`;
  }
  return `${subject.kind} ${subject.name}`;
}

export const clusterAdminBoundToGroupsOnly: RuleDefinition<'object'> = {
  id: 'cluster-admin-bound-to-groups-only',
  baselineRef: 'ID-08',
  category: 'identity',
  severity: 'critical',
  title:
    'cluster-admin is bound only to specific groups, never to users, service accounts or anonymous/all-authenticated groups',
  rationale:
    'cluster-admin bound to a user or service account bypasses group-based access reviews (a leaked token is full control of the cluster); bound to system:anonymous, system:unauthenticated or system:authenticated, it gives the cluster away.',
  remediation: {
    summary:
      'Bind cluster-admin only to an Entra ID admin group; give teams namespace-scoped RoleBindings, and service accounts narrowly scoped roles.',
    snippet: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: aad-cluster-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" # AAD Group ID
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: dev-team-reader
  namespace: development
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy" # Dev Team AAD Group`,
  },
  scope: 'object',
  source: 'kubernetes',
  kinds: ['ClusterRoleBinding'],
  appliesTo: (binding: KubeObject) => {
    const ref = (binding as any).roleRef;
    return !!ref && ref.kind === 'ClusterRole' && ref.name === 'cluster-admin';
  },
  check(binding: KubeObject) {
    const subjects = (binding as any).subjects;
    if (!Array.isArray(subjects)) return PASS;
    let bad: string[] | undefined;
    let evidence: Evidence[] | undefined;
    for (let i = 0; i < subjects.length; i++) {
      const s = subjects[i];
      if (isAcceptableClusterAdminSubject(binding, s)) continue;
      (bad ??= []).push(describe(s));
      (evidence ??= []).push({
        path: `subjects[${i}]`,
        value: { kind: s.kind, name: s.name, namespace: s.namespace },
        expected:
          s.kind === 'Group'
            ? 'a specific group, not system:anonymous/unauthenticated/authenticated'
            : 'kind Group',
      });
    }
    if (!bad) return PASS;
    return fail(
      `ClusterRoleBinding ${
        binding.metadata.name
      } grants cluster-admin to ${bad.join(', ')}`,
      evidence,
    );
  },
};

export const rbacRules = [clusterAdminBoundToGroupsOnly];
