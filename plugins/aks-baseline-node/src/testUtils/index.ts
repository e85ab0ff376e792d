/**
 * `@aks-baseline/plugin-aks-baseline-node/testUtils`: what testing a rule
 * takes — snapshots, object builders and one rule evaluated the way the
 * engine evaluates it (`evaluateRule`, with a failure's `fix`); and a
 * strict CSV reader for tests of the audit export.
 *
 * @packageDocumentation
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
export { parseCsv } from './csv';
