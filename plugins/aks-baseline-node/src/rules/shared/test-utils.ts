/*
 * Test-only helpers shared by the workload rule tests: a snapshot of plain
 * objects, one rule evaluated on Kubernetes fixtures, and evidence paths.
 * Imported by *.test.ts files only; not part of any entry point.
 */
import {
  KubeFixtureName,
  kubeFixtureObjects,
} from '../../__fixtures__/kubernetes';
import { KubeObject } from '../../engine/types';
import { RuleDefinition } from '../../engine/rule';
import {
  evaluateRule,
  EvaluateRuleOptions,
  makeSnapshot,
  outcomeFor,
  RuleTestOutcome,
} from '../../testUtils';

/** A snapshot holding exactly these objects. */
export const snapshotOf = (objects: KubeObject[]) => makeSnapshot({ objects });

/** The paths of an outcome's evidence, in order. */
export const evidencePaths = (o: { evidence?: { path: string }[] }) =>
  (o.evidence ?? []).map(e => e.path);

/** One rule's outcomes on a snapshot of the named Kubernetes fixtures. */
export function evaluateFixtures(
  rule: RuleDefinition,
  fixtures: readonly KubeFixtureName[],
  options?: EvaluateRuleOptions,
): RuleTestOutcome[] {
  return evaluateRule(
    rule,
    snapshotOf(kubeFixtureObjects(...fixtures)),
    options,
  );
}

/** The outcome for `subject` of one rule on the named Kubernetes fixtures. */
export function fixtureOutcome(
  rule: RuleDefinition,
  fixtures: readonly KubeFixtureName[],
  subject: string,
): RuleTestOutcome {
  return outcomeFor(evaluateFixtures(rule, fixtures), subject);
}

/** The outcome for `subject` of one rule on a snapshot of these objects. */
export function objectsOutcome(
  rule: RuleDefinition,
  objects: KubeObject[],
  subject: string,
): RuleTestOutcome {
  return outcomeFor(evaluateRule(rule, snapshotOf(objects)), subject);
}
