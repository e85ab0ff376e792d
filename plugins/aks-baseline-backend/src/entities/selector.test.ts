import {
  LabelSelectorSyntaxError,
  anchorOf,
  parseLabelSelector,
  selectorMatches,
} from './selector';

describe('parseLabelSelector', () => {
  it('reads equality, set and existence requirements', () => {
    expect(
      parseLabelSelector(
        'app.kubernetes.io/name=payments-worker, tier==backend,env!=dev,track in (stable, canary),zone notin (a),team,!legacy',
      ),
    ).toEqual({
      matchLabels: {
        'app.kubernetes.io/name': 'payments-worker',
        tier: 'backend',
      },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'track', operator: 'In', values: ['stable', 'canary'] },
        { key: 'zone', operator: 'NotIn', values: ['a'] },
        { key: 'team', operator: 'Exists' },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
  });

  it.each(['', 'a=b,', 'in (x)', 'app=(x)', 'bad key=1', 'k in ()', '=v'])(
    'rejects %p',
    text => {
      expect(() => parseLabelSelector(text)).toThrow(LabelSelectorSyntaxError);
    },
  );

  it('keeps contradicting equalities impossible', () => {
    const s = parseLabelSelector('a=1,a=2');
    expect(selectorMatches(s, { a: '1' })).toBe(false);
    expect(selectorMatches(s, { a: '2' })).toBe(false);
  });
});

describe('selectorMatches', () => {
  const s = parseLabelSelector('app=web,env!=dev,track in (stable),!legacy');
  it.each([
    [{ app: 'web', track: 'stable' }, true],
    [{ app: 'web', track: 'stable', env: 'prod' }, true],
    [{ app: 'web', track: 'stable', env: 'dev' }, false],
    [{ app: 'web', track: 'canary' }, false],
    [{ app: 'web', track: 'stable', legacy: 'true' }, false],
    [{ app: 'api', track: 'stable' }, false],
    [undefined, false],
  ])('%p → %p', (labels, expected) => {
    expect(selectorMatches(s, labels as any)).toBe(expected);
  });

  it('finds an equality to look candidates up by', () => {
    expect(anchorOf(s)).toEqual({ key: 'app', value: 'web' });
    expect(anchorOf(parseLabelSelector('a in (x)'))).toEqual({
      key: 'a',
      value: 'x',
    });
    expect(anchorOf(parseLabelSelector('a in (x,y)'))).toBeUndefined();
  });
});
