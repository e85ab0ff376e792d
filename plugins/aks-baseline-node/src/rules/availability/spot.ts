/*
 * HA-06: workloads meant for Spot nodes both tolerate the spot taint and
 * select spot nodes. The baseline's own example of a batch workload on Spot
 * is a Deployment (a queue worker), so every workload kind counts but
 * DaemonSets, which tolerate taints to run on every node by design. Applies
 * only to workloads that do one of the two (one that ignores Spot is fine).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { WorkloadView } from '../../engine/types';
import { WorkloadRule } from '../../engine/rule';

const SPOT_KEY = 'kubernetes.azure.com/scalesetpriority';
const SPOT_VALUE = 'spot';

/** 1: an explicit spot toleration; 2: a toleration of every taint. */
function spotToleration(spec: any): number {
  const tolerations = spec.tolerations;
  if (!Array.isArray(tolerations)) return 0;
  let found = 0;
  for (let i = 0; i < tolerations.length; i++) {
    const t = tolerations[i];
    if (!t) continue;
    if (t.effect && t.effect !== 'NoSchedule') continue;
    if (!t.key) {
      if (t.operator === 'Exists') found |= 2;
      continue;
    }
    if (t.key !== SPOT_KEY) continue;
    if (t.operator === 'Exists') return 1;
    if ((t.operator ?? 'Equal') === 'Equal' && t.value === SPOT_VALUE) return 1;
  }
  return found;
}

function hasSpotExpression(expressions: unknown): boolean {
  if (!Array.isArray(expressions)) return false;
  for (let i = 0; i < expressions.length; i++) {
    const e = expressions[i];
    if (
      e &&
      e.key === SPOT_KEY &&
      e.operator === 'In' &&
      Array.isArray(e.values) &&
      e.values.includes(SPOT_VALUE)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Whether the pod is directed to spot nodes: nodeSelector, required node
 * affinity (every term asks for spot) or preferred node affinity.
 */
function selectsSpot(spec: any): boolean {
  const selector = spec.nodeSelector;
  if (selector && selector[SPOT_KEY] === SPOT_VALUE) return true;
  const nodeAffinity = spec.affinity?.nodeAffinity;
  if (!nodeAffinity) return false;
  const terms =
    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  if (Array.isArray(terms) && terms.length > 0) {
    let all = true;
    for (let i = 0; i < terms.length; i++) {
      if (!terms[i] || !hasSpotExpression(terms[i].matchExpressions)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  const preferred =
    nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
  if (Array.isArray(preferred)) {
    for (let i = 0; i < preferred.length; i++) {
      if (hasSpotExpression(preferred[i]?.preference?.matchExpressions)) {
        return true;
      }
    }
  }
  return false;
}

function isSpotWorkload(w: WorkloadView): boolean {
  if (w.kind === 'DaemonSet') return false;
  const spec = w.podSpec;
  if (!spec) return false;
  return spotToleration(spec) === 1 || selectsSpot(spec);
}

function checkSpot(w: WorkloadView) {
  const spec = w.podSpec ?? {};
  const tolerates = spotToleration(spec) !== 0;
  const selects = selectsSpot(spec);
  if (tolerates && selects) return PASS;
  const evidence: Evidence[] = [];
  if (!tolerates) {
    evidence.push({
      path: `${w.podSpecPath}.tolerations`,
      value: spec.tolerations,
      expected: `a toleration ${SPOT_KEY}=${SPOT_VALUE}:NoSchedule`,
    });
    return fail(
      `${w.kind} ${w.name} selects spot nodes but does not tolerate the ${SPOT_KEY}=${SPOT_VALUE}:NoSchedule taint: its pods can never be scheduled there.`,
      evidence,
    );
  }
  evidence.push({
    path: `${w.podSpecPath}.nodeSelector`,
    value: spec.nodeSelector,
    expected: `${SPOT_KEY}: ${SPOT_VALUE} (or node affinity on it)`,
  });
  return fail(
    `${w.kind} ${w.name} tolerates the spot taint but does not select spot nodes: its pods land on regular nodes as well.`,
    evidence,
  );
}

export const batchSpotScheduling: WorkloadRule = {
  id: 'batch-spot-toleration-and-selector',
  baselineRef: 'HA-06',
  category: 'availability',
  severity: 'medium',
  title:
    'Workloads on Spot (batch Jobs, CronJobs, queue workers) tolerate the spot taint and select spot nodes',
  rationale:
    'AKS taints spot pools with kubernetes.azure.com/scalesetpriority=spot:NoSchedule: a workload that selects spot nodes without the toleration stays Pending, and one that tolerates the taint without selecting spot nodes takes regular capacity.',
  remediation: {
    summary:
      'Add both the spot toleration and the spot nodeSelector to the pod template.',
    snippet: `tolerations:
- key: kubernetes.azure.com/scalesetpriority
  operator: Equal
  value: spot
  effect: NoSchedule
nodeSelector:
  kubernetes.azure.com/scalesetpriority: spot`,
  },
  scope: 'workload',
  source: 'kubernetes',
  fixUnavailable:
    "Whether a job may run on Spot nodes (and be evicted) is the team's call, and needs a Spot node pool to schedule on.",
  appliesTo: {
    kinds: [
      'Deployment',
      'StatefulSet',
      'ReplicaSet',
      'ReplicationController',
      'Job',
      'CronJob',
      'Pod',
    ],
    when: isSpotWorkload,
  },
  check: checkSpot,
};
