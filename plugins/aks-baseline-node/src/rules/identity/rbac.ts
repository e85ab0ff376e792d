/*
 * ID-08: cluster-admin is bound only to (specific) groups.
 *
 * What counts as cluster-admin: the `cluster-admin` ClusterRole, and any
 * Role or ClusterRole with a rule granting every verb (`*`) on every
 * resource (`*`) of every API group (`*`): cluster-admin in all but name
 * (within a namespace, for a RoleBinding). Both ClusterRoleBindings and
 * RoleBindings are judged: cluster-admin granted through a RoleBinding is
 * full control of that namespace, its Secrets and RoleBindings included.
 * A binding to a role that is not among the objects is unknown (manifest
 * scans, an unreadable role list) unless its name is a built-in role that
 * is not cluster-admin (`admin`, `edit`, `view`, `system:*`).
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
import {
  fail,
  notApplicable,
  notProvided,
  PASS,
  unknown,
} from '../../engine/outcomes';
import { KubeObject } from '../../engine/types';
import { CheckOutcome, ObjectRule, RuleContext } from '../../engine/rule';
import { optionalReads } from '../../engine/rule-parts';

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

const CLUSTER_ADMIN = 'cluster-admin';

/** Built-in roles that are not cluster-admin (bootstrap policy). */
function isBuiltInNonAdmin(name: string): boolean {
  return (
    name === 'admin' ||
    name === 'edit' ||
    name === 'view' ||
    name.startsWith('system:')
  );
}

function hasStar(list: unknown): boolean {
  return Array.isArray(list) && list.includes('*');
}

/** Every verb of a resource, written out instead of `*`. */
const RESOURCE_VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
];

/** `*`, or every resource verb written out (in any order). */
function grantsEveryVerb(verbs: unknown): boolean {
  if (!Array.isArray(verbs)) return false;
  if (verbs.includes('*')) return true;
  return RESOURCE_VERBS.every(v => verbs.includes(v));
}

/** The index of a rule granting every verb on every resource of every group, or -1. */
export function wildcardRuleIndex(role: KubeObject): number {
  const rules = (role as any).rules;
  if (!Array.isArray(rules)) return -1;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (
      r &&
      grantsEveryVerb(r.verbs) &&
      hasStar(r.resources) &&
      hasStar(r.apiGroups)
    ) {
      return i;
    }
  }
  return -1;
}

/** What a binding's role turned out to be. */
type Granted =
  | { admin: true; role?: KubeObject; ruleIndex?: number }
  | { admin: false; outcome: CheckOutcome };

const NOT_ADMIN = notApplicable('The role bound is not cluster-admin');

/** Whether a binding grants cluster-admin (by name or in all but name). */
function grantedRole(binding: KubeObject, ctx: RuleContext): Granted {
  const ref = (binding as any).roleRef;
  const kind = ref.kind;
  const name = ref.name;
  if (kind === 'ClusterRole' && name === CLUSTER_ADMIN) return { admin: true };
  if (kind !== 'ClusterRole' && kind !== 'Role') {
    return { admin: false, outcome: NOT_ADMIN };
  }
  // A RoleBinding's Role is in its namespace; ClusterRoles are cluster-wide.
  const namespace =
    kind === 'Role' ? binding.metadata.namespace || 'default' : '';
  const role = ctx.index.get(kind, namespace || undefined, name);
  if (role) {
    const ruleIndex = wildcardRuleIndex(role);
    return ruleIndex >= 0
      ? { admin: true, role, ruleIndex }
      : { admin: false, outcome: NOT_ADMIN };
  }
  if (kind === 'ClusterRole' && isBuiltInNonAdmin(name)) {
    return { admin: false, outcome: NOT_ADMIN };
  }
  switch (ctx.index.kindStatus(kind, namespace)) {
    case 'not-provided':
      return { admin: false, outcome: notProvided(kind, namespace) };
    case 'unreadable':
      return {
        admin: false,
        outcome: unknown(
          `${binding.kind} ${
            binding.metadata.name
          } binds ${kind} ${name}, whose rules could not be checked: ${ctx.index.kindReason(
            kind,
          )}`,
          [{ path: 'roleRef', value: { kind, name } }],
        ),
      };
    default:
      // Listed and not there: the binding grants nothing.
      return { admin: false, outcome: NOT_ADMIN };
  }
}

function describe(subject: any): string {
  if (subject.kind === 'ServiceAccount') {
    return `ServiceAccount ${subject.namespace ?? '?'}/${subject.name}`;
  }
  return `${subject.kind} ${subject.name}`;
}

export const clusterAdminBoundToGroupsOnly: ObjectRule = {
  id: 'cluster-admin-bound-to-groups-only',
  baselineRef: 'ID-08',
  category: 'identity',
  severity: 'critical',
  title:
    'cluster-admin (or a role granting every verb on every resource) is bound only to specific groups, never to users, service accounts or anonymous/all-authenticated groups',
  rationale:
    'cluster-admin bound to a user or service account bypasses group-based access reviews (a leaked token is full control of the cluster, or of the namespace for a RoleBinding); bound to system:anonymous, system:unauthenticated or system:authenticated, it gives the cluster away. A Role or ClusterRole with `*` verbs on `*` resources in `*` API groups is cluster-admin in all but name and is judged the same way.',
  remediation: {
    summary:
      'Bind cluster-admin only to an Entra ID admin group; give teams namespace-scoped RoleBindings to admin, edit or view, and service accounts narrowly scoped roles.',
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
  fixUnavailable:
    'Which Entra ID group should hold the role is an access decision, not something the binding says.',
  reads: optionalReads('Role', 'ClusterRole'),
  appliesTo: {
    kinds: ['ClusterRoleBinding', 'RoleBinding'],
    when: (binding: KubeObject) => {
      const ref = (binding as any).roleRef;
      return !!ref && typeof ref.name === 'string';
    },
  },
  check(binding: KubeObject, ctx) {
    const granted = grantedRole(binding, ctx);
    if (!granted.admin) return granted.outcome;
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
    const roleRef = (binding as any).roleRef;
    let what = CLUSTER_ADMIN;
    if (granted.role) {
      what = `${roleRef.kind} ${roleRef.name} (every verb on every resource: cluster-admin in all but name)`;
      evidence!.push({
        path: `${roleRef.kind}/${roleRef.name}.rules[${granted.ruleIndex}]`,
        value: (granted.role as any).rules[granted.ruleIndex!],
        expected: 'not * verbs on * resources in * API groups',
      });
    }
    const where =
      binding.kind === 'RoleBinding'
        ? ` in namespace ${binding.metadata.namespace || 'default'}`
        : '';
    return fail(
      `${binding.kind} ${
        binding.metadata.name
      } grants ${what}${where} to ${bad.join(', ')}`,
      evidence,
    );
  },
};

export const rbacRules = [clusterAdminBoundToGroupsOnly];
