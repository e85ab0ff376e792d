import { matchesSelector } from '@aks-baseline/plugin-aks-baseline-node';
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
const LEGACY = { app: 'legacy-web' };

/** Which of the three label sets a selector picks. */
function picks(selector: string): string[] {
  const parsed = parseLabelSelector(selector);
  return Object.entries({ CHECKOUT, WORKER, LEGACY })
    .filter(([, labels]) => matchesSelector(parsed, labels))
    .map(([name]) => name);
}

describe('parseLabelSelector', () => {
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
    ['tier=web,tier=db', []],
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
  ])('refuses %j', (selector, reason) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      InvalidLabelSelectorError,
    );
    expect(() => parseLabelSelector(selector)).toThrow(reason);
  });
});
