/*
 * Findings as database rows, so that they are paged and filtered in the
 * database: one row per finding of a cluster (its JSON as the API sends
 * it, ready to concatenate into a page), and one link row per finding of
 * an entity. Also what the cards need without reading the findings: each
 * failing rule with a few of its objects, and the filter facets.
 *
 * A row's `finding_key` names the finding (rule, object, and its rank among
 * findings of the same rule on the same object) and `content_hash` its
 * content, so that a later evaluation can tell what changed. `sort_key`
 * orders rows as the API lists them and is unique: it is the cursor of the
 * paged routes.
 *
 * The JSON holds the finding's fix (its rule's, for that object), worked
 * out here once per evaluation: it changes only when the finding does, so
 * an unchanged evaluation still rewrites no row.
 */
import { createHash } from 'crypto';
import {
  FACET_NAMESPACES_MAX,
  FAILING_RULE_SAMPLE,
  FailingRuleSummary,
  Finding,
  FindingFacets,
  FindingStatus,
  SEVERITIES,
  SEVERITY_WEIGHTS,
  compareSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { fixOf } from '@aks-baseline/plugin-aks-baseline-node';
import { ITEMS_PER_STEP, runToEnd, Steps } from '../service/slices';

/** A finding's JSON beyond this size is stored without its evidence values. */
export const MAX_FINDING_BYTES = 64 * 1024;

/** Failures first, as `compareFindings` (scoring.ts) orders them. */
const STATUS_RANK: Record<FindingStatus, number> = {
  fail: 0,
  waived: 1,
  unknown: 2,
  manual: 3,
  'not-applicable': 4,
};

/**
 * Findings between yields: a row works out its finding's fix (about 0.1 ms,
 * about three times a plain row), so fewer than the other steps' ITEMS_PER_STEP.
 */
const ROWS_PER_STEP = Math.max(1, ITEMS_PER_STEP >> 3);

/** Separates the fields of a sort key: below every character they may hold. */
const SEP = '\u0001';

export interface ClusterFindingRow {
  cluster: string;
  finding_key: string;
  content_hash: string;
  sort_key: string;
  status: string;
  severity: string;
  category: string;
  rule_id: string;
  resource_kind: string;
  /** `''` for cluster-scoped objects. */
  resource_namespace: string;
  /** Lower-cased words `q` searches. */
  search_text: string;
  /** The finding's JSON, as the API sends it. */
  body: string;
}

export type EntityFindingRow = Omit<
  ClusterFindingRow,
  'content_hash' | 'search_text' | 'body'
> & { entity_ref: string };

/** A short stable hash (finding keys, content hashes). */
export function base64urlSha1(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}

/** Control characters would break the sort key's field order. */
function field(value: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (value ?? '').replace(/[\u0000-\u001f]/g, ' ');
}

/**
 * The finding as the API serves it: its words (an engine finding renders
 * them when read) and its fix, when its rule has one.
 */
export function servedFinding(finding: Finding): Finding {
  const plain: Finding =
    typeof (finding as { toJSON?: unknown }).toJSON === 'function'
      ? (finding as unknown as { toJSON(): Finding }).toJSON()
      : finding;
  const fix = fixOf(finding);
  return fix ? { ...plain, fix } : plain;
}

/** The engine's finding each served copy was made from. */
const originals = new WeakMap<Finding, Finding>();

/**
 * The served finding with more fields (admission). A copy, not a spread of
 * the finding: an engine finding's words and fix are worked out when read,
 * and a spread would leave them behind. Its row is also the row of the
 * engine's finding, which entities hold.
 */
export function servedCopy(finding: Finding, extra: Partial<Finding>): Finding {
  const copy = { ...servedFinding(finding), ...extra };
  originals.set(copy, originals.get(finding) ?? finding);
  return copy;
}

/**
 * The finding's JSON as served, its evidence values dropped when it is too
 * large (then its fix too, when that is not enough).
 */
export function findingBody(finding: Finding): string {
  const served = servedFinding(finding);
  const body = JSON.stringify(served);
  if (Buffer.byteLength(body) <= MAX_FINDING_BYTES) return body;
  const evidence = (served.evidence ?? []).map(e => ({
    path: e.path,
    expected: `${
      e.expected ? `${e.expected}; ` : ''
    }value not stored: the finding's evidence is larger than ${MAX_FINDING_BYTES} bytes`,
  }));
  const trimmed = JSON.stringify({ ...served, evidence });
  if (Buffer.byteLength(trimmed) <= MAX_FINDING_BYTES) return trimmed;
  const { fix: _fix, ...rest } = served;
  return JSON.stringify({
    ...rest,
    message: `${served.message.slice(0, 1024)}…`,
    evidence: [],
  });
}

/**
 * The rows of one cluster's findings, and the row of each finding object
 * (entity findings are the same objects, linked by key).
 */
export function clusterFindingRows(
  cluster: string,
  findings: readonly Finding[],
): { rows: ClusterFindingRow[]; rowOf: Map<Finding, ClusterFindingRow> } {
  return runToEnd(clusterFindingRowSteps(cluster, findings));
}

/** {@link clusterFindingRows} as steps, for a server to run in slices. */
export function* clusterFindingRowSteps(
  cluster: string,
  findings: readonly Finding[],
): Steps<{
  rows: ClusterFindingRow[];
  rowOf: Map<Finding, ClusterFindingRow>;
}> {
  const occurrences = new Map<string, number>();
  const rows: ClusterFindingRow[] = [];
  const rowOf = new Map<Finding, ClusterFindingRow>();
  for (let i = 0; i < findings.length; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const finding = findings[i];
    if (rowOf.has(finding)) continue;
    const { resource } = finding;
    const namespace = field(resource.namespace);
    const identity = [
      finding.ruleId,
      resource.kind,
      namespace,
      resource.name,
    ].join('\u0000');
    const rank = occurrences.get(identity) ?? 0;
    occurrences.set(identity, rank + 1);
    const body = findingBody(finding);
    const row: ClusterFindingRow = {
      cluster,
      finding_key: base64urlSha1(`${identity}\u0000${rank}`),
      content_hash: base64urlSha1(body),
      sort_key: [
        `${STATUS_RANK[finding.status] ?? 9}${Math.max(
          0,
          SEVERITIES.indexOf(finding.severity),
        )}`,
        field(finding.ruleId),
        field(cluster),
        namespace,
        field(resource.name),
        field(resource.kind),
        String(rank).padStart(6, '0'),
      ].join(SEP),
      status: finding.status,
      severity: finding.severity,
      category: finding.category,
      rule_id: finding.ruleId,
      resource_kind: resource.kind,
      resource_namespace: resource.namespace ?? '',
      search_text: [
        finding.ruleId,
        finding.baselineRef,
        finding.message,
        resource.kind,
        resource.namespace ?? '',
        resource.name,
        cluster,
      ]
        .join('\n')
        .toLocaleLowerCase('en-US'),
      body,
    };
    rows.push(row);
    rowOf.set(finding, row);
    // Entities hold the engine's finding, not the copy marked with admission.
    const original = originals.get(finding);
    if (original) rowOf.set(original, row);
  }
  return { rows, rowOf };
}

/** The link rows of an entity's findings on one cluster. */
export function entityFindingRows(
  entityRef: string,
  findings: readonly Finding[],
  rowOf: ReadonlyMap<Finding, ClusterFindingRow>,
): EntityFindingRow[] {
  const out: EntityFindingRow[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const row = rowOf.get(finding);
    // Every entity finding is one of the cluster's; a stray one is not stored.
    if (!row || seen.has(row.finding_key)) continue;
    seen.add(row.finding_key);
    out.push(entityLink(entityRef, row));
  }
  return out;
}

/** The link row of one cluster finding to an entity. */
export function entityLink(
  entityRef: string,
  row: ClusterFindingRow,
): EntityFindingRow {
  return {
    entity_ref: entityRef,
    cluster: row.cluster,
    finding_key: row.finding_key,
    sort_key: row.sort_key,
    status: row.status,
    severity: row.severity,
    category: row.category,
    rule_id: row.rule_id,
    resource_kind: row.resource_kind,
    resource_namespace: row.resource_namespace,
  };
}

/** The costliest first: severity weight times failures, then severity, then id. */
function compareCost(a: FailingRuleSummary, b: FailingRuleSummary): number {
  return (
    SEVERITY_WEIGHTS[b.severity] * b.failures -
      SEVERITY_WEIGHTS[a.severity] * a.failures ||
    compareSeverity(a.severity, b.severity) ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function compareObjects(a: Finding, b: Finding): number {
  return (
    (a.cluster ?? '').localeCompare(b.cluster ?? '') ||
    (a.resource.namespace ?? '').localeCompare(b.resource.namespace ?? '') ||
    a.resource.name.localeCompare(b.resource.name) ||
    a.resource.kind.localeCompare(b.resource.kind)
  );
}

/** Every failing rule with its count and its first objects. */
export function failingRuleSummaries(
  findings: readonly Finding[],
): FailingRuleSummary[] {
  const byRule = new Map<
    string,
    { summary: FailingRuleSummary; sample: Finding[] }
  >();
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    let entry = byRule.get(f.ruleId);
    if (!entry) {
      entry = {
        summary: {
          ruleId: f.ruleId,
          baselineRef: f.baselineRef,
          category: f.category,
          severity: f.severity,
          failures: 0,
          resources: [],
          clusters: [],
        },
        sample: [],
      };
      byRule.set(f.ruleId, entry);
    }
    entry.summary.failures++;
    if (f.cluster && !entry.summary.clusters.includes(f.cluster)) {
      entry.summary.clusters.push(f.cluster);
    }
    // Keep the first objects in list order without sorting them all.
    const sample = entry.sample;
    if (
      sample.length < FAILING_RULE_SAMPLE ||
      compareObjects(f, sample[sample.length - 1]) < 0
    ) {
      sample.push(f);
      sample.sort(compareObjects);
      if (sample.length > FAILING_RULE_SAMPLE) sample.pop();
    }
  }
  return [...byRule.values()]
    .map(({ summary, sample }) => ({
      ...summary,
      clusters: summary.clusters.sort(),
      resources: sample.map(f => f.resource),
    }))
    .sort(compareCost);
}

/** Combines per-cluster summaries of one entity. */
export function mergeFailingRules(
  lists: readonly FailingRuleSummary[][],
): FailingRuleSummary[] {
  const byRule = new Map<string, FailingRuleSummary>();
  for (const list of lists) {
    for (const rule of list) {
      const seen = byRule.get(rule.ruleId);
      if (!seen) {
        byRule.set(rule.ruleId, {
          ...rule,
          resources: [...rule.resources],
          clusters: [...rule.clusters],
        });
        continue;
      }
      seen.failures += rule.failures;
      for (const c of rule.clusters) {
        if (!seen.clusters.includes(c)) seen.clusters.push(c);
      }
      // Lists come cluster by cluster in cluster order: the first objects stay first.
      for (const r of rule.resources) {
        if (seen.resources.length < FAILING_RULE_SAMPLE) seen.resources.push(r);
      }
    }
  }
  return [...byRule.values()]
    .map(r => ({ ...r, clusters: r.clusters.sort() }))
    .sort(compareCost);
}

export function emptyFacets(): FindingFacets {
  return { severity: {}, status: {}, category: {}, cluster: {}, namespace: {} };
}

function increment<K extends string>(
  counts: Partial<Record<K, number>>,
  key: K,
  by = 1,
) {
  counts[key] = (counts[key] ?? 0) + by;
}

/** The namespaces with the most findings, at most FACET_NAMESPACES_MAX. */
function capNamespaces(facets: FindingFacets): FindingFacets {
  const entries = Object.entries(facets.namespace);
  if (entries.length <= FACET_NAMESPACES_MAX) return facets;
  const kept = entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, FACET_NAMESPACES_MAX);
  return {
    ...facets,
    namespace: Object.fromEntries(
      kept.sort((a, b) => a[0].localeCompare(b[0])),
    ),
    namespacesTruncated: true,
  };
}

/** How findings split by each filter of the findings table. */
export function findingFacets(findings: readonly Finding[]): FindingFacets {
  const facets = emptyFacets();
  for (const f of findings) {
    increment(facets.severity, f.severity);
    increment(facets.status, f.status);
    increment(facets.category, f.category);
    if (f.cluster) increment(facets.cluster, f.cluster);
    increment(facets.namespace, f.resource.namespace ?? '');
  }
  return capNamespaces(facets);
}

/** Adds facets of one entity's clusters together. */
export function mergeFacets(list: readonly FindingFacets[]): FindingFacets {
  const out = emptyFacets();
  let truncated = false;
  for (const facets of list) {
    for (const key of [
      'severity',
      'status',
      'category',
      'cluster',
      'namespace',
    ] as const) {
      const into = out[key] as Record<string, number>;
      for (const [value, n] of Object.entries(
        facets[key] as Record<string, number>,
      )) {
        increment(into, value, n);
      }
    }
    truncated ||= Boolean(facets.namespacesTruncated);
  }
  const capped = capNamespaces(out);
  return truncated ? { ...capped, namespacesTruncated: true } : capped;
}

/** Rule ids of the `manual` findings, sorted. */
export function manualRuleIds(findings: readonly Finding[]): string[] {
  return [
    ...new Set(findings.filter(f => f.status === 'manual').map(f => f.ruleId)),
  ].sort();
}
