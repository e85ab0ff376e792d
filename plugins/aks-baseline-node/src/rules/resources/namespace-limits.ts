/*
 * RS-03 (ResourceQuota) and RS-04 (LimitRange) per application namespace.
 * Several quotas or limit ranges in one namespace add up, as they do in
 * Kubernetes.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject, NamespaceView } from '../../engine/types';
import { NamespaceRule, RuleContext } from '../../engine/rule';
import { targetOf, unusedName } from '../shared/fixes';

/*
 * The namespace template's defaults (the scaffolder module's small quota
 * preset and container limits, templates/aks-namespace): a namespace fixed
 * here looks like one the portal creates.
 */
const TEMPLATE_QUOTA: Record<string, string> = {
  'requests.cpu': '2',
  'requests.memory': '4Gi',
  'limits.cpu': '4',
  'limits.memory': '8Gi',
  persistentvolumeclaims: '5',
  'services.loadbalancers': '1',
};
const TEMPLATE_LIMITS = [
  {
    type: 'Container',
    default: { cpu: '500m', memory: '512Mi' },
    defaultRequest: { cpu: '100m', memory: '128Mi' },
    min: { cpu: '10m', memory: '16Mi' },
    max: { cpu: '4', memory: '8Gi' },
  },
  { type: 'Pod', max: { cpu: '8', memory: '16Gi' } },
];

function objectNames(objects: readonly KubeObject[]): string {
  return objects.map(o => o.metadata.name).join(', ');
}

/** The hard limits the seed's quota sets; `cpu`/`memory` alias the requests. */
const QUOTA_KEYS = [
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
  'persistentvolumeclaims',
  'services.loadbalancers',
] as const;
const QUOTA_ALIASES: Record<string, string> = {
  'requests.cpu': 'cpu',
  'requests.memory': 'memory',
};

function hasKey(map: any, key: string): boolean {
  return (
    !!map &&
    typeof map === 'object' &&
    map[key] !== undefined &&
    map[key] !== null &&
    map[key] !== ''
  );
}

/** A scoped quota (BestEffort, PriorityClass, ...) only limits some pods. */
function isScoped(quota: KubeObject): boolean {
  const spec = quota.spec;
  if (!spec) return false;
  return (
    (Array.isArray(spec.scopes) && spec.scopes.length > 0) ||
    !!spec.scopeSelector
  );
}

function quotaCovers(quotas: readonly KubeObject[], key: string): boolean {
  const alias = QUOTA_ALIASES[key];
  for (let i = 0; i < quotas.length; i++) {
    const q = quotas[i];
    if (isScoped(q)) continue;
    const hard = q.spec?.hard;
    if (hasKey(hard, key) || (alias !== undefined && hasKey(hard, alias))) {
      return true;
    }
  }
  return false;
}

function checkResourceQuota(ns: NamespaceView, ctx: RuleContext) {
  const quotas = ctx.index.inNamespace(ns.name, 'ResourceQuota');
  let complete = quotas.length > 0;
  for (let k = 0; complete && k < QUOTA_KEYS.length; k++) {
    if (!quotaCovers(quotas, QUOTA_KEYS[k])) complete = false;
  }
  if (complete) return PASS;
  if (quotas.length === 0) {
    return fail(`Namespace ${ns.name} has no ResourceQuota.`, [
      {
        path: 'ResourceQuota',
        value: [],
        expected: `a ResourceQuota with hard ${QUOTA_KEYS.join(', ')}`,
      },
    ]);
  }
  const missing = QUOTA_KEYS.filter(key => !quotaCovers(quotas, key));
  const evidence: Evidence[] = quotas.map(q => ({
    path: `ResourceQuota/${q.metadata.name}.spec.hard`,
    value: q.spec?.hard ? Object.keys(q.spec.hard) : undefined,
    expected: isScoped(q)
      ? 'an unscoped quota (this one has scopes and limits only some pods)'
      : `hard limits for ${missing.join(', ')}`,
  }));
  return fail(
    `The ResourceQuota of namespace ${
      ns.name
    } sets no hard limit for ${missing.join(', ')}.`,
    evidence,
  );
}

export const namespaceResourceQuota: NamespaceRule = {
  id: 'namespace-resource-quota',
  baselineRef: 'RS-03',
  category: 'resources',
  severity: 'medium',
  title:
    'Namespace has a ResourceQuota on CPU, memory, PVCs and load balancers',
  rationale:
    'A quota caps what one team can take from the shared cluster: without it a runaway deployment or a forgotten load balancer service consumes capacity and money meant for every namespace.',
  remediation: {
    summary:
      'Create a ResourceQuota with requests.cpu, requests.memory, limits.cpu, limits.memory, persistentvolumeclaims and services.loadbalancers.',
    snippet: `apiVersion: v1
kind: ResourceQuota
metadata:
  name: production-quota
  namespace: production
spec:
  hard:
    requests.cpu: "100"
    requests.memory: 200Gi
    limits.cpu: "200"
    limits.memory: 400Gi
    persistentvolumeclaims: "20"
    services.loadbalancers: "5"`,
  },
  scope: 'namespace',
  source: 'kubernetes',
  reads: ['ResourceQuota'],
  check: checkResourceQuota,
  // Admission refuses pods past a quota: its size is the team's to confirm.
  fix(ns, _evidence, ctx) {
    const quotas = ctx.index.inNamespace(ns.name, 'ResourceQuota');
    return {
      kind: 'create',
      object: {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: {
          name: unusedName(ctx, 'ResourceQuota', ns.name, 'baseline-quota'),
          namespace: ns.name,
        },
        spec: { hard: { ...TEMPLATE_QUOTA } },
      },
      ...(ns.object ? { besides: targetOf(ns.object) } : {}),
      summary: `Add a ResourceQuota to namespace ${ns.name} (the namespace template's small preset)`,
      adapt:
        quotas.length > 0
          ? `Add the missing hard limits to ${objectNames(
              quotas,
            )} instead, sized to the namespace's workloads`
          : "Size the quota to the namespace's workloads (admission refuses pods beyond it); these are the namespace template's small preset",
    };
  },
};

// ------------------------------------------------------------------ RS-04

const LIMIT_FIELDS = ['default', 'defaultRequest', 'min', 'max'] as const;

/** Bit per LIMIT_FIELDS entry set by some `type: Container` item. */
function containerLimitBits(ranges: readonly KubeObject[]): number {
  let bits = 0;
  for (let r = 0; r < ranges.length; r++) {
    const limits = ranges[r].spec?.limits;
    if (!Array.isArray(limits)) continue;
    for (let i = 0; i < limits.length; i++) {
      const item = limits[i];
      if (!item || item.type !== 'Container') continue;
      for (let f = 0; f < LIMIT_FIELDS.length; f++) {
        const value = item[LIMIT_FIELDS[f]];
        if (value && typeof value === 'object' && nonEmpty(value)) {
          bits |= 1 << f;
        }
      }
    }
  }
  return bits;
}

function nonEmpty(map: Record<string, unknown>): boolean {
  for (const key in map) {
    if (Object.prototype.hasOwnProperty.call(map, key)) return true;
  }
  return false;
}

const ALL_LIMIT_BITS = (1 << LIMIT_FIELDS.length) - 1;

function checkLimitRange(ns: NamespaceView, ctx: RuleContext) {
  const ranges = ctx.index.inNamespace(ns.name, 'LimitRange');
  const bits = containerLimitBits(ranges);
  if (bits === ALL_LIMIT_BITS) return PASS;
  if (ranges.length === 0) {
    return fail(`Namespace ${ns.name} has no LimitRange.`, [
      {
        path: 'LimitRange',
        value: [],
        expected:
          'a LimitRange with a type: Container item setting default, defaultRequest, min and max',
      },
    ]);
  }
  const missing = LIMIT_FIELDS.filter((_, f) => !(bits & (1 << f)));
  const evidence: Evidence[] = ranges.map(r => ({
    path: `LimitRange/${r.metadata.name}.spec.limits`,
    value: Array.isArray(r.spec?.limits)
      ? r.spec.limits.map((l: any) => l?.type)
      : undefined,
    expected: `a type: Container item with ${missing.join(', ')}`,
  }));
  return fail(
    `The LimitRange of namespace ${ns.name} sets no container ${missing.join(
      ', ',
    )}.`,
    evidence,
  );
}

export const namespaceLimitRange: NamespaceRule = {
  id: 'namespace-limit-range',
  baselineRef: 'RS-04',
  category: 'resources',
  severity: 'low',
  title:
    'Namespace has a LimitRange with container defaults, default requests, min and max',
  rationale:
    'A LimitRange gives containers that declare nothing sensible requests and limits, and bounds what any single container may ask for, so one manifest cannot starve the namespace quota.',
  remediation: {
    summary:
      'Create a LimitRange with a type: Container item setting default, defaultRequest, min and max (and a Pod max).',
    snippet: `apiVersion: v1
kind: LimitRange
metadata:
  name: production-limits
  namespace: production
spec:
  limits:
  - max:
      cpu: "4"
      memory: 8Gi
    min:
      cpu: "100m"
      memory: 128Mi
    default:
      cpu: "500m"
      memory: 512Mi
    defaultRequest:
      cpu: "200m"
      memory: 256Mi
    type: Container
  - max:
      cpu: "8"
      memory: 16Gi
    min:
      cpu: "200m"
      memory: 256Mi
    type: Pod`,
  },
  scope: 'namespace',
  source: 'kubernetes',
  reads: ['LimitRange'],
  check: checkLimitRange,
  fix(ns, _evidence, ctx) {
    const ranges = ctx.index.inNamespace(ns.name, 'LimitRange');
    return {
      kind: 'create',
      object: {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: {
          name: unusedName(ctx, 'LimitRange', ns.name, 'baseline-limits'),
          namespace: ns.name,
        },
        spec: { limits: structuredClone(TEMPLATE_LIMITS) },
      },
      ...(ns.object ? { besides: targetOf(ns.object) } : {}),
      summary: `Add a LimitRange to namespace ${ns.name} (the namespace template's container defaults)`,
      // Two ranges' defaults apply in no set order: complete the one there.
      ...(ranges.length > 0
        ? {
            adapt: `Add the missing container fields to ${objectNames(
              ranges,
            )} instead of a second LimitRange`,
          }
        : {}),
    };
  },
};
