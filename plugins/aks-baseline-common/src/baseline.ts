import { Category } from './category';

/**
 * One item of the baseline (shared/baseline/CHECKLIST.md).
 *
 * @public
 */
export interface BaselineItem {
  key: string;
  category: Category;
  title: string;
  /** Marked 필수 (required) in the seed document. */
  required: boolean;
  /** Not evaluable from the ARM or Kubernetes APIs: a checklist the owner confirms. */
  manual: boolean;
  /** Beyond the seed document: AKS capabilities and retirements since (`AX-` keys). */
  beyondSeed?: boolean;
}

/**
 * The 66 evaluable items of the seed, the 15 beyond it (`AX-`) and the manual
 * ones, as data: the
 * rule catalog must cover every key (a test fails otherwise).
 *
 * @public
 */
export const BASELINE_ITEMS: readonly BaselineItem[] = [
  {
    key: 'CL-01',
    category: 'cluster',
    title:
      'Kubernetes version is a current, supported minor; not behind the newest GA minor by more than one',
    required: false,
    manual: false,
  },
  {
    key: 'CL-02',
    category: 'cluster',
    title:
      "Node pools run the control plane's version (upgrade node pools after the control plane, one at a time)",
    required: false,
    manual: false,
  },
  {
    key: 'CL-03',
    category: 'cluster',
    title:
      'Cluster autoscaler enabled on every user pool, with `minCount` ≥ 3 for production pools',
    required: true,
    manual: false,
  },
  {
    key: 'CL-04',
    category: 'cluster',
    title: 'Managed identity, not a service principal',
    required: true,
    manual: false,
  },
  {
    key: 'CL-05',
    category: 'cluster',
    title: 'Microsoft Entra ID (AAD) integration with admin group(s)',
    required: false,
    manual: false,
  },
  {
    key: 'CL-06',
    category: 'cluster',
    title: 'Azure RBAC for Kubernetes authorization',
    required: false,
    manual: false,
  },
  {
    key: 'CL-07',
    category: 'cluster',
    title: 'Local accounts disabled (follows from AAD-only access)',
    required: false,
    manual: false,
  },
  {
    key: 'CL-08',
    category: 'cluster',
    title: 'Microsoft Defender for Containers enabled',
    required: false,
    manual: false,
  },
  {
    key: 'CL-09',
    category: 'cluster',
    title: 'Availability zones 1 2 3 on every pool',
    required: false,
    manual: false,
  },
  {
    key: 'CL-10',
    category: 'cluster',
    title: 'Standard load balancer SKU',
    required: false,
    manual: false,
  },
  {
    key: 'CL-11',
    category: 'cluster',
    title: 'Virtual Machine Scale Sets',
    required: false,
    manual: false,
  },
  {
    key: 'CL-12',
    category: 'cluster',
    title: 'Required tags (`Environment`, `Owner`) on the cluster',
    required: false,
    manual: false,
  },
  {
    key: 'CL-13',
    category: 'cluster',
    title:
      'A dedicated System pool, tainted `CriticalAddonsOnly=true:NoSchedule`, ≥ 3 nodes, zoned; applications on User pools',
    required: false,
    manual: false,
  },
  {
    key: 'CL-14',
    category: 'cluster',
    title: 'GPU pools tainted (`sku=gpu:NoSchedule`), able to scale to zero',
    required: false,
    manual: false,
  },
  {
    key: 'CL-15',
    category: 'cluster',
    title:
      'Spot pools tainted `kubernetes.azure.com/scalesetpriority=spot:NoSchedule`, eviction policy Delete',
    required: false,
    manual: false,
  },
  {
    key: 'CL-16',
    category: 'cluster',
    title: 'Auto-upgrade channel set (`stable` recommended; not `none`)',
    required: false,
    manual: false,
  },
  {
    key: 'CL-17',
    category: 'cluster',
    title: 'A planned maintenance window configured',
    required: false,
    manual: false,
  },
  {
    key: 'CL-18',
    category: 'cluster',
    title:
      'Production SKU / node sizing: no burstable (B-series) VMs in production pools',
    required: false,
    manual: false,
  },
  {
    key: 'CL-19',
    category: 'cluster',
    title:
      'Cluster autoscaler profile tuned (scale-down delay/unneeded 10m, utilization 0.5, graceful termination 600 s)',
    required: false,
    manual: false,
  },
  {
    key: 'CL-20',
    category: 'cluster',
    title: 'Azure Hybrid Benefit on Windows pools',
    required: false,
    manual: false,
  },
  {
    key: 'NW-01',
    category: 'networking',
    title:
      'Azure CNI (Overlay recommended) in production; kubenet only for dev/test',
    required: false,
    manual: false,
  },
  {
    key: 'NW-02',
    category: 'networking',
    title: 'A network policy engine (azure, calico or cilium)',
    required: false,
    manual: false,
  },
  {
    key: 'NW-03',
    category: 'networking',
    title:
      'Every application namespace has a default-deny ingress NetworkPolicy',
    required: false,
    manual: false,
  },
  {
    key: 'NW-04',
    category: 'networking',
    title:
      'Workloads are reachable only through explicit allow policies (a workload selected by no allow policy in a default-deny namespace is unreachable; one in a namespace without policies is open)',
    required: false,
    manual: false,
  },
  {
    key: 'NW-05',
    category: 'networking',
    title: 'Internal services use an internal load balancer',
    required: false,
    manual: false,
  },
  {
    key: 'NW-06',
    category: 'networking',
    title:
      'Ingress terminates TLS (tls hosts, cert-manager issuer) and redirects to HTTPS',
    required: false,
    manual: false,
  },
  {
    key: 'NW-07',
    category: 'networking',
    title:
      'An ingress controller is present (ingress-nginx, AGIC or Application Gateway for Containers)',
    required: false,
    manual: false,
  },
  {
    key: 'NW-08',
    category: 'networking',
    title: 'API server is private, or restricted to authorized IP ranges',
    required: false,
    manual: false,
  },
  {
    key: 'ID-01',
    category: 'identity',
    title: 'OIDC issuer and Workload Identity enabled',
    required: false,
    manual: false,
  },
  {
    key: 'ID-02',
    category: 'identity',
    title: 'No legacy pod-managed identity',
    required: false,
    manual: false,
  },
  {
    key: 'ID-03',
    category: 'identity',
    title:
      "Pods labelled `azure.workload.identity/use: 'true'` run as a ServiceAccount annotated with `azure.workload.identity/client-id`",
    required: false,
    manual: false,
  },
  {
    key: 'ID-04',
    category: 'identity',
    title:
      'One ServiceAccount per namespace/workload; one identity (client id) is not reused across namespaces',
    required: false,
    manual: false,
  },
  {
    key: 'ID-05',
    category: 'identity',
    title: 'Key Vault Secrets Store CSI driver enabled (with rotation)',
    required: false,
    manual: false,
  },
  {
    key: 'ID-06',
    category: 'identity',
    title:
      "SecretProviderClasses use Workload Identity (`clientID`), not the node's VM identity",
    required: false,
    manual: false,
  },
  {
    key: 'ID-07',
    category: 'identity',
    title:
      'No secrets as literal env values in pod specs (use Key Vault / secretKeyRef)',
    required: false,
    manual: false,
  },
  {
    key: 'ID-08',
    category: 'identity',
    title:
      '`cluster-admin` is bound only to groups, never to users, service accounts or `system:anonymous`/`system:unauthenticated`; teams get namespace-scoped RoleBindings',
    required: false,
    manual: false,
  },
  {
    key: 'PS-01',
    category: 'pod-security',
    title:
      'Namespace has Pod Security Admission labels: `enforce`, `audit`, `warn`; `restricted` for production, at least `baseline` elsewhere',
    required: false,
    manual: false,
  },
  {
    key: 'PS-02',
    category: 'pod-security',
    title: '`runAsNonRoot: true` and a non-zero `runAsUser`',
    required: false,
    manual: false,
  },
  {
    key: 'PS-03',
    category: 'pod-security',
    title: '`allowPrivilegeEscalation: false`',
    required: false,
    manual: false,
  },
  {
    key: 'PS-04',
    category: 'pod-security',
    title: '`readOnlyRootFilesystem: true` (writable paths as `emptyDir`)',
    required: false,
    manual: false,
  },
  {
    key: 'PS-05',
    category: 'pod-security',
    title: '`capabilities.drop: [ALL]`',
    required: false,
    manual: false,
  },
  {
    key: 'PS-06',
    category: 'pod-security',
    title: '`seccompProfile.type: RuntimeDefault` (or Localhost)',
    required: false,
    manual: false,
  },
  {
    key: 'PS-07',
    category: 'pod-security',
    title:
      'Not privileged; no hostNetwork/hostPID/hostIPC; no hostPath volumes',
    required: false,
    manual: false,
  },
  {
    key: 'IM-01',
    category: 'images',
    title:
      'Images pinned to a specific tag or digest (never `latest` or untagged)',
    required: false,
    manual: false,
  },
  {
    key: 'IM-02',
    category: 'images',
    title: '`imagePullPolicy: IfNotPresent` with pinned tags in production',
    required: false,
    manual: false,
  },
  {
    key: 'IM-03',
    category: 'images',
    title:
      "Images come from the organisation's registries (ACR by default: `*.azurecr.io`, configurable)",
    required: false,
    manual: false,
  },
  {
    key: 'IM-04',
    category: 'images',
    title: 'No CRITICAL vulnerabilities in running images; at most 10 HIGH',
    required: false,
    manual: false,
  },
  {
    key: 'IM-05',
    category: 'images',
    title: 'Continuous in-cluster scanning is installed (Trivy Operator)',
    required: false,
    manual: false,
  },
  {
    key: 'RS-01',
    category: 'resources',
    title: 'Every container sets CPU and memory requests',
    required: false,
    manual: false,
  },
  {
    key: 'RS-02',
    category: 'resources',
    title:
      'Every container sets a memory limit (and CPU limit where policy requires)',
    required: false,
    manual: false,
  },
  {
    key: 'RS-03',
    category: 'resources',
    title: 'Namespace has a ResourceQuota (cpu, memory, PVCs, load balancers)',
    required: false,
    manual: false,
  },
  {
    key: 'RS-04',
    category: 'resources',
    title:
      'Namespace has a LimitRange with container defaults, default requests, min and max',
    required: false,
    manual: false,
  },
  {
    key: 'RS-05',
    category: 'resources',
    title: 'Scalable workloads have an HPA or a VPA',
    required: false,
    manual: false,
  },
  {
    key: 'HA-01',
    category: 'availability',
    title: 'Liveness and readiness probes on every long-running container',
    required: false,
    manual: false,
  },
  {
    key: 'HA-02',
    category: 'availability',
    title: 'Production Deployments/StatefulSets run ≥ 2 replicas',
    required: false,
    manual: false,
  },
  {
    key: 'HA-03',
    category: 'availability',
    title:
      'A PodDisruptionBudget covers each multi-replica workload, and does not block all evictions',
    required: false,
    manual: false,
  },
  {
    key: 'HA-04',
    category: 'availability',
    title:
      'Replicas spread across zones (`topologySpreadConstraints` on `topology.kubernetes.io/zone`) and hosts (anti-affinity or hostname spread)',
    required: false,
    manual: false,
  },
  {
    key: 'HA-05',
    category: 'availability',
    title: 'Backups: a Velero `Schedule` covers the namespace',
    required: false,
    manual: false,
  },
  {
    key: 'HA-06',
    category: 'availability',
    title:
      'Batch workloads on Spot tolerate the spot taint and select spot nodes',
    required: false,
    manual: false,
  },
  {
    key: 'OP-01',
    category: 'operations',
    title: 'Container Insights (monitoring add-on) enabled',
    required: false,
    manual: false,
  },
  {
    key: 'OP-02',
    category: 'operations',
    title: 'Managed Prometheus metrics enabled',
    required: false,
    manual: false,
  },
  {
    key: 'OP-03',
    category: 'operations',
    title: 'Azure Policy add-on enabled',
    required: false,
    manual: false,
  },
  {
    key: 'OP-04',
    category: 'operations',
    title:
      'Control-plane diagnostic logs (kube-apiserver, kube-audit, controller-manager, scheduler, cluster-autoscaler) sent to Log Analytics',
    required: false,
    manual: false,
  },
  {
    key: 'OP-05',
    category: 'operations',
    title:
      'Daily health: nodes Ready, no pods stuck outside Running/Completed, all PVCs Bound',
    required: false,
    manual: false,
  },
  {
    key: 'OP-06',
    category: 'operations',
    title: 'TLS certificates not expiring within 30 days',
    required: false,
    manual: false,
  },
  {
    key: 'OP-07',
    category: 'operations',
    title: 'Cluster is running (power state)',
    required: false,
    manual: false,
  },
  {
    key: 'AX-01',
    category: 'cluster',
    title:
      'Node pools run a supported OS image: not a retired SKU (Azure Linux 2.0 / `Mariner`, `Windows2019`)',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-02',
    category: 'images',
    title: 'Image Cleaner removes unused, vulnerable images from nodes',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-03',
    category: 'identity',
    title:
      'etcd secrets encrypted with a Key Vault key (KMS), key vault private in production',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-04',
    category: 'cluster',
    title: '`az aks command invoke` (run command) disabled in production',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-05',
    category: 'networking',
    title:
      'Egress is controlled: outbound through a firewall (UDR) or NAT gateway, not the default load balancer, in production',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-06',
    category: 'cluster',
    title:
      'Production clusters run with the uptime SLA (Standard or Premium tier)',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-07',
    category: 'cluster',
    title: 'The node resource group is locked (read-only)',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-08',
    category: 'pod-security',
    title:
      'Deployment Safeguards on (Warn or Enforce) with a Pod Security Standards level of at least Baseline; production Enforce',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-09',
    category: 'cluster',
    title:
      'Node pools use Trusted Launch (secure boot, vTPM) and encryption at host where the VM size allows',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-10',
    category: 'cluster',
    title: 'SSH to nodes disabled in production',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-11',
    category: 'operations',
    title: 'Cost analysis add-on enabled (needs Standard/Premium tier)',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-12',
    category: 'networking',
    title: 'Istio add-on, where used, on a supported revision',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-13',
    category: 'networking',
    title:
      'The retired HTTP application routing add-on is off (use the application routing add-on or Gateway API)',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-14',
    category: 'operations',
    title:
      'Ready for the next upgrade: no PodDisruptionBudget that blocks every drain, no workload on an API version removed in the next minor',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'AX-15',
    category: 'availability',
    title:
      'The cluster is backed up: AKS Backup (a Data Protection backup instance) or Velero schedules',
    required: false,
    manual: false,
    beyondSeed: true,
  },
  {
    key: 'MN-01',
    category: 'operations',
    title: 'CIS Kubernetes benchmark results (kube-bench job output) reviewed',
    required: false,
    manual: true,
  },
  {
    key: 'MN-02',
    category: 'images',
    title:
      'Images are scanned in CI/CD before they are pushed (Trivy in the pipeline)',
    required: false,
    manual: true,
  },
  {
    key: 'MN-03',
    category: 'operations',
    title: 'Periodic penetration tests and posture scans (Kubescape)',
    required: false,
    manual: true,
  },
  {
    key: 'MN-04',
    category: 'operations',
    title: 'Changes reach the cluster through a GitOps workflow',
    required: false,
    manual: true,
  },
  {
    key: 'MN-05',
    category: 'operations',
    title: 'Regular cost reviews (rightsizing, reservations, Spot)',
    required: false,
    manual: true,
  },
  {
    key: 'MN-06',
    category: 'availability',
    title: 'Disaster-recovery tests restore a backup into a fresh cluster',
    required: false,
    manual: true,
  },
  {
    key: 'MN-07',
    category: 'operations',
    title: 'Weekly and monthly operations checklists are followed',
    required: false,
    manual: true,
  },
];

/** @public */
export const BASELINE_KEYS: readonly string[] = BASELINE_ITEMS.map(
  item => item.key,
);
