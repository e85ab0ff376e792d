import { matchesSelector } from '../engine/labels';
import { InvalidLabelSelectorError, parseLabelSelector } from './labelSelector';

const CHECKOUT = {
  'app.kubernetes.io/name': 'checkout-api',
  'app.kubernetes.io/part-of': 'online-store',
  tier: 'web',
};
const WORKER = {
  'app.kubernetes.io/name': 'payments-worker',
  'app.kubernetes.io/part-of': 'online-store',
};
const LEGACY = { app: 'legacy-web', constructor: 'x' };

/** Which of the three label sets a selector picks. */
function picks(selector: string): string[] {
  const parsed = parseLabelSelector(selector);
  return Object.entries({ CHECKOUT, WORKER, LEGACY })
    .filter(([, labels]) => matchesSelector(parsed, labels))
    .map(([name]) => name);
}

describe('parseLabelSelector', () => {
  it('reads equalities into matchLabels and the rest into matchExpressions', () => {
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

  it.each([
    ['app.kubernetes.io/name=checkout-api', ['CHECKOUT']],
    ['app.kubernetes.io/name == payments-worker', ['WORKER']],
    ['app.kubernetes.io/part-of=online-store,tier=web', ['CHECKOUT']],
    ['app.kubernetes.io/part-of=online-store,tier!=web', ['WORKER']],
    ['tier!=web', ['WORKER', 'LEGACY']],
    [
      'app.kubernetes.io/name in (checkout-api, payments-worker)',
      ['CHECKOUT', 'WORKER'],
    ],
    ['app.kubernetes.io/name notin (checkout-api)', ['WORKER', 'LEGACY']],
    ['tier', ['CHECKOUT']],
    ['!tier, app.kubernetes.io/part-of', ['WORKER']],
    // Contradicting equalities match nothing.
    ['tier=web,tier=db', []],
    ['tier=web,tier=web', ['CHECKOUT']],
    // A key that is also an object property name is a label like any other.
    ['constructor=x', ['LEGACY']],
    ['constructor', ['LEGACY']],
    // An empty value is a value: objects labelled app="" only.
    ['app=', []],
    ['', ['CHECKOUT', 'WORKER', 'LEGACY']],
  ])('%s selects %j', (selector, expected) => {
    expect(picks(selector)).toEqual(expected);
  });

  it.each([
    ['app in ()', 'no values for "app"'],
    ['app=a b', 'cannot read "app=a b"'],
    ['replicas>1', 'cannot read "replicas>1"'],
    ['app=web,', 'an empty requirement'],
    ['-app=web', '"-app" is not a key'],
    ['app=web!', '"web!" is not a label value'],
    ['app=(x)', '"(x)" is not a label value'],
    ['in (x)', 'cannot read "in (x)"'],
    ['bad key=1', 'cannot read "bad key=1"'],
    ['a in b', 'cannot read "a in b"'],
    ['=v', 'cannot read "=v"'],
    [`${'k'.repeat(64)}=v`, `"${'k'.repeat(64)}" is not a key`],
  ])('refuses %j: %s', (selector, reason) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      InvalidLabelSelectorError,
    );
    expect(() => parseLabelSelector(selector)).toThrow(
      `Invalid label selector "${selector}": ${reason}`,
    );
  });
});
