/*
 * Backend responses as the AKS Baseline backend serves them for the demo
 * catalog (checkout-api on aks-prod-westeurope and aks-dev-koreacentral),
 * with rule metadata copied from the rule catalog.
 */
import {
  ClusterDetailResponse,
  ClustersResponse,
  EntityHistoryResponse,
  EntityScoreResponse,
  EvaluationRunsResponse,
  Finding,
  OverviewResponse,
  RuleInfo,
  RulesResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import { prepared } from './findingsPages';

export const NOW = Date.now();
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

const RESTRICTED_SNIPPET = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000`;

export const rules: RuleInfo[] = [
  {
    id: 'container-run-as-non-root',
    baselineRef: 'PS-02',
    category: 'pod-security',
    severity: 'high',
    title:
      'Containers run as a non-root user (runAsNonRoot and a non-zero runAsUser)',
    rationale:
      'A process running as UID 0 in a container is root on the node if it escapes the container.',
    remediation: {
      summary:
        'Set runAsNonRoot: true and runAsUser: 1000 (any non-zero UID) in the pod securityContext, or on each container.',
      snippet: RESTRICTED_SNIPPET,
    },
    scope: 'workload',
    source: 'kubernetes',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
    enabled: true,
  },
  {
    id: 'container-resource-requests',
    baselineRef: 'RS-01',
    category: 'resources',
    severity: 'medium',
    title: 'Containers set CPU and memory requests',
    rationale:
      'Requests are what the scheduler and the cluster autoscaler plan with.',
    remediation: {
      summary:
        'Set resources.requests.cpu and resources.requests.memory on every container, sized from observed usage.',
      snippet: 'resources:\n  requests:\n    cpu: 100m\n    memory: 128Mi',
    },
    scope: 'workload',
    source: 'kubernetes',
    enabled: true,
  },
  {
    id: 'namespace-default-deny-ingress',
    baselineRef: 'NW-03',
    category: 'networking',
    severity: 'high',
    title: 'Namespace has a default-deny ingress NetworkPolicy',
    rationale:
      'Without a default-deny policy every pod accepts traffic from every other pod in the cluster.',
    remediation: {
      summary:
        'Apply a NetworkPolicy that selects every pod (`podSelector: {}`) with `policyTypes: [Ingress]` and no ingress rules.',
      snippet:
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress',
    },
    scope: 'namespace',
    source: 'kubernetes',
    enabled: true,
  },
  {
    id: 'workload-min-replicas',
    baselineRef: 'HA-02',
    category: 'availability',
    severity: 'high',
    title: 'Production Deployments and StatefulSets run at least two replicas',
    rationale:
      'A single replica is down during every node drain, upgrade, eviction or crash.',
    remediation: {
      summary:
        'Run at least two replicas (params.minReplicas), or let an HPA keep minReplicas at that level.',
      command:
        'kubectl scale deployment myapp --namespace <namespace> --replicas=3',
    },
    scope: 'workload',
    source: 'kubernetes',
    profiles: ['production'],
    enabled: true,
  },
  {
    id: 'container-image-pinned',
    baselineRef: 'IM-01',
    category: 'images',
    severity: 'high',
    title: 'Container images are pinned to a specific tag or digest',
    rationale: 'An untagged or `latest` image changes under the workload.',
    remediation: {
      summary:
        'Reference images by an immutable version tag or a digest, never latest or no tag.',
    },
    scope: 'workload',
    source: 'kubernetes',
    enabled: true,
  },
  {
    id: 'user-pool-autoscaler-enabled',
    baselineRef: 'CL-03',
    category: 'cluster',
    severity: 'high',
    title: 'Cluster autoscaler is enabled on every User node pool',
    rationale:
      'Without the autoscaler a User pool cannot add nodes when pods stop fitting.',
    remediation: {
      summary:
        'Enable the cluster autoscaler on the node pool with a floor and a ceiling.',
      command:
        'az aks nodepool update --resource-group $RG --cluster-name $CLUSTER --name $NODEPOOL --enable-cluster-autoscaler --min-count 3 --max-count 20',
    },
    scope: 'nodePool',
    source: 'arm',
    enabled: true,
  },
  {
    id: 'auto-upgrade-channel-set',
    baselineRef: 'CL-16',
    category: 'cluster',
    severity: 'medium',
    title: 'An auto-upgrade channel is set (stable recommended)',
    rationale:
      'Without an upgrade channel the cluster only moves when someone remembers.',
    remediation: {
      summary:
        'Set the auto-upgrade channel to stable (and a node OS upgrade channel other than None).',
      command:
        'az aks update --resource-group $RG --name $CLUSTER --auto-upgrade-channel stable',
    },
    scope: 'cluster',
    source: 'arm',
    enabled: true,
  },
  {
    id: 'gitops-workflow',
    baselineRef: 'MN-04',
    category: 'operations',
    severity: 'low',
    title: 'Changes reach the cluster through a GitOps workflow',
    rationale:
      'A GitOps workflow makes every change reviewed, versioned and reproducible.',
    remediation: {
      summary:
        'Deliver manifests from Git with a GitOps operator (e.g. the AKS GitOps Flux extension).',
    },
    scope: 'cluster',
    source: 'kubernetes',
    manual: {
      reason:
        'Whether all changes go through Git cannot be told from the objects: the owner confirms it.',
    },
    enabled: true,
  },
];

export const rulesResponse: RulesResponse = { items: rules };

const deployment = (name: string, namespace = 'payments') => ({
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  name,
  namespace,
});

export const checkoutFindings: Finding[] = [
  {
    ruleId: 'container-run-as-non-root',
    baselineRef: 'PS-02',
    category: 'pod-security',
    severity: 'high',
    status: 'fail',
    cluster: 'aks-dev-koreacentral',
    resource: deployment('checkout-api'),
    message:
      'Container api may run as root: set runAsNonRoot: true and a non-zero runAsUser in the pod or container securityContext.',
    evidence: [
      {
        path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot',
        expected: 'true (container or pod securityContext)',
      },
    ],
  },
  {
    ruleId: 'namespace-default-deny-ingress',
    baselineRef: 'NW-03',
    category: 'networking',
    severity: 'high',
    status: 'fail',
    cluster: 'aks-dev-koreacentral',
    resource: { kind: 'Namespace', name: 'payments', apiVersion: 'v1' },
    message:
      'Namespace payments has no NetworkPolicy: every pod in it accepts traffic from any pod in the cluster',
    evidence: [
      {
        path: 'NetworkPolicy[namespace=payments]',
        value: [],
        expected: 'a NetworkPolicy with podSelector {}',
      },
    ],
  },
  {
    ruleId: 'container-resource-requests',
    baselineRef: 'RS-01',
    category: 'resources',
    severity: 'medium',
    status: 'fail',
    cluster: 'aks-prod-westeurope',
    resource: deployment('checkout-api-worker'),
    message: 'Container worker sets no memory request.',
    evidence: [
      {
        path: 'spec.template.spec.containers[0].resources.requests.memory',
        expected: 'a memory request, e.g. 128Mi',
      },
    ],
  },
  {
    ruleId: 'workload-min-replicas',
    baselineRef: 'HA-02',
    category: 'availability',
    severity: 'high',
    status: 'waived',
    cluster: 'aks-prod-westeurope',
    resource: deployment('checkout-api-migrations'),
    message: 'Deployment checkout-api-migrations runs 1 replica (minimum 2).',
    evidence: [{ path: 'spec.replicas', value: 1, expected: '≥ 2' }],
    waiver: {
      ruleId: 'workload-min-replicas',
      reason: 'Schema migrations must run as a single instance',
      owner: 'group:default/team-payments',
      expires: '2026-09-30',
      source: 'annotation',
    },
  },
  {
    ruleId: 'container-image-pinned',
    baselineRef: 'IM-01',
    category: 'images',
    severity: 'high',
    status: 'unknown',
    cluster: 'aks-dev-koreacentral',
    resource: deployment('checkout-api'),
    message: 'Could not read the image: the ReplicaSet list was forbidden.',
  },
];

const tally = (passed: number, failed: number, extra = {}) => ({
  passed,
  failed,
  passedWeight: passed * 5,
  failedWeight: failed * 5,
  unknown: 0,
  waived: 0,
  notApplicable: 0,
  ...extra,
});

export const checkoutScore: EntityScoreResponse = {
  entityRef: 'component:default/checkout-api',
  owner: 'group:default/team-payments',
  score: 78,
  grade: 'C',
  categories: [
    { category: 'networking', score: 50, ...tally(1, 1) },
    { category: 'pod-security', score: 85, ...tally(6, 1) },
    { category: 'images', score: 100, ...tally(3, 0, { unknown: 1 }) },
    { category: 'resources', score: 75, ...tally(3, 1) },
    { category: 'availability', score: 100, ...tally(4, 0, { waived: 1 }) },
  ],
  totals: tally(17, 3, { unknown: 1, waived: 1 }),
  counts: {
    failing: { critical: 0, high: 2, medium: 1, low: 0 },
    waived: 1,
    unknown: 1,
    manual: 0,
    notApplicable: 2,
  },
  resourceCount: 6,
  evaluatedAt: minutesAgo(5),
  stale: false,
  ...prepared(checkoutFindings),
  clusters: [
    {
      cluster: 'aks-prod-westeurope',
      score: 92,
      grade: 'A',
      categories: [],
      totals: tally(11, 1, { waived: 1 }),
      counts: {
        failing: { critical: 0, high: 0, medium: 1, low: 0 },
        waived: 1,
        unknown: 0,
        manual: 0,
        notApplicable: 1,
      },
      evaluatedAt: minutesAgo(5),
      stale: false,
      resources: [
        deployment('checkout-api'),
        deployment('checkout-api-worker'),
        deployment('checkout-api-migrations'),
      ],
      resourceCount: 3,
    },
    {
      cluster: 'aks-dev-koreacentral',
      score: 61,
      grade: 'D',
      categories: [],
      totals: tally(6, 2, { unknown: 1 }),
      counts: {
        failing: { critical: 0, high: 2, medium: 0, low: 0 },
        waived: 0,
        unknown: 1,
        manual: 0,
        notApplicable: 1,
      },
      evaluatedAt: minutesAgo(7),
      stale: false,
      resources: [
        deployment('checkout-api'),
        { kind: 'Namespace', name: 'payments' },
        { kind: 'Service', name: 'checkout-api', namespace: 'payments' },
      ],
      resourceCount: 3,
    },
  ],
};

export const checkoutHistory: EntityHistoryResponse = {
  items: [
    { evaluatedAt: minutesAgo(5), score: 92, cluster: 'aks-prod-westeurope' },
    { evaluatedAt: minutesAgo(7), score: 61, cluster: 'aks-dev-koreacentral' },
    { evaluatedAt: minutesAgo(35), score: 88, cluster: 'aks-prod-westeurope' },
    { evaluatedAt: minutesAgo(37), score: 55, cluster: 'aks-dev-koreacentral' },
    { evaluatedAt: minutesAgo(65), score: 85, cluster: 'aks-prod-westeurope' },
    { evaluatedAt: minutesAgo(67), score: 55, cluster: 'aks-dev-koreacentral' },
  ],
};

const clusterCounts = (
  critical: number,
  high: number,
  medium: number,
  low: number,
) => ({
  failing: { critical, high, medium, low },
  waived: 1,
  unknown: 0,
  manual: 7,
  notApplicable: 12,
});

export const prodFindings: Finding[] = [
  {
    ruleId: 'auto-upgrade-channel-set',
    baselineRef: 'CL-16',
    category: 'cluster',
    severity: 'medium',
    status: 'fail',
    cluster: 'aks-prod-westeurope',
    resource: { kind: 'ManagedCluster', name: 'aks-prod-westeurope' },
    message: 'No auto-upgrade channel is set',
    evidence: [
      {
        path: 'autoUpgradeProfile.upgradeChannel',
        value: 'none',
        expected: 'stable (or patch, rapid, node-image)',
      },
    ],
  },
  {
    ruleId: 'container-resource-requests',
    baselineRef: 'RS-01',
    category: 'resources',
    severity: 'medium',
    status: 'fail',
    cluster: 'aks-prod-westeurope',
    resource: deployment('checkout-api-worker'),
    message: 'Container worker sets no memory request.',
  },
  {
    ruleId: 'gitops-workflow',
    baselineRef: 'MN-04',
    category: 'operations',
    severity: 'low',
    status: 'manual',
    cluster: 'aks-prod-westeurope',
    resource: { kind: 'ManagedCluster', name: 'aks-prod-westeurope' },
    message: 'Confirm that changes reach the cluster through GitOps.',
  },
];

export const prodCluster: ClusterDetailResponse = {
  name: 'aks-prod-westeurope',
  sourceKind: 'snapshot',
  profile: 'production',
  score: 93,
  grade: 'A',
  categories: [
    { category: 'cluster', score: 95, ...tally(19, 1) },
    { category: 'networking', score: 100, ...tally(8, 0) },
    { category: 'pod-security', score: 90, ...tally(18, 2) },
  ],
  totals: tally(45, 3),
  counts: clusterCounts(0, 1, 2, 0),
  evaluatedAt: minutesAgo(5),
  lastAttemptAt: minutesAgo(5),
  status: 'ok',
  stale: false,
  stats: { objects: 412, rules: 84, checks: 1210 },
  ...prepared(prodFindings),
};

export const devFindings: Finding[] = [
  {
    ruleId: 'user-pool-autoscaler-enabled',
    baselineRef: 'CL-03',
    category: 'cluster',
    severity: 'high',
    status: 'fail',
    cluster: 'aks-dev-koreacentral',
    resource: { kind: 'AgentPool', name: 'userpool1' },
    message: 'User node pool userpool1 does not run the cluster autoscaler',
    evidence: [
      {
        path: 'agentPoolProfiles[1].enableAutoScaling',
        value: false,
        expected: 'true',
      },
    ],
  },
];

export const devCluster: ClusterDetailResponse = {
  ...prodCluster,
  name: 'aks-dev-koreacentral',
  profile: 'non-production',
  score: 58,
  grade: 'F',
  categories: [
    { category: 'cluster', score: 52, ...tally(10, 9) },
    { category: 'networking', score: 40, ...tally(4, 6) },
    { category: 'pod-security', score: 66, ...tally(12, 6) },
  ],
  counts: clusterCounts(2, 9, 11, 3),
  evaluatedAt: minutesAgo(65),
  lastAttemptAt: minutesAgo(7),
  status: 'stale',
  stale: true,
  staleReason: 'Kubernetes API answered 401 Unauthorized',
  lastError: 'Kubernetes API answered 401 Unauthorized',
  ...prepared(devFindings),
};

export const CRB_FORBIDDEN =
  'forbidden (403): the identity cannot list clusterrolebindings.rbac.authorization.k8s.io; grant get and list on it (deploy/kubernetes/clusterrole.yaml)';

/** Read with ClusterRoleBindings forbidden: 12 checks could not be made. */
export const partialFindings: Finding[] = [
  {
    ruleId: 'cluster-admin-bound-to-groups-only',
    baselineRef: 'ID-08',
    category: 'identity',
    severity: 'critical',
    status: 'unknown',
    cluster: 'aks-lab-partial',
    resource: { kind: 'ManagedCluster', name: 'aks-lab-partial' },
    message: `ClusterRoleBinding objects could not be read: ${CRB_FORBIDDEN}. This rule could not be checked on them.`,
  },
];

export const partialCluster: ClusterDetailResponse = {
  ...prodCluster,
  name: 'aks-lab-partial',
  totals: tally(45, 3, { unknown: 12 }),
  unreadableKinds: [{ kind: 'ClusterRoleBinding', reason: CRB_FORBIDDEN }],
  ...prepared(partialFindings),
};

/** Tried twice, never read. */
export const neverCluster: ClusterDetailResponse = {
  name: 'aks-new-northeurope',
  sourceKind: 'kubernetes',
  score: null,
  grade: null,
  categories: [],
  totals: tally(0, 0),
  counts: clusterCounts(0, 0, 0, 0),
  lastAttemptAt: minutesAgo(3),
  status: 'never-evaluated',
  stale: false,
  lastError:
    'Kubernetes API returned 403 Forbidden listing deployments.apps: no result without deployments; grant get and list on it (deploy/kubernetes/clusterrole.yaml)',
  ...prepared([]),
};

const {
  failingRules: _p,
  facets: _pf,
  totalFindings: _pt,
  ...prodSummary
} = prodCluster;
const {
  failingRules: _d,
  facets: _df,
  totalFindings: _dt,
  ...devSummary
} = devCluster;

export const clustersResponse: ClustersResponse = {
  items: [prodSummary, devSummary],
};

export const overviewResponse: OverviewResponse = {
  clusters: [prodSummary, devSummary],
  owners: [
    {
      owner: 'group:default/team-storefront',
      score: 84,
      grade: 'B',
      categories: [],
      totals: tally(30, 5),
      counts: clusterCounts(0, 2, 3, 0),
      entities: 2,
      stale: false,
    },
    {
      owner: 'group:default/team-payments',
      score: 71,
      grade: 'C',
      categories: [],
      totals: tally(25, 9),
      counts: clusterCounts(1, 4, 3, 1),
      entities: 2,
      stale: true,
    },
  ],
  topFailingRules: [
    {
      ruleId: 'container-run-as-non-root',
      baselineRef: 'PS-02',
      title:
        'Containers run as a non-root user (runAsNonRoot and a non-zero runAsUser)',
      category: 'pod-security',
      severity: 'high',
      failures: 7,
      entities: 3,
      clusters: 2,
    },
    {
      ruleId: 'namespace-default-deny-ingress',
      baselineRef: 'NW-03',
      title: 'Namespace has a default-deny ingress NetworkPolicy',
      category: 'networking',
      severity: 'high',
      failures: 4,
      entities: 2,
      clusters: 1,
    },
  ],
  entities: [
    {
      entityRef: 'component:default/payments-worker',
      owner: 'group:default/team-payments',
      score: 64,
      grade: 'D',
      counts: clusterCounts(1, 2, 1, 0),
      unknown: 0,
      clusters: ['aks-dev-koreacentral', 'aks-prod-westeurope'],
      evaluatedAt: minutesAgo(5),
      stale: true,
    },
    {
      entityRef: 'component:default/checkout-api',
      owner: 'group:default/team-payments',
      score: 78,
      grade: 'C',
      counts: checkoutScore.counts,
      unknown: checkoutScore.totals.unknown,
      clusters: ['aks-dev-koreacentral', 'aks-prod-westeurope'],
      evaluatedAt: minutesAgo(5),
      stale: false,
    },
  ],
  entityTotal: 2,
  ownerTotal: 2,
};

export const evaluationsResponse: EvaluationRunsResponse = {
  items: [
    {
      id: 'run-2',
      cluster: 'aks-dev-koreacentral',
      trigger: 'schedule',
      status: 'failed',
      startedAt: minutesAgo(8),
      finishedAt: minutesAgo(7),
      error: 'Kubernetes API answered 401 Unauthorized',
      durationMs: 1200,
    },
    {
      id: 'run-1',
      cluster: 'aks-prod-westeurope',
      trigger: 'schedule',
      status: 'success',
      startedAt: minutesAgo(6),
      finishedAt: minutesAgo(5),
      score: 93,
      grade: 'A',
      entities: 3,
      durationMs: 2450,
    },
  ],
};
