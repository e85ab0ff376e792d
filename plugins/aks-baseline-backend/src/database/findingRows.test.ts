import {
  FACET_NAMESPACES_MAX,
  Finding,
} from '@aks-baseline/plugin-aks-baseline-common';
import { compareFindings } from '../scoring';
import {
  clusterFindingRows,
  entityFindingRows,
  failingRuleSummaries,
  findingBody,
  findingFacets,
  MAX_FINDING_BYTES,
  mergeFacets,
  mergeFailingRules,
} from './findingRows';

function finding(overrides: Partial<Finding> & { name?: string }): Finding {
  const { name, ...rest } = overrides;
  return {
    ruleId: 'container-run-as-non-root',
    baselineRef: 'PS-02',
    category: 'pod-security',
    severity: 'high',
    status: 'fail',
    cluster: 'prod',
    resource: { kind: 'Deployment', name: name ?? 'api', namespace: 'shop' },
    message: 'may run as root',
    ...rest,
  };
}

describe('clusterFindingRows', () => {
  it('orders rows by sort key exactly as compareFindings orders findings', () => {
    const findings: Finding[] = [];
    const statuses = ['fail', 'waived', 'unknown', 'manual', 'not-applicable'];
    const severities = ['low', 'critical', 'medium', 'high'];
    for (let i = 0; i < 400; i++) {
      findings.push(
        finding({
          status: statuses[i % 5] as Finding['status'],
          severity: severities[(i * 7) % 4] as Finding['severity'],
          ruleId: `rule-${(i * 13) % 9}`,
          resource: {
            kind: i % 3 ? 'Deployment' : 'Namespace',
            name: `app-${(i * 31) % 17}`,
            ...(i % 11 ? { namespace: `ns-${i % 4}` } : {}),
          },
        }),
      );
    }
    const { rows, rowOf } = clusterFindingRows('prod', findings);
    const bySortKey = [...rows]
      .sort((a, b) => (a.sort_key < b.sort_key ? -1 : 1))
      .map(r => JSON.parse(r.body) as Finding);
    const byCompare = [...findings].sort(compareFindings);
    // compareFindings leaves kind and duplicates unordered: compare what it orders.
    const order = (f: Finding) =>
      [
        f.status,
        f.severity,
        f.ruleId,
        f.resource.namespace ?? '',
        f.resource.name,
      ].join('/');
    expect(bySortKey.map(order)).toEqual(byCompare.map(order));
    expect(new Set(rows.map(r => r.sort_key)).size).toBe(rows.length);
    expect(rowOf.size).toBe(findings.length);
  });

  it('gives stable keys: the same finding, the same key; the content in the hash', () => {
    const a = finding({});
    const again = clusterFindingRows('prod', [
      finding({}),
      finding({ name: 'b' }),
    ]);
    const first = clusterFindingRows('prod', [a]).rows[0];
    expect(again.rows[0].finding_key).toBe(first.finding_key);
    expect(again.rows[0].content_hash).toBe(first.content_hash);
    const changed = clusterFindingRows('prod', [
      finding({ message: 'now says something else' }),
    ]).rows[0];
    expect(changed.finding_key).toBe(first.finding_key);
    expect(changed.content_hash).not.toBe(first.content_hash);
  });

  it('tells apart several findings of one rule on one object, and keeps cluster-scoped ones', () => {
    const twice = [
      finding({ status: 'unknown', message: 'one' }),
      finding({ status: 'unknown', message: 'two' }),
      finding({ resource: { kind: 'ManagedCluster', name: 'prod' } }),
    ];
    const { rows } = clusterFindingRows('prod', twice);
    expect(new Set(rows.map(r => r.finding_key)).size).toBe(3);
    expect(new Set(rows.map(r => r.sort_key)).size).toBe(3);
    expect(rows[2].resource_namespace).toBe('');
    expect(rows[0].search_text).toContain('one');
    expect(rows[0].search_text).toContain('ps-02');
  });

  it('links an entity to the rows of its findings only', () => {
    const mine = finding({});
    const other = finding({ name: 'other' });
    const { rowOf } = clusterFindingRows('prod', [mine, other]);
    const stray = finding({ name: 'stray' });
    const links = entityFindingRows(
      'component:default/a',
      [mine, stray, mine],
      rowOf,
    );
    expect(links).toEqual([
      expect.objectContaining({
        entity_ref: 'component:default/a',
        finding_key: rowOf.get(mine)!.finding_key,
        sort_key: rowOf.get(mine)!.sort_key,
      }),
    ]);
  });
});

describe('findingBody', () => {
  it('stores a finding as its JSON, and drops evidence values past the bound', () => {
    const small = finding({ evidence: [{ path: 'spec', value: 1 }] });
    expect(findingBody(small)).toBe(JSON.stringify(small));
    const large = finding({
      evidence: [{ path: 'spec.x', value: 'x'.repeat(MAX_FINDING_BYTES) }],
    });
    const body = JSON.parse(findingBody(large));
    expect(Buffer.byteLength(findingBody(large))).toBeLessThanOrEqual(
      MAX_FINDING_BYTES,
    );
    expect(body.evidence).toEqual([
      { path: 'spec.x', expected: expect.stringMatching(/value not stored/) },
    ]);
    expect(body.message).toBe(large.message);
  });
});

describe('failingRuleSummaries', () => {
  it('counts failures per rule, the costliest first, with the first objects', () => {
    const findings = [
      ...['d', 'c', 'b', 'a', 'e'].map(name => finding({ name })),
      finding({ ruleId: 'low-rule', severity: 'low', name: 'z' }),
      finding({ ruleId: 'waived', status: 'waived' }),
    ];
    const summaries = failingRuleSummaries(findings);
    expect(summaries.map(s => [s.ruleId, s.failures])).toEqual([
      ['container-run-as-non-root', 5],
      ['low-rule', 1],
    ]);
    expect(summaries[0].resources.map(r => r.name)).toEqual(['a', 'b', 'c']);
    expect(summaries[0].clusters).toEqual(['prod']);
  });

  it('merges the summaries of an entity over its clusters', () => {
    const merged = mergeFailingRules([
      failingRuleSummaries([finding({ cluster: 'a', name: 'x' })]),
      failingRuleSummaries([
        finding({ cluster: 'b', name: 'y' }),
        finding({ cluster: 'b', name: 'z' }),
        finding({ cluster: 'b', name: 'w', ruleId: 'other', severity: 'low' }),
      ]),
    ]);
    expect(merged[0]).toEqual(
      expect.objectContaining({
        ruleId: 'container-run-as-non-root',
        failures: 3,
        clusters: ['a', 'b'],
        resources: [
          expect.objectContaining({ name: 'x' }),
          expect.objectContaining({ name: 'y' }),
          expect.objectContaining({ name: 'z' }),
        ],
      }),
    );
    expect(merged[1].ruleId).toBe('other');
  });
});

describe('findingFacets', () => {
  it('counts each filter value, and keeps the namespaces with the most findings', () => {
    const findings: Finding[] = [];
    for (let i = 0; i < FACET_NAMESPACES_MAX + 10; i++) {
      findings.push(
        finding({
          name: `a${i}`,
          resource: { kind: 'Deployment', name: 'x', namespace: `ns-${i}` },
        }),
      );
    }
    findings.push(
      finding({
        resource: { kind: 'Deployment', name: 'y', namespace: 'ns-5' },
      }),
    );
    findings.push(
      finding({
        status: 'unknown',
        resource: { kind: 'ManagedCluster', name: 'prod' },
      }),
    );
    const facets = findingFacets(findings);
    expect(facets.status).toEqual({
      fail: FACET_NAMESPACES_MAX + 11,
      unknown: 1,
    });
    expect(facets.cluster).toEqual({ prod: FACET_NAMESPACES_MAX + 12 });
    expect(Object.keys(facets.namespace)).toHaveLength(FACET_NAMESPACES_MAX);
    expect(facets.namespace['ns-5']).toBe(2);
    expect(facets.namespacesTruncated).toBe(true);
    const merged = mergeFacets([facets, findingFacets([finding({})])]);
    expect(merged.severity.high).toBe(FACET_NAMESPACES_MAX + 13);
    expect(merged.namespacesTruncated).toBe(true);
  });
});
