/*
 * NW-03 and NW-04: default-deny ingress per namespace, and workloads
 * reachable only through explicit allow policies. Kubernetes NetworkPolicy
 * semantics, precisely:
 * - `policyTypes` absent (or empty) defaults to `["Ingress"]`, plus
 *   `"Egress"` when the policy has egress rules: such a policy isolates the
 *   selected pods for ingress.
 * - A pod is isolated for ingress once any policy with type Ingress selects
 *   it; it then accepts only what the union of those policies' ingress rules
 *   allow. No policy selecting it: it accepts everything.
 * - `ingress: []` (or absent) allows nothing; `ingress: [{}]` allows all.
 * CiliumNetworkPolicy / Calico policies are not read (see the checklist:
 * NW-03/04 are about Kubernetes NetworkPolicy, which every engine enforces).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { isEmptySelector } from '../../engine/labels';
import { fail, notProvided, PASS, unknown } from '../../engine/outcomes';
import { KubeObject, NamespaceView, WorkloadView } from '../../engine/types';
import { NamespaceRule, WorkloadRule } from '../../engine/rule';
import { optionalReads } from '../../engine/rule-parts';
import { targetOf, unusedName } from '../shared/fixes';

/** Whether a policy (its spec) restricts ingress, with the API's defaulting. */
export function affectsIngress(spec: any): boolean {
  if (!spec || typeof spec !== 'object') return false;
  const types = spec.policyTypes;
  // Defaulted by the API server: Ingress is always among the defaulted types.
  if (!Array.isArray(types) || types.length === 0) return true;
  for (let i = 0; i < types.length; i++)
    if (types[i] === 'Ingress') return true;
  return false;
}

/** Whether a policy has at least one ingress rule (an allow). */
export function hasIngressRules(spec: any): boolean {
  const rules = spec?.ingress;
  return Array.isArray(rules) && rules.length > 0;
}

/**
 * A default-deny ingress policy: selects every pod (`podSelector: {}`; a
 * missing selector reads as `{}`), isolates for ingress, allows nothing.
 */
export function isDefaultDenyIngress(policy: KubeObject): boolean {
  const spec = policy.spec;
  if (!spec || typeof spec !== 'object') return false;
  const selector = spec.podSelector;
  if (
    selector !== undefined &&
    selector !== null &&
    !isEmptySelector(selector)
  ) {
    return false;
  }
  return affectsIngress(spec) && !hasIngressRules(spec);
}

/** Names listed in evidence; a namespace may hold hundreds of policies. */
const MAX_LISTED_NAMES = 10;

/** The names listed for each namespace's list of objects. */
const NAMES = new WeakMap<readonly KubeObject[], readonly string[]>();

/**
 * Object names for evidence, at most {@link MAX_LISTED_NAMES} and then how
 * many more (every failing workload of a namespace carries the list).
 */
function policyNames(policies: readonly KubeObject[]): readonly string[] {
  // The index hands out one list per namespace: its names are shared.
  let names = NAMES.get(policies);
  if (!names) {
    names = listedNames(policies);
    NAMES.set(policies, names);
  }
  return names;
}

/**
 * {@link policyNames} of a list made for one workload (the policies or
 * Services selecting it): not remembered, since no other finding shares it.
 */
function listedNames(objects: readonly KubeObject[]): readonly string[] {
  const listed = Math.min(objects.length, MAX_LISTED_NAMES);
  const out: string[] = [];
  for (let i = 0; i < listed; i++) out.push(objects[i].metadata.name);
  if (objects.length > listed) {
    out.push(`… and ${objects.length - listed} more`);
  }
  return Object.freeze(out);
}

/** `spec.template.metadata.labels` for a template, `metadata.labels` for a Pod. */
export function podLabelsPath(workload: WorkloadView): string {
  const p = workload.podSpecPath;
  return p === 'spec' ? 'metadata.labels' : `${p.slice(0, -5)}.metadata.labels`;
}

const DENY_ALL_SNIPPET = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all-ingress
  namespace: production
spec:
  podSelector: {}
  policyTypes:
  - Ingress`;

const ALLOW_SNIPPET = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend-to-backend
  namespace: production
spec:
  podSelector:
    matchLabels:
      app: backend
  policyTypes:
  - Ingress
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: frontend
    ports:
    - protocol: TCP
      port: 8080`;

export const namespaceDefaultDenyIngress: NamespaceRule = {
  id: 'namespace-default-deny-ingress',
  baselineRef: 'NW-03',
  category: 'networking',
  severity: 'high',
  title: 'Namespace has a default-deny ingress NetworkPolicy',
  rationale:
    'Without a default-deny policy every pod accepts traffic from every other pod in the cluster; a compromised pod can reach all of them.',
  remediation: {
    summary:
      'Apply a NetworkPolicy that selects every pod (`podSelector: {}`) with `policyTypes: [Ingress]` and no ingress rules, then allow what each workload needs.',
    snippet: DENY_ALL_SNIPPET,
  },
  scope: 'namespace',
  source: 'kubernetes',
  reads: ['NetworkPolicy'],
  check(ns: NamespaceView, ctx) {
    const policies = ctx.index.inNamespace(ns.name, 'NetworkPolicy');
    for (let i = 0; i < policies.length; i++) {
      if (isDefaultDenyIngress(policies[i])) return PASS;
    }
    const evidence: Evidence[] = [
      {
        path: `NetworkPolicy[namespace=${ns.name}]`,
        value: policyNames(policies),
        expected:
          'a NetworkPolicy with podSelector {}, Ingress in policyTypes (or policyTypes absent) and no ingress rules',
      },
    ];
    return fail(
      policies.length === 0
        ? `Namespace ${ns.name} has no NetworkPolicy: every pod in it accepts traffic from any pod in the cluster`
        : `None of the ${policies.length} NetworkPolicies in namespace ${ns.name} is a default-deny ingress policy (podSelector {}, Ingress, no ingress rules)`,
      evidence,
    );
  },
  // Safe alone; with Services in the namespace their clients need allow
  // policies first, or the default deny cuts them off.
  fix(ns, _evidence, ctx) {
    const services = ctx.index.inNamespace(ns.name, 'Service');
    return {
      kind: 'create',
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: unusedName(
            ctx,
            'NetworkPolicy',
            ns.name,
            'default-deny-ingress',
          ),
          namespace: ns.name,
        },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
      ...(ns.object ? { besides: targetOf(ns.object) } : {}),
      summary: `Add a default-deny ingress NetworkPolicy to namespace ${ns.name}`,
      ...(services.length > 0
        ? {
            adapt: `Services ${policyNames(services).join(
              ', ',
            )} send traffic to pods here: add a NetworkPolicy allowing their clients with it, or they are cut off`,
          }
        : {}),
    };
  },
};

export const workloadIngressExplicitlyAllowed: WorkloadRule = {
  id: 'workload-ingress-explicitly-allowed',
  baselineRef: 'NW-04',
  category: 'networking',
  severity: 'medium',
  title:
    'Workload is isolated for ingress and reachable only through explicit allow policies',
  rationale:
    'A pod that no ingress policy selects accepts traffic from anywhere in the cluster; a pod behind a Service in a default-deny namespace with no allow policy is unreachable.',
  remediation: {
    summary:
      'Isolate the namespace with a default-deny ingress policy and add a NetworkPolicy selecting the workload that allows only its clients.',
    snippet: ALLOW_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  // Services matter only for an isolated workload no policy allows: the
  // check judges their absence there (optional), so that a missing Service
  // list never hides a workload no policy isolates.
  reads: ['NetworkPolicy', ...optionalReads('Service')],
  // NetworkPolicy does not apply to host-network pods (PS-07 flags those).
  appliesTo: { when: w => !(w.podSpec && w.podSpec.hostNetwork === true) },
  fixUnavailable:
    "Which clients may reach the workload, and on which ports, is the application's design: the remediation's allow policy is the shape to fill in.",
  check(w: WorkloadView, ctx) {
    const inNamespace = ctx.index.inNamespace(w.namespace, 'NetworkPolicy');
    if (inNamespace.length === 0) {
      return fail(
        `Namespace ${w.namespace} has no NetworkPolicy: ${w.kind} ${w.name} accepts traffic from every pod in the cluster`,
        [
          {
            path: `NetworkPolicy[namespace=${w.namespace}]`,
            value: [],
            expected:
              'a default-deny ingress policy and an allow policy selecting the pod labels',
          },
        ],
      );
    }
    const selecting = ctx.index.networkPoliciesSelecting(w);
    let isolated = false;
    for (let i = 0; i < selecting.length; i++) {
      const spec = selecting[i].spec;
      if (!affectsIngress(spec)) continue;
      if (hasIngressRules(spec)) return PASS;
      isolated = true;
    }
    if (!isolated) {
      return fail(
        `No ingress NetworkPolicy selects ${w.kind} ${w.name}: it accepts traffic from every pod in the cluster`,
        [
          { path: podLabelsPath(w), value: w.podMeta.labels },
          {
            path: `NetworkPolicy[namespace=${w.namespace}]`,
            value: policyNames(inNamespace),
            expected:
              'a policy with Ingress in policyTypes whose podSelector matches the pod labels',
          },
        ],
      );
    }
    // Isolated and nothing allowed: fine for a pod nobody should call,
    // broken for one a Service sends traffic to.
    const serviceStatus = ctx.index.kindStatus('Service', w.namespace);
    if (serviceStatus === 'not-provided') {
      return notProvided('Service', w.namespace);
    }
    if (serviceStatus === 'unreadable') {
      return unknown(
        `No NetworkPolicy allows traffic to ${w.kind} ${
          w.name
        }, and whether a Service sends it traffic cannot be told: ${ctx.index.kindReason(
          'Service',
        )}`,
      );
    }
    const services = ctx.index.servicesSelecting(w);
    if (services.length === 0) return PASS;
    const serviceNames = listedNames(services);
    return fail(
      `Service ${serviceNames.join(', ')} targets ${w.kind} ${
        w.name
      }, but the namespace denies ingress by default and no NetworkPolicy allows traffic to it: it is unreachable`,
      [
        { path: podLabelsPath(w), value: w.podMeta.labels },
        {
          path: `NetworkPolicy[namespace=${w.namespace}]`,
          value: listedNames(selecting),
          expected:
            'a policy selecting the pod labels with at least one ingress rule',
        },
        {
          path: `Service[namespace=${w.namespace}]`,
          value: serviceNames,
        },
      ],
    );
  },
};

export const networkPolicyRules = [
  namespaceDefaultDenyIngress,
  workloadIngressExplicitlyAllowed,
];
