import { InputError } from '@backstage/errors';
import { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import {
  decodeCursor,
  encodeCursor,
  findingsPageRequest,
  pageJson,
} from './findingsQuery';

const rules = new Map<string, RuleInfo>(
  [
    {
      id: 'container-run-as-non-root',
      title: 'Containers run as a non-root user',
    },
    { id: 'image-pinned', title: 'Images are pinned by digest' },
  ].map(r => [r.id, r as RuleInfo]),
);

describe('findingsPageRequest', () => {
  it('reads filters, limit and cursor', () => {
    const cursor = encodeCursor('00\u0001rule\u0001prod');
    expect(
      findingsPageRequest(
        {
          severity: ['high', 'critical,low'],
          status: 'fail',
          rule: 'image-pinned',
          namespace: '-,shop',
          q: '  NON-Root ',
          limit: '500',
          cursor,
        },
        rules,
        { entity: false },
      ),
    ).toEqual({
      filters: {
        severity: ['high', 'critical', 'low'],
        status: ['fail'],
        rule: ['image-pinned'],
        namespace: ['', 'shop'],
        search: { text: 'non-root', ruleIds: ['container-run-as-non-root'] },
      },
      after: '00\u0001rule\u0001prod',
      limit: 500,
      maxBytes: 1024 * 1024,
      withTotal: false,
    });
    const first = findingsPageRequest({}, rules, { entity: true });
    expect(first.limit).toBe(100);
    expect(first.withTotal).toBe(true);
  });

  it.each([
    [{ limit: '501' }, /limit must be a whole number from 1 to 500/],
    [{ limit: '0' }, /limit/],
    [{ limit: ['10', '20'] }, /limit/],
    [{ severity: 'urgent' }, /Invalid severity "urgent"/],
    [{ rule: 'no-such-rule' }, /Invalid rule "no-such-rule"/],
    [{ cluster: 'prod' }, /Unknown query parameter cluster/],
    [{ cursor: 'abc' }, /Invalid cursor/],
    [{ cursor: 'c1.!!' }, /Invalid cursor/],
    [{ cursor: encodeCursor('not a sort key') }, /Invalid cursor/],
    [{ cursor: ['c1.a', 'c1.b'] }, /Invalid cursor/],
    [{ q: ['a', 'b'] }, /q must be one text/],
    [{ kind: Array.from({ length: 101 }, (_, i) => `k${i}`) }, /At most 100/],
  ])('refuses %j with a 400', (query, message) => {
    expect(() => findingsPageRequest(query, rules, { entity: false })).toThrow(
      InputError,
    );
    expect(() => findingsPageRequest(query, rules, { entity: false })).toThrow(
      message,
    );
  });

  it('round-trips cursors, and refuses anything else', () => {
    const key =
      '21\u0001rule-a\u0001prod\u0001ns\u0001name\u0001Kind\u0001000003';
    expect(decodeCursor(encodeCursor(key))).toBe(key);
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(() => decodeCursor(42)).toThrow(InputError);
  });
});

describe('pageJson', () => {
  it('joins the stored JSON into a FindingsPage', () => {
    const json = pageJson({
      bodies: ['{"a":1}', '{"b":2}'],
      next: '00\u0001x',
      total: 9,
    });
    expect(JSON.parse(json)).toEqual({
      items: [{ a: 1 }, { b: 2 }],
      nextCursor: encodeCursor('00\u0001x'),
      total: 9,
    });
    expect(JSON.parse(pageJson({ bodies: [] }))).toEqual({ items: [] });
  });
});
