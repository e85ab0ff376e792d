/*
 * The engine's contract: the normalised snapshot the readers produce, the
 * subjects rules are evaluated against, configuration and the evaluation
 * result; the rule definition is in rule.ts. Everything here is plain data.
 */
import {
  CategoryTallies,
  Finding,
  Profile,
  ResourceRef,
  RuleScope,
  ScoreSummary,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { KindInfo } from './kinds';

// ---------------------------------------------------------------- Kubernetes

/** @public */
export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  controller?: boolean;
}

/** @public */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
}

/**
 * A Kubernetes object as `kubectl get -o json` prints it.
 *
 * @public
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

// --------------------------------------------------------------------- Azure

/**
 * An agent pool in the SDK's shape (`@azure/arm-containerservice`
 * `ManagedClusterAgentPoolProfile`); readers normalise the other shapes to it.
 *
 * @public
 */
export interface AgentPoolModel {
  name: string;
  count?: number;
  vmSize?: string;
  osType?: string;
  osSKU?: string;
  mode?: string;
  type?: string;
  enableAutoScaling?: boolean;
  minCount?: number;
  maxCount?: number;
  availabilityZones?: string[];
  nodeTaints?: string[];
  nodeLabels?: Record<string, string>;
  scaleSetPriority?: string;
  scaleSetEvictionPolicy?: string;
  orchestratorVersion?: string;
  currentOrchestratorVersion?: string;
  powerState?: { code?: string };
  [key: string]: unknown;
}

/** @public */
export interface AddonProfileModel {
  enabled?: boolean;
  config?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * A managed cluster in the SDK's shape (camelCase, no `properties`
 * envelope). Normalised spellings: `aadProfile.enableAzureRbac`,
 * `apiServerAccessProfile.authorizedIPRanges`, and `addonProfiles` keys in
 * lower case (`azurepolicy`, `omsagent`, `azurekeyvaultsecretsprovider`,
 * `ingressapplicationgateway`) whatever the source spelled.
 *
 * @public
 */
export interface ManagedClusterModel {
  id?: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: { name?: string; tier?: string };
  identity?: { type?: string; [key: string]: unknown };
  kubernetesVersion?: string;
  currentKubernetesVersion?: string;
  powerState?: { code?: string };
  agentPoolProfiles?: AgentPoolModel[];
  servicePrincipalProfile?: { clientId?: string };
  aadProfile?: {
    managed?: boolean;
    enableAzureRbac?: boolean;
    adminGroupObjectIDs?: string[];
    [key: string]: unknown;
  };
  enableRBAC?: boolean;
  disableLocalAccounts?: boolean;
  securityProfile?: {
    defender?: {
      logAnalyticsWorkspaceResourceId?: string;
      securityMonitoring?: { enabled?: boolean };
    };
    workloadIdentity?: { enabled?: boolean };
    [key: string]: unknown;
  };
  oidcIssuerProfile?: { enabled?: boolean; issuerURL?: string };
  podIdentityProfile?: { enabled?: boolean; [key: string]: unknown };
  networkProfile?: {
    networkPlugin?: string;
    networkPluginMode?: string;
    networkPolicy?: string;
    networkDataplane?: string;
    loadBalancerSku?: string;
    outboundType?: string;
    [key: string]: unknown;
  };
  apiServerAccessProfile?: {
    enablePrivateCluster?: boolean;
    authorizedIPRanges?: string[];
    [key: string]: unknown;
  };
  autoUpgradeProfile?: {
    upgradeChannel?: string;
    nodeOSUpgradeChannel?: string;
  };
  autoScalerProfile?: Record<string, string | boolean | undefined>;
  windowsProfile?: {
    adminUsername?: string;
    licenseType?: string;
    [key: string]: unknown;
  };
  addonProfiles?: Record<string, AddonProfileModel>;
  azureMonitorProfile?: {
    metrics?: { enabled?: boolean; [key: string]: unknown };
  };
  ingressProfile?: {
    webAppRouting?: { enabled?: boolean; [key: string]: unknown };
  };
  [key: string]: unknown;
}

/** @public */
export interface MaintenanceConfigurationModel {
  name: string;
  timeInWeek?: unknown[];
  maintenanceWindow?: Record<string, unknown>;
  [key: string]: unknown;
}

/** @public */
export interface UpgradeProfileModel {
  controlPlaneProfile?: {
    kubernetesVersion?: string;
    upgrades?: { kubernetesVersion?: string; isPreview?: boolean }[];
  };
  agentPoolProfiles?: unknown[];
}

/**
 * One minor of `listKubernetesVersions` (`KubernetesVersion` in the SDK).
 *
 * @public
 */
export interface KubernetesVersionModel {
  version: string;
  isPreview?: boolean;
  isDefault?: boolean;
  capabilities?: { supportPlan?: string[] };
  patchVersions?: Record<string, { upgrades?: string[] }>;
}

/**
 * The cluster's `deploymentSafeguards` extension resource (`default`),
 * properties flattened: Microsoft.ContainerService 2025-05-02-preview.
 *
 * @public
 */
export interface DeploymentSafeguardsModel {
  name?: string;
  /** `Warn` or `Enforce`. */
  level?: string;
  /** `Privileged`, `Baseline` or `Restricted`. */
  podSecurityStandardsLevel?: string;
  excludedNamespaces?: string[];
  systemExcludedNamespaces?: string[];
  provisioningState?: string;
  [key: string]: unknown;
}

/**
 * A Microsoft.DataProtection backup instance of the cluster (extension
 * routing list), properties flattened.
 *
 * @public
 */
export interface BackupInstanceModel {
  id?: string;
  name?: string;
  friendlyName?: string;
  dataSourceInfo?: {
    resourceID?: string;
    datasourceType?: string;
    [key: string]: unknown;
  };
  protectionStatus?: { status?: string; [key: string]: unknown };
  currentProtectionState?: string;
  [key: string]: unknown;
}

/**
 * One Istio revision the region supports (`meshRevisionProfiles/istio`).
 *
 * @public
 */
export interface MeshRevisionModel {
  revision: string;
  upgrades?: string[];
  compatibleWith?: { name?: string; versions?: string[] }[];
}

/**
 * ARM reads beyond the managed cluster that the `AX-` rules need. Each part:
 * `undefined` means not read (`unreadable` says why, when a read failed),
 * an empty list means read and none there.
 *
 * @public
 */
export interface ArmReads {
  /**
   * The api-version of the managed cluster document, when known (the SDK's
   * for a live read, `parameters.api-version` of a published example): a
   * field absent from a document of a version that carries it is off.
   */
  apiVersion?: string;
  /** `[]`: Deployment Safeguards not configured on the cluster. */
  deploymentSafeguards?: DeploymentSafeguardsModel[];
  /** `[]`: no Data Protection backup instance for the cluster. */
  backupInstances?: BackupInstanceModel[];
  /** The Istio revisions the cluster's region supports. */
  meshRevisions?: MeshRevisionModel[];
  /** Part name (`deploymentSafeguards`, `backupInstances`, ...) → why it was not read. */
  unreadable?: Record<string, string>;
}

// ------------------------------------------------------------------ Snapshot

/**
 * How complete the Kubernetes side of a snapshot is, so that rules never
 * mistake "not read" for "not there" (what absence means in each mode is
 * written once, at `kindStatus` in object-index.ts).
 *
 * @public
 */
export interface KindCoverage {
  /**
   * `cluster`: every kind the rules read was listed from a cluster (or a
   * full dump), so an absent object is really absent. `manifests`: only the
   * objects given (CLI, scaffolder): a kind counts as given for a namespace
   * only when the manifests hold objects of it there, and cluster-wide
   * Kubernetes rules are skipped.
   */
  mode: 'cluster' | 'manifests';
  /** Kinds whose list failed (403, timeout), with the reason: their rules are `unknown`. */
  unreadable: Record<string, string>;
  /** CRD-backed kinds (Velero `Schedule`, Trivy `VulnerabilityReport`, ...) known not to be installed. */
  absentKinds: string[];
  /**
   * `manifests` mode only: kinds whose absence among the objects is real
   * (the manifests are complete for them, e.g. a scaffolded namespace), so
   * they are `read` in every namespace even with no object. Other kinds
   * without objects in a namespace are `not-provided` there.
   */
  providedKinds?: string[];
}

/**
 * An object the readers did not keep although its kind name is one the rules
 * read: said out loud, so that a caller can list it (file, path, reason).
 *
 * @public
 */
export interface SkippedObject {
  /** The file (or document name) it was read from. */
  file: string;
  /** JSON path of the object in that document (`items[3]`, `document[2]`). */
  path: string;
  kind: string;
  apiVersion?: string;
  name?: string;
  namespace?: string;
  reason: string;
}

/**
 * One cluster, normalised once at the edge by the readers.
 *
 * @public
 */
export interface ClusterSnapshot {
  /** The cluster's configured name (the key everything is stored under). */
  name: string;
  /** Absent for manifest-only scans: ARM rules are then skipped. */
  managedCluster?: ManagedClusterModel;
  /** `undefined` means not read (rules `unknown`); `[]` means none configured. */
  maintenanceConfigurations?: MaintenanceConfigurationModel[];
  upgradeProfile?: UpgradeProfileModel;
  kubernetesVersions?: KubernetesVersionModel[];
  /** ARM reads beyond the managed cluster (Safeguards, backup, mesh revisions). */
  arm?: ArmReads;
  objects: KubeObject[];
  coverage: KindCoverage;
  /** Objects of kinds no rule reads: ignored and counted by kind. */
  ignoredKinds: Record<string, number>;
  /** Objects of a known kind name that were not kept, each with the reason. */
  skipped?: SkippedObject[];
  /** Custom resources the readers were asked to keep (`kindsToRead`). */
  customKinds?: KindInfo[];
}

// ------------------------------------------------------------------ Subjects

/** @public */
export interface ClusterView {
  name: string;
  managedCluster?: ManagedClusterModel;
  maintenanceConfigurations?: MaintenanceConfigurationModel[];
  upgradeProfile?: UpgradeProfileModel;
  kubernetesVersions?: KubernetesVersionModel[];
  arm?: ArmReads;
  /** From the cluster's `Environment` tag (or forced by configuration). */
  profile: Profile;
}

/**
 * The cluster as ARM rules see it: the managed cluster was read.
 *
 * @public
 */
export interface ManagedClusterView extends ClusterView {
  managedCluster: ManagedClusterModel;
}

/** @public */
export interface NodePoolView {
  pool: AgentPoolModel;
  /** Evidence path prefix, e.g. `agentPoolProfiles[2]`. */
  path: string;
  cluster: ManagedClusterView;
}

/** @public */
export interface NamespaceView {
  name: string;
  /** Absent when the namespace is only known from its objects or from CLI context. */
  object?: KubeObject;
  labels: Record<string, string>;
  profile: Profile;
}

/** @public */
export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'Job'
  | 'CronJob'
  | 'ReplicationController'
  | 'Pod';

/**
 * A pod-producing object. ReplicaSets owned by Deployments, Jobs owned by
 * CronJobs and Pods owned by controllers are not workloads of their own.
 *
 * @public
 */
export interface WorkloadView {
  object: KubeObject;
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** Labels and annotations of the pod template (the pod's own for a bare Pod). */
  podMeta: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  podSpec: any;
  /** Evidence path of the pod spec: `spec.template.spec`, `spec.jobTemplate.spec.template.spec` or `spec`. */
  podSpecPath: string;
  /** `spec.replicas` (default 1) for Deployments, StatefulSets, ReplicaSets and ReplicationControllers. */
  replicas?: number;
  /** False for Jobs and CronJobs (run to completion: no probes, no PDB). */
  longRunning: boolean;
  profile: Profile;
}

/** @public */
export interface ScopeSubjects {
  cluster: ClusterView;
  nodePool: NodePoolView;
  namespace: NamespaceView;
  workload: WorkloadView;
  object: KubeObject;
}

// --------------------------------------------------------------------- Index

/**
 * Built once per evaluation; every lookup a cross-object rule needs.
 *
 * @public
 */
export interface ObjectIndex {
  all(): readonly KubeObject[];
  /** The namespace an object is indexed under: `''` for cluster-scoped kinds. */
  namespaceOf(object: KubeObject): string;
  ofKind(kind: string): readonly KubeObject[];
  inNamespace(namespace: string, kind: string): readonly KubeObject[];
  get(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  namespaces(): readonly NamespaceView[];
  namespace(name: string): NamespaceView | undefined;
  workloads(): readonly WorkloadView[];
  /** Services in the workload's namespace whose selector matches its pod labels. */
  servicesSelecting(workload: WorkloadView): readonly KubeObject[];
  pdbsCovering(workload: WorkloadView): readonly KubeObject[];
  /** HPAs and VPAs whose `scaleTargetRef`/`targetRef` names the workload. */
  autoscalersTargeting(workload: WorkloadView): readonly KubeObject[];
  networkPoliciesSelecting(workload: WorkloadView): readonly KubeObject[];
  /**
   * Whether a kind can be relied on: `read` (listed, absence is real),
   * `unreadable` (list failed: rules unknown), `absent` (CRD not installed:
   * rules not-applicable), `not-provided` (manifest scan without objects of
   * the kind for `namespace`, or anywhere when no namespace is given: absence
   * is not evidence). The rules of absence are written at the implementation.
   */
  kindStatus(
    kind: string,
    namespace?: string,
  ): 'read' | 'unreadable' | 'absent' | 'not-provided';
  /** The reason a kind is unreadable, absent or not provided, for messages. */
  kindReason(kind: string, namespace?: string): string | undefined;
}

// --------------------------------------------------------------------- Rules

/**
 * Tunable values rules read; defaults in `DEFAULT_PARAMETERS`.
 *
 * @public
 */
export interface RuleParameters {
  /** Registry host patterns; `*.azurecr.io` by default. */
  allowedRegistries: string[];
  /** Tags every cluster must carry; `Environment`, `Owner`. */
  requiredTags: string[];
  /** Minimum replicas for production Deployments/StatefulSets; 2. */
  minReplicas: number;
  /** Namespaces excluded from namespace and workload rules. */
  systemNamespaces: string[];
  /**
   * A floor you set for CL-01 when the available versions cannot be read
   * (e.g. `1.31`); no default: without it, and without version data, CL-01
   * is unknown rather than judged against a number that goes stale.
   */
  minimumKubernetesVersion?: string;
  /** Values of the `Environment` tag/label that mean production (case-insensitive). */
  productionEnvironments: string[];
  /** Namespace label that sets a namespace's environment, overriding the cluster tag. */
  namespaceEnvironmentLabel: string;
  /** Highest number of HIGH vulnerabilities tolerated per image report; 10. */
  maxHighVulnerabilities: number;
  /** Certificates expiring within this many days fail; 30. */
  certificateExpiryDays: number;
  /** RS-02 also requires a CPU limit on every container; false. */
  requireCpuLimits: boolean;
  /** AX-14: node images older than this many days hold an upgrade back; 90. */
  maxNodeImageAgeDays: number;
  /**
   * AX-14: the Kubernetes minor to upgrade to (`1.33`): manifests in an
   * apiVersion that minor no longer serves are findings. Unset: not judged.
   */
  targetKubernetesVersion?: string;
}

// ------------------------------------------------------------- Configuration
// The one definition of the baseline's settings: the backend's and the
// scaffolder module's config.d.ts import BaselineConfig, so that app-config
// is validated against the shape the engine reads (validateConfig).

/**
 * A rule's settings: switch it off, or change its severity.
 *
 * @public
 */
export interface RuleOverride {
  enabled?: boolean;
  severity?: Severity;
}

/**
 * An accepted exception: outside the score until it expires.
 *
 * @public
 */
export interface WaiverConfig {
  /** The rule id waived. */
  ruleId: string;
  /** Narrows the waiver; every field given must match. */
  scope?: {
    cluster?: string;
    namespace?: string;
    kind?: string;
    name?: string;
  };
  /** Who accepted it (a team or person). */
  owner: string;
  /** Why it is accepted. */
  reason: string;
  /** ISO date (YYYY-MM-DD) or timestamp; past it the finding counts as a failure again. */
  expires?: string;
}

/**
 * The baseline's settings: rule overrides, parameters, waivers and a forced
 * profile. The same shape in app-config (`aksBaseline.baseline`,
 * `aksBaseline.scaffolder.baseline`) and the CLI's `--config` file.
 *
 * @public
 */
export interface BaselineConfig {
  /** Per rule id (built-in or custom): switch off or change the severity. */
  rules?: Record<string, RuleOverride>;
  /** Tunable values the rules read (allowedRegistries, minReplicas, ...). */
  parameters?: Partial<RuleParameters>;
  /** Accepted exceptions: outside the score until they expire. */
  waivers?: WaiverConfig[];
  /** Forces the profile instead of reading the `Environment` tag. */
  profile?: Profile;
}

// -------------------------------------------------------------------- Result

/**
 * Pass/fail counts of one subject: what entity and namespace scores add up.
 *
 * @public
 */
export interface SubjectResult {
  ref: ResourceRef;
  scope: RuleScope;
  /** The subject's labels (pod template labels for workloads), for entity matching. */
  labels?: Record<string, string>;
  tallies: CategoryTallies;
}

/** @public */
export interface EvaluationResult {
  cluster: string;
  evaluatedAt: string;
  profile: Profile;
  /** Every outcome that is not a pass: fail, waived, unknown, manual, and rule-level not-applicable. */
  findings: Finding[];
  subjects: SubjectResult[];
  summary: ScoreSummary;
  stats: {
    objects: number;
    ignoredKinds: Record<string, number>;
    /** Objects of known kind names the readers did not keep, with reasons (always set by evaluate()). */
    skipped?: SkippedObject[];
    rules: number;
    checks: number;
  };
}
