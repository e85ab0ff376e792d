/**
 * Test helpers for rules and for consumers of the engine: snapshots,
 * object builders and one-rule evaluation. Not part of the main entry point.
 */
export {
  makeSnapshot,
  kubeObject,
  deployment,
  namespaceObject,
  type MakeSnapshotOptions,
} from './snapshot';
export {
  evaluateRule,
  evaluateRuleDetailed,
  outcomeFor,
  DEFAULT_TEST_NOW,
  type EvaluateRuleOptions,
  type RuleTestOutcome,
  type RuleTestResult,
} from './evaluate-rule';
