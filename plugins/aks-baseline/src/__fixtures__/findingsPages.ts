/*
 * What the backend prepares from a list of findings (failing rules with
 * their first objects, facets, manual rules, the count) and how it pages
 * and filters them, for the fixtures and the fake backend of the tests.
 */
import {
  FAILING_RULE_SAMPLE,
  FailingRuleSummary,
  Finding,
  FindingFacets,
  FindingsPage,
  SEVERITY_WEIGHTS,
} from '@aks-baseline/plugin-aks-baseline-common';

export function prepared(findings: readonly Finding[]): {
  failingRules: FailingRuleSummary[];
  facets: FindingFacets;
  manualRuleIds: string[];
  totalFindings: number;
} {
  const byRule = new Map<string, FailingRuleSummary>();
  const facets: FindingFacets = {
    severity: {},
    status: {},
    category: {},
    cluster: {},
    namespace: {},
  };
  const add = (counts: Record<string, number>, key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const f of findings) {
    add(facets.severity, f.severity);
    add(facets.status, f.status);
    add(facets.category, f.category);
    if (f.cluster) add(facets.cluster, f.cluster);
    add(facets.namespace, f.resource.namespace ?? '');
    if (f.status !== 'fail') continue;
    const rule = byRule.get(f.ruleId) ?? {
      ruleId: f.ruleId,
      baselineRef: f.baselineRef,
      category: f.category,
      severity: f.severity,
      failures: 0,
      resources: [],
      clusters: [],
    };
    rule.failures++;
    if (rule.resources.length < FAILING_RULE_SAMPLE) {
      rule.resources.push(f.resource);
    }
    if (f.cluster && !rule.clusters.includes(f.cluster)) {
      rule.clusters.push(f.cluster);
    }
    byRule.set(f.ruleId, rule);
  }
  return {
    failingRules: [...byRule.values()].sort(
      (a, b) =>
        SEVERITY_WEIGHTS[b.severity] * b.failures -
        SEVERITY_WEIGHTS[a.severity] * a.failures,
    ),
    facets,
    manualRuleIds: [
      ...new Set(
        findings.filter(f => f.status === 'manual').map(f => f.ruleId),
      ),
    ],
    totalFindings: findings.length,
  };
}

const STATUS_ORDER = ['fail', 'waived', 'unknown', 'manual', 'not-applicable'];
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

/** The backend's order: status, severity, rule, cluster, namespace, name. */
function compareAsBackend(a: Finding, b: Finding): number {
  const text = (f: Finding) =>
    [
      f.ruleId,
      f.cluster ?? '',
      f.resource.namespace ?? '',
      f.resource.name,
    ].join('\u0001');
  return (
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    (text(a) < text(b) ? -1 : Number(text(a) > text(b)))
  );
}

/** One page of `findings` for a request URL, as the backend answers it. */
export function findingsPage(
  findings: readonly Finding[],
  url: string,
): FindingsPage {
  const params = new URL(url).searchParams;
  const list = (name: string) =>
    params.get(name)?.split(',').filter(Boolean) ?? undefined;
  const matches = (values: string[] | undefined, value: string) =>
    !values || values.includes(value);
  const q = params.get('q')?.toLocaleLowerCase('en-US');
  const namespaces = list('namespace')?.map(n => (n === '-' ? '' : n));
  const matching = [...findings]
    .sort(compareAsBackend)
    .filter(
      f =>
        matches(list('severity'), f.severity) &&
        matches(list('status'), f.status) &&
        matches(list('category'), f.category) &&
        matches(list('rule'), f.ruleId) &&
        matches(list('kind'), f.resource.kind) &&
        matches(list('cluster'), f.cluster ?? '') &&
        matches(namespaces, f.resource.namespace ?? '') &&
        (!q ||
          [f.ruleId, f.baselineRef, f.message, f.resource.name]
            .join('\n')
            .toLocaleLowerCase('en-US')
            .includes(q)),
    );
  const limit = Number(params.get('limit') ?? 100);
  const cursor = params.get('cursor');
  const start = cursor ? Number(cursor.slice('c1.'.length)) : 0;
  const items = matching.slice(start, start + limit);
  const page: FindingsPage = { items };
  if (start + limit < matching.length) page.nextCursor = `c1.${start + limit}`;
  if (!cursor) page.total = matching.length;
  return page;
}
