import { findWaiver, parseWaiverAnnotation } from './waivers';
import { KubeObject } from './types';

describe('parseWaiverAnnotation', () => {
  it.each([
    [
      'reason=singleton; expires=2026-06-30; owner=team-a',
      { reason: 'singleton', expires: '2026-06-30', owner: 'team-a' },
    ],
    [
      ' Owner : group:platform ;EXPIRES=2026-06-30;reason="legacy; vendor image"',
      {
        reason: 'legacy; vendor image',
        expires: '2026-06-30',
        owner: 'group:platform',
      },
    ],
    ['reason=a; b; c', { reason: 'a; b; c' }],
    ['vendor chart, cannot change', { reason: 'vendor chart, cannot change' }],
    ['reason=; owner=x', { owner: 'x' }],
    ['', {}],
    [';;;', {}],
  ])('%j', (value, expected) => {
    expect(parseWaiverAnnotation(value)).toEqual(expected);
  });
});

describe('findWaiver', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const obj = (annotations: Record<string, string>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', annotations },
  });
  const target = {
    cluster: 'c',
    namespace: 'shop',
    kind: 'Deployment',
    name: 'web',
  };

  it('prefers a valid config waiver over an expired annotation', () => {
    const match = findWaiver(
      'r',
      target,
      [obj({ 'aks-baseline.io/waive.r': 'reason=old; expires=2026-01-01' })],
      [
        {
          ruleId: 'r',
          owner: 'o',
          reason: 'new',
          scope: { kind: 'Deployment' },
        },
      ],
      now,
    );
    expect(match?.waiver).toMatchObject({ source: 'config', reason: 'new' });
  });

  it('returns the expired waiver when nothing valid exists', () => {
    const match = findWaiver(
      'r',
      target,
      [obj({ 'aks-baseline.io/waive.r': 'reason=old; expires=2026-01-01' })],
      [
        {
          ruleId: 'r',
          owner: 'o',
          reason: 'other cluster',
          scope: { cluster: 'x' },
        },
      ],
      now,
    );
    expect(match?.waiver).toMatchObject({
      source: 'annotation',
      expired: true,
    });
  });

  it('reports an unreadable expiry', () => {
    const match = findWaiver(
      'r',
      target,
      [obj({ 'aks-baseline.io/waive.r': 'reason=x; expires=soon' })],
      [],
      now,
    );
    expect(match?.waiver).toBeUndefined();
    expect(match?.problem).toMatch(/expires "soon" is not a date/);
  });

  it("waives nothing with the prefilled reason's placeholder, and says so", () => {
    const placeholder =
      '<why this object is an exception, and the ticket to fix it>';
    const annotated = findWaiver(
      'r',
      target,
      [
        obj({
          'aks-baseline.io/waive.r': `reason=${placeholder}; owner=team-a; expires=2026-05-30`,
        }),
      ],
      [],
      now,
    );
    expect(annotated?.waiver).toBeUndefined();
    expect(annotated?.problem).toMatch(
      /ignored: its reason is still the placeholder <why this object/,
    );
    const configured = findWaiver(
      'r',
      target,
      [],
      [{ ruleId: 'r', owner: 'o', reason: ` ${placeholder} ` }],
      now,
    );
    expect(configured?.waiver).toBeUndefined();
    expect(configured?.problem).toMatch(
      /configured waiver of r ignored: its reason is still the placeholder/,
    );
    // A written reason that mentions a placeholder-like token still waives.
    const written = findWaiver(
      'r',
      target,
      [],
      [
        {
          ruleId: 'r',
          owner: 'o',
          reason: 'vendor image <OPS-12>, fixed in Q3',
        },
      ],
      now,
    );
    expect(written?.waiver).toMatchObject({ source: 'config' });
  });

  it('ignores annotations for other rules', () => {
    expect(
      findWaiver(
        'r',
        target,
        [obj({ 'aks-baseline.io/waive.q': 'x' })],
        [],
        now,
      ),
    ).toBeUndefined();
  });
});
