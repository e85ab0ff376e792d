/*
 * A rule set as an evaluator gathers it (the built-in catalog and custom
 * rules from modules, services or a --rules file): checked once, where it is
 * gathered, so that a mistake stops the backend, the scaffolder module or the
 * CLI naming the rule, instead of failing every evaluation or scoring with
 * a severity nobody gave. Custom rules from plain JavaScript have no type
 * checker to catch what the engine would otherwise read as undefined.
 */
import {
  CATEGORIES,
  isSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { RuleDefinition } from './rule';
import { partsOf, RuleDefinitionError } from './rule-parts';

const TEXT_FIELDS = ['baselineRef', 'title', 'rationale'] as const;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function checkMetadata(rule: Record<string, any>, id: string): void {
  const fail = (detail: string): never => {
    throw new RuleDefinitionError(id, detail);
  };
  for (const field of TEXT_FIELDS) {
    if (!isText(rule[field])) fail(`${field} is not a non-empty string`);
  }
  if (!CATEGORIES.includes(rule.category)) {
    fail(
      `category ${JSON.stringify(
        rule.category,
      )} is not one of ${CATEGORIES.join(', ')}`,
    );
  }
  if (!isSeverity(rule.severity)) {
    fail(
      `severity ${JSON.stringify(
        rule.severity,
      )} is not one of critical, high, medium, low`,
    );
  }
  if (!isText(rule.remediation?.summary)) {
    fail('remediation.summary is not a non-empty string');
  }
}

/**
 * Checks a rule set the way every evaluator gathers one: each definition is
 * one the engine can run (as `evaluate()` checks it) with its metadata
 * complete, and no id is used twice. Throws {@link RuleDefinitionError}
 * naming the first rule at fault; returns the rules, typed.
 *
 * @public
 */
export function checkRuleSet(rules: readonly unknown[]): RuleDefinition[] {
  const ids = new Set<string>();
  rules.forEach((value, index) => {
    const rule = value as Record<string, any> | null | undefined;
    const id = rule?.id;
    if (!isText(id)) {
      throw new RuleDefinitionError(
        `#${index + 1}`,
        typeof rule === 'object' && rule !== null
          ? 'has no id (a non-empty string)'
          : `is ${rule === null ? 'null' : typeof rule}, not a rule definition`,
      );
    }
    checkMetadata(rule!, id);
    partsOf(rule as RuleDefinition);
    if (ids.has(id)) {
      throw new RuleDefinitionError(
        id,
        'is defined twice: rule ids are unique across the built-in catalog and custom rules',
      );
    }
    ids.add(id);
  });
  return rules as RuleDefinition[];
}
