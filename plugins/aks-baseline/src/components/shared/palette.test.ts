import { ALL_SWATCHES, contrastRatio } from './palette';
import { relativeTime, resourceLabel, shortRef, evidenceValue } from './format';
import { toSeries } from './Sparkline';

describe('palette', () => {
  it('keeps every grade and severity text readable (WCAG AA, 4.5:1)', () => {
    for (const swatch of ALL_SWATCHES) {
      expect(
        contrastRatio(swatch.background, swatch.text),
      ).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('computes known contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 0);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
  });
});

describe('format', () => {
  const now = Date.parse('2026-05-04T10:00:00Z');
  it('says when, relatively', () => {
    expect(relativeTime('2026-05-04T09:59:40Z', now)).toBe('just now');
    expect(relativeTime('2026-05-04T09:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-05-04T07:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-05-03T10:00:00Z', now)).toBe('yesterday');
    expect(relativeTime(undefined, now)).toBe('never');
  });

  it('labels resources and refs', () => {
    expect(
      resourceLabel({ kind: 'Deployment', name: 'api', namespace: 'payments' }),
    ).toBe('Deployment payments/api');
    expect(resourceLabel({ kind: 'AgentPool', name: 'userpool1' })).toBe(
      'AgentPool userpool1',
    );
    expect(shortRef('group:default/team-payments')).toBe('team-payments');
    expect(shortRef('group:platform/sre')).toBe('platform/sre');
  });

  it('shows evidence values, absent ones as not set', () => {
    expect(evidenceValue(undefined)).toBe('(not set)');
    expect(evidenceValue(false)).toBe('false');
    expect(evidenceValue('none')).toBe('none');
    expect(evidenceValue([])).toBe('[]');
  });
});

describe('toSeries', () => {
  it('splits history by cluster, oldest first, skipping null scores', () => {
    const series = toSeries([
      { evaluatedAt: '2026-05-04T10:00:00Z', score: 90, cluster: 'a' },
      { evaluatedAt: '2026-05-04T09:00:00Z', score: null, cluster: 'a' },
      { evaluatedAt: '2026-05-04T08:00:00Z', score: 80, cluster: 'a' },
      { evaluatedAt: '2026-05-04T08:00:00Z', score: 50, cluster: 'b' },
    ]);
    expect(series.map(s => [s.cluster, s.points.map(p => p.score)])).toEqual([
      ['a', [80, 90]],
      ['b', [50]],
    ]);
  });
});
