/*
 * OP-05: the seed's daily health check (`kubectl get nodes`, pods not
 * Running/Completed, PVCs not Bound) as one cluster-wide rule. Every
 * namespace counts here, system ones included: a crash-looping CoreDNS is
 * the first thing a daily check should show.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject } from '../../engine/types';
import { KubernetesClusterRule } from '../../engine/rule';

/** Evidence entries listed at most; the message carries the full counts. */
export const MAX_HEALTH_EVIDENCE = 20;

/** A pod (or claim) Pending for longer than this is stuck. */
export const PENDING_GRACE_MS = 15 * 60 * 1000;

/** Container waiting reasons that do not resolve on their own. */
const STUCK_WAITING_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

interface Problems {
  evidence: Evidence[];
  total: number;
  nodes: number;
  pods: number;
  pvcs: number;
}

function record(
  problems: Problems | undefined,
  what: 'nodes' | 'pods' | 'pvcs',
  entry: Evidence,
): Problems {
  const p = problems ?? { evidence: [], total: 0, nodes: 0, pods: 0, pvcs: 0 };
  p.total++;
  p[what]++;
  if (p.evidence.length < MAX_HEALTH_EVIDENCE) p.evidence.push(entry);
  return p;
}

function ref(object: KubeObject): string {
  const ns = object.metadata.namespace;
  return ns
    ? `${object.kind}/${ns}/${object.metadata.name}`
    : `${object.kind}/${object.metadata.name}`;
}

/** Age in ms at `now`, or -1 when the timestamp is missing or invalid. */
function ageMs(object: KubeObject, now: number): number {
  const ts = object.metadata.creationTimestamp;
  if (typeof ts !== 'string') return -1;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? -1 : now - t;
}

function checkNode(node: KubeObject, problems: Problems | undefined) {
  const conditions = node.status?.conditions;
  if (Array.isArray(conditions)) {
    for (let i = 0; i < conditions.length; i++) {
      const c = conditions[i];
      if (!c || c.type !== 'Ready') continue;
      if (c.status === 'True') return problems;
      return record(problems, 'nodes', {
        path: `${ref(node)}.status.conditions[${i}].status`,
        value: c.reason ? `${c.status} (${c.reason})` : c.status,
        expected: 'Ready=True',
      });
    }
  }
  return record(problems, 'nodes', {
    path: `${ref(node)}.status.conditions[type=Ready]`,
    value: undefined,
    expected: 'Ready=True',
  });
}

/** The first stuck container of a status list, as evidence. */
function stuckContainer(pod: KubeObject, field: string): Evidence | undefined {
  const statuses = pod.status?.[field];
  if (!Array.isArray(statuses)) return undefined;
  for (let i = 0; i < statuses.length; i++) {
    const reason = statuses[i]?.state?.waiting?.reason;
    if (typeof reason === 'string' && STUCK_WAITING_REASONS.has(reason)) {
      return {
        path: `${ref(pod)}.status.${field}[${i}].state.waiting.reason`,
        value: reason,
        expected: `container ${statuses[i].name ?? i} running`,
      };
    }
  }
  return undefined;
}

function checkPod(
  pod: KubeObject,
  now: number,
  problems: Problems | undefined,
) {
  const status = pod.status;
  const phase = status?.phase;
  if (phase === 'Succeeded') return problems;
  if (phase === 'Failed' || phase === 'Unknown') {
    return record(problems, 'pods', {
      path: `${ref(pod)}.status.phase`,
      value: status.reason ? `${phase} (${status.reason})` : phase,
      expected: 'Running or Succeeded',
    });
  }
  const stuck =
    stuckContainer(pod, 'initContainerStatuses') ??
    stuckContainer(pod, 'containerStatuses');
  if (stuck) return record(problems, 'pods', stuck);
  if (phase === 'Pending' && ageMs(pod, now) > PENDING_GRACE_MS) {
    return record(problems, 'pods', {
      path: `${ref(pod)}.status.phase`,
      value: 'Pending',
      expected: `Running within 15 minutes of creation (created ${pod.metadata.creationTimestamp})`,
    });
  }
  return problems;
}

function checkClaim(
  pvc: KubeObject,
  now: number,
  problems: Problems | undefined,
) {
  const phase = pvc.status?.phase;
  if (phase === 'Bound') return problems;
  // A fresh claim (WaitForFirstConsumer, provisioning) gets the pods' grace.
  if (phase === 'Pending' && ageMs(pvc, now) <= PENDING_GRACE_MS)
    return problems;
  return record(problems, 'pvcs', {
    path: `${ref(pvc)}.status.phase`,
    value: phase,
    expected: 'Bound',
  });
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const clusterDailyHealth: KubernetesClusterRule = {
  id: 'cluster-daily-health',
  baselineRef: 'OP-05',
  category: 'operations',
  severity: 'medium',
  title:
    'Daily health: nodes Ready, no pods stuck outside Running/Completed, all PVCs Bound',
  rationale:
    'NotReady nodes, crash-looping or unschedulable pods and unbound volumes are the everyday failures a daily check exists to catch before users do.',
  remediation: {
    summary:
      'Investigate each listed object (describe it, read its events and logs) and fix the cause; delete leftover failed pods.',
    command: `kubectl get nodes
kubectl get pods --all-namespaces | grep -v Running | grep -v Completed
kubectl get pvc --all-namespaces | grep -v Bound
kubectl get events --all-namespaces --sort-by='.lastTimestamp' | tail -20`,
  },
  scope: 'cluster',
  source: 'kubernetes',
  fixUnavailable:
    'Each failing object has its own cause, read from its events and logs.',
  reads: ['Node', 'Pod', 'PersistentVolumeClaim'],
  check(_cluster, ctx) {
    const now = ctx.now.getTime();
    let problems: Problems | undefined;
    const nodes = ctx.index.ofKind('Node');
    for (let i = 0; i < nodes.length; i++)
      problems = checkNode(nodes[i], problems);
    const pods = ctx.index.ofKind('Pod');
    for (let i = 0; i < pods.length; i++)
      problems = checkPod(pods[i], now, problems);
    const pvcs = ctx.index.ofKind('PersistentVolumeClaim');
    for (let i = 0; i < pvcs.length; i++)
      problems = checkClaim(pvcs[i], now, problems);
    if (!problems) return PASS;

    const parts: string[] = [];
    if (problems.nodes) {
      parts.push(
        `${problems.nodes} of ${plural(
          nodes.length,
          'node',
          'nodes',
        )} not Ready`,
      );
    }
    if (problems.pods)
      parts.push(`${plural(problems.pods, 'pod', 'pods')} stuck`);
    if (problems.pvcs)
      parts.push(`${plural(problems.pvcs, 'PVC', 'PVCs')} not Bound`);
    const evidence = problems.evidence;
    if (problems.total > evidence.length) {
      evidence.push({
        path: '…',
        value: problems.total - evidence.length,
        expected: `more problems not listed (${problems.total} in all)`,
      });
    }
    return fail(`Cluster health: ${parts.join(', ')}`, evidence);
  },
};

export const healthRules = [clusterDailyHealth];
