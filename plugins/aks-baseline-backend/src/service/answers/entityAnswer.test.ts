import { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { answerForClusters } from './entityAnswer';

const totals = {
  passed: 1,
  failed: 1,
  passedWeight: 1,
  failedWeight: 1,
  unknown: 0,
  waived: 0,
  notApplicable: 0,
};
const counts = {
  failing: { critical: 0, high: 1, medium: 0, low: 0 },
  waived: 0,
  unknown: 0,
  manual: 0,
  notApplicable: 0,
};
const part = (cluster: string, staleReason?: string) => ({
  cluster,
  score: 50,
  grade: 'F' as const,
  categories: [],
  totals,
  counts,
  evaluatedAt: '2026-12-01T00:00:00.000Z',
  stale: staleReason !== undefined,
  ...(staleReason ? { staleReason } : {}),
  resources: [],
  resourceCount: 1,
});

const answer: EntityScoreResponse = {
  entityRef: 'component:default/a',
  score: 50,
  grade: 'F',
  categories: [],
  totals,
  counts,
  resourceCount: 2,
  evaluatedAt: '2026-12-01T00:00:00.000Z',
  stale: true,
  failingRules: [
    {
      ruleId: 'r',
      baselineRef: 'PS-01',
      category: 'pod-security',
      severity: 'high',
      failures: 2,
      resources: [],
      clusters: ['secret-cluster', 'shared'],
    },
  ],
  manualRuleIds: [],
  facets: {
    severity: { high: 2 },
    status: { fail: 2 },
    category: { 'pod-security': 2 },
    cluster: { 'secret-cluster': 1, shared: 1 },
    namespace: { shop: 2 },
  },
  totalFindings: 2,
  clusters: [
    part('secret-cluster', 'timed out reading secret-cluster.example'),
    part('shared', 'forbidden (403)'),
  ],
  staleReason:
    'secret-cluster: timed out reading secret-cluster.example; shared: forbidden (403)',
};

describe('answerForClusters', () => {
  it('names only the visible clusters, stale reasons included', () => {
    const seen = answerForClusters(answer, new Set(['shared']));
    expect(JSON.stringify(seen)).not.toContain('secret-cluster');
    expect(seen.clusters.map(c => c.cluster)).toEqual(['shared']);
    expect(seen.failingRules[0].clusters).toEqual(['shared']);
    expect(seen.facets.cluster).toEqual({ shared: 1 });
    expect(seen.staleReason).toBe('shared: forbidden (403)');
    expect(seen.score).toBe(50);
    expect(seen.totalFindings).toBe(2);
  });

  it('drops the stale reason when no visible cluster is stale', () => {
    const seen = answerForClusters(answer, new Set());
    expect(seen.clusters).toEqual([]);
    expect(seen.staleReason).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain('secret-cluster');
  });
});
