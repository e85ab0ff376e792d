/*
 * HA-02 (replicas in production), HA-03 (PodDisruptionBudgets), HA-04
 * (zone and host spread).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { matchesSelector } from '../../engine/labels';
import { FAIL, fail, PASS } from '../../engine/outcomes';
import {
  KubeObject,
  RuleContext,
  RuleDefinition,
  WorkloadView,
} from '../../engine/types';

function isDeploymentOrStatefulSet(w: WorkloadView): boolean {
  return w.kind === 'Deployment' || w.kind === 'StatefulSet';
}

/** Replicated workloads with two or more replicas (DaemonSets excluded). */
function isMultiReplica(w: WorkloadView): boolean {
  return (
    (w.kind === 'Deployment' ||
      w.kind === 'StatefulSet' ||
      w.kind === 'ReplicaSet') &&
    (w.replicas ?? 1) >= 2
  );
}

// ------------------------------------------------------------------ HA-02

/** The highest `minReplicas` of the HPAs targeting the workload (0 if none). */
function hpaMinReplicas(w: WorkloadView, ctx: RuleContext): number {
  const scalers = ctx.index.autoscalersTargeting(w);
  let min = 0;
  for (let i = 0; i < scalers.length; i++) {
    const s = scalers[i];
    if (s.kind !== 'HorizontalPodAutoscaler') continue;
    const m = typeof s.spec?.minReplicas === 'number' ? s.spec.minReplicas : 1;
    if (m > min) min = m;
  }
  return min;
}

function checkReplicas(w: WorkloadView, ctx: RuleContext) {
  const required = ctx.params.minReplicas;
  const replicas = w.replicas ?? 1;
  if (replicas >= required) return PASS;
  // An HPA keeps at least its minReplicas running, whatever spec.replicas says.
  if (hpaMinReplicas(w, ctx) >= required) return PASS;
  if (ctx.outcomeOnly) return FAIL;
  return fail(
    `${w.kind} ${w.name} runs ${replicas} replica(s); production workloads need at least ${required}.`,
    [
      {
        path: 'spec.replicas',
        value: w.object.spec?.replicas,
        expected: `>= ${required} (or an HPA with minReplicas >= ${required})`,
      },
    ],
  );
}

export const workloadMinReplicas: RuleDefinition<'workload'> = {
  id: 'workload-min-replicas',
  baselineRef: 'HA-02',
  category: 'availability',
  severity: 'high',
  title: 'Production Deployments and StatefulSets run at least two replicas',
  rationale:
    'A single replica is down during every node drain, upgrade, eviction or crash; two or more (spread over nodes and zones) keep the service up through them.',
  remediation: {
    summary:
      'Run at least two replicas (params.minReplicas), or let an HPA keep minReplicas at that level.',
    command:
      'kubectl scale deployment myapp --namespace <namespace> --replicas=3',
  },
  scope: 'workload',
  source: 'kubernetes',
  kinds: ['Deployment', 'StatefulSet'],
  profiles: ['production'],
  appliesTo: isDeploymentOrStatefulSet,
  check: checkReplicas,
};

// ------------------------------------------------------------------ HA-03

/**
 * An IntOrString of a PDB scaled to `replicas` the way the disruption
 * controller does (percentages rounded up); undefined when absent or invalid.
 */
function scaled(value: unknown, replicas: number): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s.endsWith('%')) {
    const pct = Number(s.slice(0, -1));
    return Number.isFinite(pct) ? Math.ceil((pct * replicas) / 100) : undefined;
  }
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : undefined;
}

/** How many pods the PDB lets be evicted at once with `replicas` running. */
function allowedDisruptions(pdb: KubeObject, replicas: number): number {
  const spec = pdb.spec ?? {};
  const maxUnavailable = scaled(spec.maxUnavailable, replicas);
  if (maxUnavailable !== undefined) return maxUnavailable;
  const minAvailable = scaled(spec.minAvailable, replicas);
  // Neither set: the API defaults minAvailable to 1.
  return replicas - (minAvailable ?? 1);
}

function checkPdb(w: WorkloadView, ctx: RuleContext) {
  const pdbs = ctx.index.pdbsCovering(w);
  const replicas = w.replicas ?? 1;
  if (pdbs.length === 1 && allowedDisruptions(pdbs[0], replicas) > 0) {
    return PASS;
  }
  if (ctx.outcomeOnly) return FAIL;
  if (pdbs.length === 0) {
    return fail(
      `No PodDisruptionBudget selects the pods of ${w.kind} ${w.name} (${replicas} replicas): a node drain may evict all of them at once.`,
      [
        {
          path: 'spec.template.metadata.labels',
          value: w.podMeta.labels,
          expected: 'labels selected by a PodDisruptionBudget',
        },
      ],
    );
  }
  const evidence: Evidence[] = [];
  for (const pdb of pdbs) {
    const spec = pdb.spec ?? {};
    const field =
      spec.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable';
    evidence.push({
      path: `PodDisruptionBudget/${pdb.metadata.name}.spec.${field}`,
      value: spec[field],
      expected: `lets at least one of ${replicas} pods be evicted`,
    });
  }
  if (pdbs.length > 1) {
    return fail(
      `${pdbs.length} PodDisruptionBudgets (${pdbs
        .map(p => p.metadata.name)
        .join(', ')}) select the pods of ${w.kind} ${
        w.name
      }: the eviction API refuses to evict pods covered by more than one, so node drains block.`,
      evidence,
    );
  }
  return fail(
    `PodDisruptionBudget ${pdbs[0].metadata.name} allows no disruption with ${replicas} replicas: node drains and upgrades block.`,
    evidence,
  );
}

export const workloadPodDisruptionBudget: RuleDefinition<'workload'> = {
  id: 'workload-pod-disruption-budget',
  baselineRef: 'HA-03',
  category: 'availability',
  severity: 'medium',
  title:
    'A PodDisruptionBudget covers each multi-replica workload without blocking all evictions',
  rationale:
    'A PodDisruptionBudget keeps node drains (upgrades, autoscaler scale-down) from evicting every replica at once; one with maxUnavailable 0 or minAvailable equal to the replicas blocks drains and stalls cluster upgrades.',
  remediation: {
    summary:
      'Create one PodDisruptionBudget selecting the pods, with minAvailable below the replica count or a non-zero maxUnavailable.',
    snippet: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: myapp-pdb
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: myapp
---
# 또는 percentage 사용
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: myapp-pdb-percentage
spec:
  maxUnavailable: 25%
  selector:
    matchLabels:
      app: myapp`,
  },
  scope: 'workload',
  source: 'kubernetes',
  kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'],
  reads: ['PodDisruptionBudget'],
  appliesTo: isMultiReplica,
  check: checkPdb,
};

// ------------------------------------------------------------------ HA-04

const ZONE_KEY = 'topology.kubernetes.io/zone';
const LEGACY_ZONE_KEY = 'failure-domain.beta.kubernetes.io/zone';
const HOST_KEY = 'kubernetes.io/hostname';

function isZoneKey(key: unknown): boolean {
  return key === ZONE_KEY || key === LEGACY_ZONE_KEY;
}

/** Bit 1: zone spread; bit 2: hostname spread. Only constraints counting the workload's own pods. */
function spreadBits(spec: any, labels: Record<string, string>): number {
  let bits = 0;
  const constraints = spec.topologySpreadConstraints;
  if (Array.isArray(constraints)) {
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if (!c || !matchesSelector(c.labelSelector, labels)) continue;
      if (isZoneKey(c.topologyKey)) bits |= 1;
      else if (c.topologyKey === HOST_KEY) bits |= 2;
    }
  }
  if (!(bits & 2)) {
    const anti = spec.affinity?.podAntiAffinity;
    if (anti) {
      const required = anti.requiredDuringSchedulingIgnoredDuringExecution;
      if (Array.isArray(required)) {
        for (let i = 0; i < required.length; i++) {
          const t = required[i];
          if (
            t &&
            t.topologyKey === HOST_KEY &&
            matchesSelector(t.labelSelector, labels)
          ) {
            bits |= 2;
          }
        }
      }
      const preferred = anti.preferredDuringSchedulingIgnoredDuringExecution;
      if (Array.isArray(preferred)) {
        for (let i = 0; i < preferred.length; i++) {
          const t = preferred[i]?.podAffinityTerm;
          if (
            t &&
            t.topologyKey === HOST_KEY &&
            matchesSelector(t.labelSelector, labels)
          ) {
            bits |= 2;
          }
        }
      }
    }
  }
  return bits;
}

function checkSpread(w: WorkloadView, ctx: RuleContext) {
  const spec = w.podSpec ?? {};
  const bits = spreadBits(spec, w.podMeta.labels);
  if (bits === 3) return PASS;
  if (ctx.outcomeOnly) return FAIL;
  const missing: string[] = [];
  const evidence: Evidence[] = [];
  const constraints = spec.topologySpreadConstraints;
  const keys = Array.isArray(constraints)
    ? constraints.map((c: any) => c?.topologyKey)
    : undefined;
  if (!(bits & 1)) {
    missing.push(`zones (topologySpreadConstraints on ${ZONE_KEY})`);
    evidence.push({
      path: `${w.podSpecPath}.topologySpreadConstraints`,
      value: keys,
      expected: `a constraint with topologyKey ${ZONE_KEY} whose labelSelector matches the pods`,
    });
  }
  if (!(bits & 2)) {
    missing.push(`nodes (${HOST_KEY} spread or pod anti-affinity)`);
    evidence.push({
      path: `${w.podSpecPath}.affinity.podAntiAffinity`,
      value: spec.affinity?.podAntiAffinity,
      expected: `anti-affinity or a spread constraint on ${HOST_KEY} matching the pods`,
    });
  }
  return fail(
    `The ${w.replicas} replicas of ${w.kind} ${
      w.name
    } are not spread across ${missing.join(
      ' or ',
    )}: one zone or node failure can take them all down.`,
    evidence,
  );
}

export const workloadTopologySpread: RuleDefinition<'workload'> = {
  id: 'workload-zone-and-host-spread',
  baselineRef: 'HA-04',
  category: 'availability',
  severity: 'medium',
  title: 'Replicas are spread across zones and nodes',
  rationale:
    'The scheduler may place every replica in one zone or on one node; topology spread constraints on the zone and anti-affinity (or a spread) on the hostname keep a zone outage or a node failure from taking down all replicas.',
  remediation: {
    summary:
      'Add topologySpreadConstraints on topology.kubernetes.io/zone and kubernetes.io/hostname (or pod anti-affinity on the hostname) matching the pods.',
    snippet: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ha-app
spec:
  replicas: 6
  template:
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels:
            app: ha-app
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels:
            app: ha-app
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector:
                matchLabels:
                  app: ha-app
              topologyKey: kubernetes.io/hostname`,
  },
  scope: 'workload',
  source: 'kubernetes',
  kinds: ['Deployment', 'StatefulSet'],
  appliesTo: w => isDeploymentOrStatefulSet(w) && (w.replicas ?? 1) >= 2,
  check: checkSpread,
};
