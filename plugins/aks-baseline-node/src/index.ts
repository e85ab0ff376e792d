/**
 * The AKS Baseline engine: snapshot readers, the rule catalog and the
 * evaluator, shared by the backend, the scaffolder module and the CLI; and
 * the backend plugin's extension points (rules, cluster sources) and the
 * rules service its evaluators share. What a rule author needs to test a
 * rule is in `@aks-baseline/plugin-aks-baseline-node/testUtils`.
 *
 * @packageDocumentation
 */

// Contracts: snapshot, subjects, rules, configuration, results.
export type {
  OwnerReference,
  ObjectMeta,
  KubeObject,
  AgentPoolModel,
  AddonProfileModel,
  ManagedClusterModel,
  MaintenanceConfigurationModel,
  UpgradeProfileModel,
  KubernetesVersionModel,
  ArmReads,
  DeploymentSafeguardsModel,
  BackupInstanceModel,
  MeshRevisionModel,
  KindCoverage,
  SkippedObject,
  ClusterSnapshot,
  ClusterView,
  NodePoolView,
  NamespaceView,
  WorkloadKind,
  WorkloadView,
  ManagedClusterView,
  ScopeSubjects,
  ObjectIndex,
  RuleParameters,
  RuleOverride,
  WaiverConfig,
  BaselineConfig,
  SubjectResult,
  EvaluationResult,
} from './engine/types';

// The rule contract.
export type {
  AnyRuleDefinition,
  AppliesTo,
  AppliesToKinds,
  AppliesToObjects,
  ArmClusterRule,
  CheckedRule,
  CheckOutcome,
  Container,
  ContainerCheck,
  ContainerContext,
  ContainerRule,
  CustomKind,
  FixFunction,
  KindRead,
  KindRef,
  KubernetesClusterRule,
  ManualRule,
  NamespaceRule,
  NodePoolRule,
  ObjectRule,
  RuleContext,
  RuleDefinition,
  RuleSource,
  WorkloadContext,
  WorkloadRule,
} from './engine/rule';
export {
  kindsToRead,
  optionalReads,
  RuleDefinitionError,
} from './engine/rule-parts';
export { checkRuleSet } from './engine/rule-set';

// Extending the backend plugin: extension points, the rules service and
// the cluster source contract.
export {
  aksBaselineClusterSourcesExtensionPoint,
  aksBaselineRulesExtensionPoint,
  type AksBaselineClusterSourcesExtensionPoint,
  type AksBaselineRulesExtensionPoint,
} from './extensions';
export {
  aksBaselineRulesServiceRef,
  createAksBaselineRulesFactory,
  type AksBaselineRulesService,
} from './rulesService';
export {
  ClusterReadError,
  isClusterReadError,
  type ClusterReadErrorCode,
  type ClusterReadErrorOptions,
  type ClusterReadOptions,
  type ClusterSource,
  type ClusterSourceKind,
} from './sources/types';

// Evaluation.
export { subjectObjectFinder } from './engine/result-objects';
export {
  evaluate,
  evaluateCooperatively,
  explainResult,
  explainSubjects,
  inNamespace,
  refKey,
  scoreSubjects,
  type CooperativeEvaluateOptions,
  type EvaluateOptions,
  type SubjectsScore,
} from './engine/evaluate';
export {
  BaselineConfigError,
  mergeConfigs,
  parseExpiry,
  resolveConfig,
  validateConfig,
  type ResolvedConfig,
} from './engine/config';
export {
  DEFAULT_PARAMETERS,
  DEFAULT_SYSTEM_NAMESPACES,
  defaultParameters,
} from './engine/params';
export {
  findWaiver,
  parseWaiverAnnotation,
  WAIVER_ANNOTATION_PREFIX,
  type ParsedWaiverAnnotation,
  type WaiverMatch,
  type WaiverTarget,
} from './engine/waivers';
export {
  clusterProfile,
  isProductionEnvironment,
  namespaceProfile,
  NAMESPACE_ENVIRONMENT_LABEL_ALT,
  tagValue,
} from './engine/profile';

// Rule helpers (for rules written outside this package).
export {
  fail,
  notApplicable,
  notProvided,
  pass,
  PASS,
  unknown,
} from './engine/outcomes';
export {
  isEmptySelector,
  matchesMapSelector,
  matchesSelector,
  type LabelSelector,
  type LabelSelectorRequirement,
} from './engine/labels';
export {
  InvalidLabelSelectorError,
  parseLabelSelector,
} from './selectors/labelSelector';
export {
  buildObjectIndex,
  namespaceOf,
  notProvidedReason,
  toWorkloadView,
} from './engine/object-index';
export {
  buildClusterView,
  gatedReadsOf,
  subjectKindsOf,
} from './engine/subjects';
export { explainContainers as checkContainers } from './engine/containers';
export {
  azClusterArguments,
  azNodePoolArguments,
  clusterIdParts,
  pathSegments,
  setAtPathPatch,
  toJsonPointer,
} from './engine/fixes';
export { fixOf } from './engine/deferred-finding';
export { applyJsonPatch, JsonPatchError } from './fix/json-patch';
export { patchFragment, toYaml } from './fix/fragment';
export {
  editManifestText,
  isEditableFix,
  splitManifest,
  type ManifestDocuments,
  type EditableFix,
  type EditOptions,
  type EditResult,
} from './fix/yaml-editor';
export { unifiedDiff } from './fix/unified-diff';
export {
  notEditableReason,
  planManifestFixes,
  type FixableFinding,
  type ManifestFileChange,
  type ManifestFixPlan,
  type PlanFixesOptions,
  type PlannedFix,
} from './fix/plan-fixes';

// Kinds the rules read (what the live reader lists; never Secrets).
export {
  crdName,
  FORBIDDEN_KINDS,
  groupOf,
  isKnownKind,
  isNamespacedKind,
  kindForObject,
  kindInfo,
  isKubernetesGroup,
  KindTable,
  KNOWN_KINDS,
  WORKLOAD_KINDS,
  type KindInfo,
} from './engine/kinds';
export {
  apiVersionStatus,
  isServedApiVersion,
  removedApiVersions,
  type ApiVersionStatus,
  type RemovedApiVersion,
} from './engine/api-versions';

// Readers.
export * from './readers';

// The catalog.
export { isSubjectKind, RULE_CATALOG, SUBJECT_KINDS } from './rules';
export {
  generateRulesDoc,
  type RulesDocOptions,
} from './docs/generateRulesDoc';

// AX-14 on manifests against a target minor (not in the catalog: the CLI's --target-version).
export { apiVersionServedInTarget } from './rules/aks-2026';

// Upgrade readiness (AX-14), from a cluster's findings.
export {
  upgradeReadiness,
  UPGRADE_ADVISORY_RULES,
  UPGRADE_BLOCKING_RULES,
  UPGRADE_READINESS_RULES,
  type UpgradeReadiness,
} from './upgrade/readiness';

// Deployment Safeguards awareness (AX-08): what admission does about a finding.
export {
  admissionControl,
  namespacePodSecurityControl,
  ADMISSION_CONTROLLED_RULES,
  type AdmissionControl,
} from './safeguards/admission';

// Audit export (CSV, printable HTML), shared by the CLI and the backend.
export * from './export';
