/*
 * CL-01, Kubernetes side: objects written in an apiVersion the API server
 * no longer serves (or never served for their kind). The readers keep them
 * and the other rules judge them by kind, since the fields the rules read
 * have the same shape in the removed versions; these rules say that the
 * cluster will refuse the object as written. Every removal listed in
 * engine/api-versions.ts predates the oldest Kubernetes minor AKS supports,
 * so a removed version is refused by every cluster the baseline is about.
 * Evaluated on manifest scans only: what a cluster returns is served.
 */
import {
  apiVersionStatus,
  isServedApiVersion,
} from '../../engine/api-versions';
import { KNOWN_KINDS, WORKLOAD_KINDS } from '../../engine/kinds';
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject, WorkloadView } from '../../engine/types';
import { CheckOutcome, ObjectRule, WorkloadRule } from '../../engine/rule';

function servedCheck(object: KubeObject): CheckOutcome {
  const status = apiVersionStatus(object.kind, object.apiVersion);
  // appliesTo.when keeps served objects out (not applicable to them).
  if (status.served) return PASS;
  const what = `${object.kind} ${object.metadata.name}`;
  const why =
    status.removedIn !== undefined
      ? `which Kubernetes stopped serving in ${status.removedIn}`
      : `which no Kubernetes version serves for a ${object.kind}`;
  return fail(
    `${what} is written in apiVersion ${object.apiVersion}, ${why}: the API server refuses it as written (the other checks still judged it by its kind). Use ${status.replacement}.`,
    [
      {
        path: 'apiVersion',
        value: object.apiVersion,
        expected: status.replacement,
      },
    ],
  );
}

/**
 * A cluster serves what it holds in the versions it serves (and a dump of
 * it too): only hand-written manifests can be in a removed one.
 */
const MANIFESTS_ONLY = ['manifests'] as const;

const REMEDIATION = {
  summary:
    'Rewrite the object in the served apiVersion (kubectl convert, or edit apiVersion and the fields that changed): e.g. apps/v1 for Deployments, DaemonSets, ReplicaSets and StatefulSets (spec.selector becomes required), batch/v1 for CronJobs, policy/v1 for PodDisruptionBudgets, networking.k8s.io/v1 for Ingresses (backend.service.name/port), autoscaling/v2 for HorizontalPodAutoscalers, rbac.authorization.k8s.io/v1 for RBAC objects.',
  command: 'kubectl convert -f deployment.yaml --output-version apps/v1',
};

const RATIONALE =
  'An object in a removed apiVersion (extensions/v1beta1, apps/v1beta2, batch/v1beta1, policy/v1beta1, networking.k8s.io/v1beta1, autoscaling/v2beta2, ...) or in one its kind never had (apiVersion: v1 for a Deployment) is refused by the API server: the manifest does not deploy, and a cluster upgrade stalls on it. Its other findings describe what it would be in the served version.';

export const workloadApiVersionServed: WorkloadRule = {
  id: 'workload-api-version-served',
  baselineRef: 'CL-01',
  category: 'cluster',
  severity: 'high',
  title:
    'Workloads are written in an apiVersion the supported Kubernetes versions serve',
  rationale: RATIONALE,
  remediation: REMEDIATION,
  scope: 'workload',
  source: 'kubernetes',
  fixUnavailable:
    'Moving to a served apiVersion can change required fields (apps/v1 requires spec.selector, and the selector must match the pods already running): kubectl convert rewrites the manifest, and the result must be reviewed.',
  appliesTo: {
    modes: MANIFESTS_ONLY,
    when: (w: WorkloadView) => !isServedApiVersion(w.kind, w.object.apiVersion),
  },
  check: (w: WorkloadView) => servedCheck(w.object),
};

/**
 * Built-in kinds besides the workloads (CRD kinds serve what their CRD
 * says); Nodes are the cluster's own, never written by hand.
 */
const OBJECT_KINDS: string[] = KNOWN_KINDS.filter(
  k =>
    !k.crd &&
    k.kind !== 'Node' &&
    !(WORKLOAD_KINDS as readonly string[]).includes(k.kind),
).map(k => k.kind);

export const objectApiVersionServed: ObjectRule = {
  id: 'object-api-version-served',
  baselineRef: 'CL-01',
  category: 'cluster',
  severity: 'high',
  title:
    'Ingresses, PodDisruptionBudgets, autoscalers, policies and RBAC objects are written in an apiVersion the supported Kubernetes versions serve',
  rationale: RATIONALE,
  remediation: REMEDIATION,
  scope: 'object',
  source: 'kubernetes',
  fixUnavailable:
    'Moving to a served apiVersion rewrites fields (Ingress backends, PodDisruptionBudget selectors, autoscaler metrics): kubectl convert rewrites the manifest, and the result must be reviewed.',
  appliesTo: {
    kinds: OBJECT_KINDS,
    modes: MANIFESTS_ONLY,
    when: (o: KubeObject) => !isServedApiVersion(o.kind, o.apiVersion),
  },
  check: servedCheck,
};

export const apiVersionRules = [
  workloadApiVersionServed,
  objectApiVersionServed,
];
