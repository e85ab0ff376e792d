/*
 * Baseline items that neither the ARM nor the Kubernetes API can show
 * (MN-01..MN-07): listed as `manual` rules, shown as a checklist the owner
 * confirms, never as passed and never in the score.
 */
import { ManualRule, RuleDefinition } from '../engine/rule';

function manualRule(rule: Omit<ManualRule, 'scope' | 'source'>): ManualRule {
  return { ...rule, scope: 'cluster', source: 'kubernetes' };
}

export const cisBenchmarkReviewed = manualRule({
  id: 'cis-benchmark-reviewed',
  baselineRef: 'MN-01',
  category: 'operations',
  severity: 'medium',
  title: 'CIS Kubernetes benchmark results (kube-bench) are reviewed',
  rationale:
    'kube-bench checks node and control-plane settings against the CIS benchmark; its findings only help when someone reads and acts on them.',
  remediation: {
    summary: 'Run kube-bench as a Job on the cluster and review its output.',
    command:
      'kubectl apply -f https://raw.githubusercontent.com/aquasecurity/kube-bench/main/job-aks.yaml\nkubectl logs job/kube-bench > kube-bench-results.txt',
  },
  manual: {
    concerns: 'cluster',
    reason:
      'kube-bench output lives in a Job log, and whether it was reviewed is a human decision: confirm it in the checklist.',
  },
});

export const imagesScannedInPipeline = manualRule({
  id: 'images-scanned-in-ci',
  baselineRef: 'MN-02',
  category: 'images',
  severity: 'high',
  title: 'Images are scanned in CI/CD before they are pushed',
  rationale:
    'Scanning in the pipeline stops vulnerable images before they reach the registry, where in-cluster scanning only finds them after deployment.',
  remediation: {
    summary:
      'Add a Trivy step to the build pipeline that fails on CRITICAL vulnerabilities.',
    snippet: [
      '- name: Run Trivy vulnerability scanner',
      '  uses: aquasecurity/trivy-action@master',
      '  with:',
      "    image-ref: 'myregistry.azurecr.io/myapp:${{ github.sha }}'",
      "    exit-code: '1'",
      "    severity: 'CRITICAL'",
    ].join('\n'),
  },
  manual: {
    concerns: 'service',
    reason:
      'Pipelines are outside the cluster and its Azure resource: the owner confirms that images are scanned before push.',
  },
});

export const postureScansPerformed = manualRule({
  id: 'penetration-tests-performed',
  baselineRef: 'MN-03',
  category: 'operations',
  severity: 'medium',
  title: 'Periodic penetration tests and posture scans (Kubescape)',
  rationale:
    'Regular posture scans and penetration tests find weaknesses that configuration checks cannot, such as exposed application endpoints.',
  remediation: {
    summary:
      'Run Kubescape (and manifest scans with trivy config) on a schedule.',
    command:
      'curl -s https://raw.githubusercontent.com/kubescape/kubescape/master/install.sh | /bin/bash\ntrivy config ./k8s-manifests/',
  },
  manual: {
    concerns: 'cluster',
    reason:
      'Test reports are not stored in the cluster: the owner confirms the last test date in the checklist.',
  },
});

export const gitOpsWorkflow = manualRule({
  id: 'gitops-workflow',
  baselineRef: 'MN-04',
  category: 'operations',
  severity: 'low',
  title: 'Changes reach the cluster through a GitOps workflow',
  rationale:
    'A GitOps workflow makes every change reviewed, versioned and reproducible, and removes standing write access to the cluster.',
  remediation: {
    summary:
      'Deliver manifests from Git with a GitOps operator (e.g. the AKS GitOps Flux extension).',
  },
  manual: {
    concerns: 'service',
    reason:
      'Whether all changes go through Git cannot be told from the objects: the owner confirms it.',
  },
});

export const costReviews = manualRule({
  id: 'cost-reviews',
  baselineRef: 'MN-05',
  category: 'operations',
  severity: 'low',
  title: 'Regular cost reviews (rightsizing, reservations, Spot)',
  rationale:
    'Node sizes, reservations and Spot pools drift from need over time; a regular review keeps the cluster right-sized.',
  remediation: {
    summary:
      'Review Cost Management for the cluster weekly; rightsize pools, use Spot for batch and reservations for steady load.',
  },
  manual: {
    concerns: 'cluster',
    reason:
      'Cost reviews are a process, not a setting: the owner confirms them.',
  },
});

export const disasterRecoveryTested = manualRule({
  id: 'disaster-recovery-tested',
  baselineRef: 'MN-06',
  category: 'availability',
  severity: 'medium',
  title: 'Disaster-recovery tests restore a backup into a fresh cluster',
  rationale:
    'A backup that has never been restored is not known to work; a monthly DR test proves the restore path and its timing.',
  remediation: {
    summary:
      'Restore the latest Velero backup into a fresh cluster every month and record the result.',
    command: 'velero restore create --from-backup <backup-name>',
  },
  manual: {
    concerns: 'cluster',
    reason:
      'Restores happen in another cluster: the owner confirms the last successful DR test.',
  },
});

export const operationsChecklists = manualRule({
  id: 'operations-checklists-followed',
  baselineRef: 'MN-07',
  category: 'operations',
  severity: 'low',
  title: 'Weekly and monthly operations checklists are followed',
  rationale:
    'Backup checks, capacity and security reviews, patching, SLO and architecture reviews keep a cluster healthy between incidents.',
  remediation: {
    summary:
      'Follow the weekly checklist (backups, usage, cost, security scan results, patches, capacity) and the monthly one (DR test, security audit, benchmarks, SLA/SLO, architecture, cost).',
  },
  manual: {
    concerns: 'cluster',
    reason: 'The checklists are followed by people: the owner confirms them.',
  },
});

export const manualRules: RuleDefinition[] = [
  cisBenchmarkReviewed,
  imagesScannedInPipeline,
  postureScansPerformed,
  gitOpsWorkflow,
  costReviews,
  disasterRecoveryTested,
  operationsChecklists,
];
