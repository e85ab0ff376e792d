/**
 * `@aks-baseline/plugin-aks-baseline-node/testUtils`: what testing a rule
 * takes — snapshots, object builders and one rule evaluated the way the
 * engine evaluates it (`evaluateRule`, with a failure's `fix`).
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
// The engine's types these take and give, for the testUtils entry point's API.
export type {
  ArmReads,
  ClusterSnapshot,
  ClusterView,
  KindCoverage,
  KubeObject,
  KubernetesVersionModel,
  MaintenanceConfigurationModel,
  ManagedClusterModel,
  ObjectIndex,
  RuleDefinition,
  RuleParameters,
  UpgradeProfileModel,
} from '../engine/types';
export type { KindInfo } from '../engine/kinds';
