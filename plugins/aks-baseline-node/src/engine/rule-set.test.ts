import { RULE_CATALOG } from '../rules';
import { PASS } from './outcomes';
import { ObjectRule } from './rule';
import { RuleDefinitionError } from './rule-parts';
import { checkRuleSet } from './rule-set';

const widgetRule: ObjectRule = {
  id: 'acme-widget-owned',
  baselineRef: 'OP-05',
  category: 'operations',
  severity: 'low',
  title: 'Widgets name their owner',
  rationale: 'Someone must answer for a widget when it breaks.',
  remediation: { summary: 'Set spec.owner.' },
  scope: 'object',
  source: 'kubernetes',
  appliesTo: {
    kinds: [
      {
        kind: 'Widget',
        group: 'acme.example.com',
        version: 'v1',
        plural: 'widgets',
      },
    ],
  },
  check: () => PASS,
};

/** The error checkRuleSet throws for `rules`, to assert on its rule and words. */
function refusal(rules: readonly unknown[]): RuleDefinitionError {
  try {
    checkRuleSet(rules);
  } catch (error) {
    if (error instanceof RuleDefinitionError) return error;
    throw error;
  }
  throw new Error('the rule set was accepted');
}

describe('checkRuleSet', () => {
  it('accepts the catalog with custom rules, in order', () => {
    const rules = checkRuleSet([...RULE_CATALOG, widgetRule]);
    expect(rules).toHaveLength(RULE_CATALOG.length + 1);
    expect(rules[rules.length - 1]).toBe(widgetRule);
  });

  it('refuses an id used twice, naming it', () => {
    const error = refusal([...RULE_CATALOG, { ...widgetRule }, widgetRule]);
    expect(error.ruleId).toBe('acme-widget-owned');
    expect(error.message).toBe(
      'Rule acme-widget-owned: is defined twice: rule ids are unique across the built-in catalog and custom rules',
    );
    const clash = refusal([
      ...RULE_CATALOG,
      { ...widgetRule, id: RULE_CATALOG[0].id },
    ]);
    expect(clash.ruleId).toBe(RULE_CATALOG[0].id);
  });

  it.each([
    [
      'an unknown severity',
      { severity: 'urgent' },
      /severity "urgent" is not one of critical/,
    ],
    [
      'no severity',
      { severity: undefined },
      /severity undefined is not one of/,
    ],
    [
      'an unknown category',
      { category: 'gitops' },
      /category "gitops" is not one of cluster/,
    ],
    ['an empty title', { title: '' }, /title is not a non-empty string/],
    [
      'a numeric baselineRef',
      { baselineRef: 7 },
      /baselineRef is not a non-empty string/,
    ],
    [
      'no rationale',
      { rationale: undefined },
      /rationale is not a non-empty string/,
    ],
    [
      'no remediation summary',
      { remediation: {} },
      /remediation.summary is not a non-empty string/,
    ],
  ])('refuses %s, naming the rule', (_what, change, words) => {
    const error = refusal([{ ...widgetRule, ...change }]);
    expect(error.ruleId).toBe('acme-widget-owned');
    expect(error.message).toMatch(words);
  });

  it('refuses what the engine could not run, as evaluate() would', () => {
    const error = refusal([{ ...widgetRule, check: undefined }]);
    expect(error.message).toBe(
      'Rule acme-widget-owned: no check (and not a manual rule)',
    );
  });

  it('names a definition without an id by its place', () => {
    expect(refusal([widgetRule, { ...widgetRule, id: '' }]).message).toBe(
      'Rule #2: has no id (a non-empty string)',
    );
    expect(refusal([null]).message).toBe(
      'Rule #1: is null, not a rule definition',
    );
    expect(refusal(['acme-widget-owned']).message).toBe(
      'Rule #1: is string, not a rule definition',
    );
  });
});
