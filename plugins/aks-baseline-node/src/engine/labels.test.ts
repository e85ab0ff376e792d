import { isEmptySelector, matchesMapSelector, matchesSelector } from './labels';

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [
      { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      true,
    ],
    [
      { matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] },
      false,
    ],
    [
      { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] },
      true,
    ],
    [
      { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] },
      true,
    ],
    [
      {
        matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }],
      },
      false,
    ],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, false],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }],
      },
      false,
    ],
  ])('%j → %s', (selector, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected);
  });

  it('selects nothing with a null selector', () => {
    expect(matchesSelector(undefined, labels)).toBe(false);
    expect(matchesSelector(null, labels)).toBe(false);
  });

  it('matches map selectors; an empty map selects nothing', () => {
    expect(matchesMapSelector({ app: 'web' }, labels)).toBe(true);
    expect(matchesMapSelector({ app: 'web', x: 'y' }, labels)).toBe(false);
    expect(matchesMapSelector({}, labels)).toBe(false);
    expect(matchesMapSelector(undefined, labels)).toBe(false);
  });

  it('recognises empty selectors', () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {} })).toBe(true);
    expect(isEmptySelector({ matchLabels: { a: 'b' } })).toBe(false);
    expect(isEmptySelector(undefined)).toBe(false);
  });
});
