/*
 * HA-02 (replicas in production), HA-03 (PodDisruptionBudgets), HA-04
 * (zone and host spread).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { matchesSelector } from '../../engine/labels';
import { fail, PASS, unknown } from '../../engine/outcomes';
import { KubeObject, ObjectIndex, WorkloadView } from '../../engine/types';
import { ObjectRule, RuleContext, WorkloadRule } from '../../engine/rule';
import { optionalReads } from '../../engine/rule-parts';
import { WORKLOAD_KINDS } from '../../engine/kinds';
import { toJsonPointer } from '../../engine/fixes';
import {
  setValuesPatch,
  targetOf,
  unusedName,
  workloadEvidencePatch,
  workloadTarget,
} from '../shared/fixes';

/** The selector of a workload's pods: its own, else the pod template's labels. */
function podSelectorOf(w: WorkloadView): Record<string, unknown> {
  const selector = w.object.spec?.selector;
  if (
    selector &&
    typeof selector === 'object' &&
    (selector.matchLabels || selector.matchExpressions)
  ) {
    return structuredClone(selector);
  }
  return { matchLabels: { ...w.podMeta.labels } };
}

/** A budget letting a quarter of the pods (at least one) be evicted at a time. */
function maxUnavailableFor(replicas: number): number {
  return Math.max(1, Math.floor(replicas / 4));
}

/** The JSON Patch that gives a PDB `maxUnavailable` instead of what blocks. */
function budgetPatch(pdb: KubeObject, maxUnavailable: number) {
  const spec = pdb.spec ?? {};
  return [
    ...(spec.minAvailable !== undefined
      ? [{ op: 'remove' as const, path: '/spec/minAvailable' }]
      : []),
    ...setValuesPatch(pdb, [
      { path: 'spec.maxUnavailable', value: maxUnavailable },
    ]),
  ];
}

/** Kinds with a replica count (DaemonSets, Jobs and Pods have none). */
const REPLICATED_KINDS = [
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
] as const;

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

export const workloadMinReplicas: WorkloadRule = {
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
  reads: optionalReads('HorizontalPodAutoscaler', 'VerticalPodAutoscaler'),
  appliesTo: {
    kinds: ['Deployment', 'StatefulSet'],
    profiles: ['production'],
  },
  check: checkReplicas,
  fix: (w, evidence, ctx) =>
    workloadEvidencePatch(
      w,
      evidence,
      () => ctx.params.minReplicas,
      `Run ${ctx.params.minReplicas} replicas of ${w.kind} ${w.name}`,
      'Make sure the application runs as several replicas (no state kept in one pod, no single leader without election); a PodDisruptionBudget then applies too',
    ),
};

// ------------------------------------------------------------------ HA-03

/** A PDB's budget, as the disruption controller reads it. */
type Budget =
  | { field: 'maxUnavailable' | 'minAvailable'; value: number | string }
  /** Neither field: no disruption is refused (policy/v1 defaults nothing). */
  | { field: undefined }
  | { invalid: string; path: string; value: unknown };

function budgetOf(pdb: KubeObject): Budget {
  const spec = pdb.spec ?? {};
  const max = spec.maxUnavailable;
  const min = spec.minAvailable;
  if (max !== undefined && max !== null && min !== undefined && min !== null) {
    return {
      invalid:
        'sets both minAvailable and maxUnavailable (the API refuses that)',
      path: 'spec',
      value: { minAvailable: min, maxUnavailable: max },
    };
  }
  let field: 'maxUnavailable' | 'minAvailable';
  if (max !== undefined && max !== null) field = 'maxUnavailable';
  else if (min !== undefined && min !== null) field = 'minAvailable';
  else return { field: undefined };
  const value = spec[field];
  if (scaled(value, 1) === undefined) {
    return {
      invalid: `${field} ${JSON.stringify(
        value,
      )} is neither an integer nor a percentage`,
      path: `spec.${field}`,
      value,
    };
  }
  return { field, value };
}

/**
 * An IntOrString of a PDB scaled to `replicas` the way the disruption
 * controller does (percentages rounded up); undefined when not a valid
 * integer or percentage.
 */
function scaled(value: unknown, replicas: number): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 ? value : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (!/^\d+%$/.test(s)) return /^\d+$/.test(s) ? Number(s) : undefined;
  const pct = Number(s.slice(0, -1));
  return pct <= 100 ? Math.ceil((pct * replicas) / 100) : undefined;
}

/** How many pods the budget lets be evicted at once with `replicas` running. */
function allowedDisruptions(
  budget: {
    field: 'maxUnavailable' | 'minAvailable' | undefined;
    value?: unknown;
  },
  replicas: number,
): number {
  if (budget.field === undefined) return replicas;
  const n = scaled(budget.value, replicas)!;
  return budget.field === 'maxUnavailable' ? n : replicas - n;
}

/** A budget that refuses every eviction whatever the replica count. */
type BlockingBudget = {
  field: 'maxUnavailable' | 'minAvailable';
  value: number | string;
};

/** Whether the budget refuses every eviction whatever the replica count. */
function blocksAlways(budget: Budget): budget is BlockingBudget {
  if (!('field' in budget) || budget.field === undefined) return false;
  if (budget.field === 'maxUnavailable') {
    return scaled(budget.value, 100) === 0;
  }
  return typeof budget.value === 'string' && scaled(budget.value, 100) === 100;
}

/**
 * The fewest replicas a workload runs: an HPA's minReplicas (the lowest it
 * scales down to; 1 when unset) when one targets it, else spec.replicas.
 */
function lowestReplicas(
  w: WorkloadView,
  ctx: RuleContext,
): { count: number; hpa?: KubeObject } {
  const scalers = ctx.index.autoscalersTargeting(w);
  let hpa: KubeObject | undefined;
  let count = Infinity;
  for (let i = 0; i < scalers.length; i++) {
    const s = scalers[i];
    if (s.kind !== 'HorizontalPodAutoscaler') continue;
    const m = typeof s.spec?.minReplicas === 'number' ? s.spec.minReplicas : 1;
    if (m < count) {
      count = m;
      hpa = s;
    }
  }
  return hpa ? { count, hpa } : { count: w.replicas ?? 1 };
}

/** Running two or more replicas, or scaled to them by an HPA. */
function isMultiReplica(w: WorkloadView, ctx: RuleContext): boolean {
  if ((w.replicas ?? 1) >= 2) return true;
  return lowestReplicas(w, ctx).count >= 2;
}

function checkPdb(w: WorkloadView, ctx: RuleContext) {
  const pdbs = ctx.index.pdbsCovering(w);
  if (pdbs.length === 1) {
    const budget = budgetOf(pdbs[0]);
    if ('invalid' in budget) {
      return unknown(
        `PodDisruptionBudget ${pdbs[0].metadata.name} ${budget.invalid}: whether it lets ${w.kind} ${w.name} be drained cannot be told`,
        [
          {
            path: `PodDisruptionBudget/${pdbs[0].metadata.name}.${budget.path}`,
            value: budget.value,
            expected: 'an integer or a percentage such as "25%"',
          },
        ],
      );
    }
    const lowest = lowestReplicas(w, ctx);
    if (allowedDisruptions(budget, lowest.count) > 0) {
      // An HPA that could not be listed may scale it below the budget.
      if (
        budget.field === 'minAvailable' &&
        !lowest.hpa &&
        ctx.index.kindStatus('HorizontalPodAutoscaler') === 'unreadable'
      ) {
        return unknown(
          `PodDisruptionBudget ${pdbs[0].metadata.name} allows disruptions at ${
            lowest.count
          } replicas, but ${ctx.index.kindReason(
            'HorizontalPodAutoscaler',
          )}: an autoscaler may run ${w.kind} ${w.name} with fewer`,
        );
      }
      return PASS;
    }
  }
  const replicas = w.replicas ?? 1;
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
  const lowest = lowestReplicas(w, ctx);
  const evidence: Evidence[] = [];
  for (const pdb of pdbs) {
    const spec = pdb.spec ?? {};
    const field =
      spec.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable';
    evidence.push({
      path: `PodDisruptionBudget/${pdb.metadata.name}.spec.${field}`,
      value: spec[field],
      expected: `lets at least one of ${lowest.count} pods be evicted`,
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
  if (lowest.hpa && lowest.count < replicas) {
    evidence.push({
      path: `HorizontalPodAutoscaler/${lowest.hpa.metadata.name}.spec.minReplicas`,
      value: lowest.hpa.spec?.minReplicas,
      expected: 'more replicas than the budget keeps available',
    });
    return fail(
      `PodDisruptionBudget ${pdbs[0].metadata.name} allows no disruption when HorizontalPodAutoscaler ${lowest.hpa.metadata.name} scales ${w.kind} ${w.name} down to its minReplicas (${lowest.count}): node drains and upgrades block then.`,
      evidence,
    );
  }
  return fail(
    `PodDisruptionBudget ${pdbs[0].metadata.name} allows no disruption with ${lowest.count} replicas: node drains and upgrades block.`,
    evidence,
  );
}

const PDB_SNIPPET = `apiVersion: policy/v1
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
      app: myapp`;

export const workloadPodDisruptionBudget: WorkloadRule = {
  id: 'workload-pod-disruption-budget',
  baselineRef: 'HA-03',
  category: 'availability',
  severity: 'medium',
  title:
    'A PodDisruptionBudget covers each multi-replica workload without blocking all evictions',
  rationale:
    "A PodDisruptionBudget keeps node drains (upgrades, autoscaler scale-down) from evicting every replica at once; one with maxUnavailable 0 or minAvailable equal to the replicas (or to an HPA's minReplicas) blocks drains and stalls cluster upgrades.",
  remediation: {
    summary:
      "Create one PodDisruptionBudget selecting the pods, with minAvailable below the replica count (and below the HPA's minReplicas) or a non-zero maxUnavailable.",
    snippet: PDB_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: {
    kinds: REPLICATED_KINDS,
    when: isMultiReplica,
  },
  reads: [
    'PodDisruptionBudget',
    ...optionalReads('HorizontalPodAutoscaler', 'VerticalPodAutoscaler'),
  ],
  check: checkPdb,
  fix(w, _evidence, ctx) {
    const pdbs = ctx.index.pdbsCovering(w);
    const lowest = lowestReplicas(w, ctx).count;
    const maxUnavailable = maxUnavailableFor(lowest);
    if (pdbs.length === 0) {
      return {
        kind: 'create',
        object: {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: {
            name: unusedName(
              ctx,
              'PodDisruptionBudget',
              w.namespace,
              `${w.name}-pdb`,
            ),
            namespace: w.namespace,
          },
          spec: { maxUnavailable, selector: podSelectorOf(w) },
        },
        besides: workloadTarget(w),
        summary: `Add a PodDisruptionBudget letting ${maxUnavailable} of the ${lowest} pods of ${w.kind} ${w.name} be evicted at a time`,
      };
    }
    if (pdbs.length > 1) {
      return {
        kind: 'manual',
        reason: `Keep one of the PodDisruptionBudgets ${pdbs
          .map(p => p.metadata.name)
          .join(', ')} selecting these pods and delete the others.`,
      };
    }
    return {
      kind: 'patch',
      target: targetOf(pdbs[0]),
      format: 'json-patch',
      operations: budgetPatch(pdbs[0], maxUnavailable),
      summary: `Let PodDisruptionBudget ${pdbs[0].metadata.name} evict ${maxUnavailable} of the ${lowest} pods at a time`,
    };
  },
};

/** What a PDB says without the workload it covers: invalid, or refusing all. */
function judgedAlone(budget: Budget): boolean {
  return 'invalid' in budget || blocksAlways(budget);
}

/**
 * PDBs by the workloads they cover, per index: whether a PDB covers any
 * workload the index holds (then the workload rule judges it).
 */
const coveringPdbs = new WeakMap<ObjectIndex, Set<KubeObject>>();

function coversAWorkload(pdb: KubeObject, index: ObjectIndex): boolean {
  let covering = coveringPdbs.get(index);
  if (!covering) {
    covering = new Set();
    for (const w of index.workloads()) {
      for (const p of index.pdbsCovering(w)) covering.add(p);
    }
    coveringPdbs.set(index, covering);
  }
  return covering.has(pdb);
}

export const podDisruptionBudgetAllowsEvictions: ObjectRule = {
  id: 'pdb-allows-evictions',
  baselineRef: 'HA-03',
  category: 'availability',
  severity: 'medium',
  title:
    'A PodDisruptionBudget never refuses every eviction (maxUnavailable 0, minAvailable 100%)',
  rationale:
    'maxUnavailable: 0 (or "0%") and minAvailable: "100%" refuse every eviction whatever the replica count, so node drains, upgrades and autoscaler scale-down block on the pods they select. Judged on the budget itself when the workload it covers is not among the objects; otherwise the workload rule judges the pair.',
  remediation: {
    summary:
      'Set maxUnavailable to at least 1 (or a non-zero percentage), or minAvailable below the replica count.',
    snippet: PDB_SNIPPET,
  },
  scope: 'object',
  source: 'kubernetes',
  reads: optionalReads(...WORKLOAD_KINDS),
  // Alone only when no workload it covers is among the objects, and only
  // what needs no replica count: an invalid budget, or one refusing all.
  appliesTo: {
    kinds: ['PodDisruptionBudget'],
    when: (pdb: KubeObject, ctx) =>
      !coversAWorkload(pdb, ctx.index) && judgedAlone(budgetOf(pdb)),
  },
  fix: pdb => ({
    kind: 'patch',
    target: targetOf(pdb),
    format: 'json-patch',
    operations: budgetPatch(pdb, 1),
    summary: `Let PodDisruptionBudget ${pdb.metadata.name} evict one pod at a time`,
  }),
  check(pdb: KubeObject) {
    const budget = budgetOf(pdb);
    const name = pdb.metadata.name;
    if ('invalid' in budget) {
      return unknown(`PodDisruptionBudget ${name} ${budget.invalid}`, [
        { path: budget.path, value: budget.value },
      ]);
    }
    const { field, value } = budget as BlockingBudget;
    return fail(
      `PodDisruptionBudget ${name} (${field}: ${JSON.stringify(
        value,
      )}) refuses every eviction of the pods it selects, whatever their number: node drains and upgrades block on them.`,
      [
        {
          path: `spec.${field}`,
          value,
          expected:
            field === 'maxUnavailable'
              ? 'at least 1 (or a non-zero percentage)'
              : 'below the replica count (an integer, or under 100%)',
        },
      ],
    );
  },
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

function checkSpread(w: WorkloadView) {
  const spec = w.podSpec ?? {};
  const bits = spreadBits(spec, w.podMeta.labels);
  if (bits === 3) return PASS;
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

export const workloadTopologySpread: WorkloadRule = {
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
  appliesTo: {
    kinds: ['Deployment', 'StatefulSet'],
    when: w => (w.replicas ?? 1) >= 2,
  },
  check: checkSpread,
  // ScheduleAnyway: spread when the scheduler can, never left pending.
  fix(w) {
    const bits = spreadBits(w.podSpec ?? {}, w.podMeta.labels);
    const labelSelector = podSelectorOf(w);
    const added = [
      ...(bits & 1 ? [] : [ZONE_KEY]),
      ...(bits & 2 ? [] : [HOST_KEY]),
    ].map(topologyKey => ({
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: structuredClone(labelSelector),
    }));
    const path = `${w.podSpecPath}.topologySpreadConstraints`;
    const existing = w.podSpec?.topologySpreadConstraints;
    return {
      kind: 'patch',
      target: workloadTarget(w),
      format: 'json-patch',
      operations: Array.isArray(existing)
        ? added.map(value => ({
            op: 'add' as const,
            path: `${toJsonPointer(path)}/-`,
            value,
          }))
        : setValuesPatch(w.object, [{ path, value: added }]),
      summary: `Spread the pods of ${w.kind} ${w.name} across ${added
        .map(c => c.topologyKey)
        .join(' and ')}`,
    };
  },
};
