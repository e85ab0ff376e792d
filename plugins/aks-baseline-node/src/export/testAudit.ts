import { AuditExport } from './audit';

/** An export with the awkward cases: quotes, commas, line breaks, a formula, a waiver, passes. */
export const AUDIT: AuditExport = {
  subject: 'Cluster aks-prod',
  cluster: 'aks-prod',
  evaluatedAt: '2026-12-02T08:00:00.000Z',
  profile: 'production',
  score: 71,
  grade: 'C',
  checks: [
    {
      status: 'fail',
      checks: 1,
      ruleId: 'container-not-privileged',
      baselineRef: 'PS-07',
      category: 'pod-security',
      severity: 'critical',
      title: 'No privileged containers',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      file: 'k8s/web.yaml',
      line: 3,
      message: 'Container "app", "side,car" run privileged\nsecond line',
      admission: {
        by: 'Pod Security Standards',
        policy: 'Baseline',
        effect: 'deny',
        note: 'enforced at admission by Safeguards (Pod Security Standards Baseline)',
      },
      evidence: [
        {
          path: 'spec.template.spec.containers[0].securityContext.privileged',
          value: true,
          expected: 'false or absent',
        },
      ],
      frameworks: {
        cisAks: ['4.2.1'],
        podSecurityStandards: {
          level: 'baseline',
          controls: ['Privileged Containers'],
        },
        azurePolicy: [
          {
            displayName:
              'Kubernetes cluster should not allow privileged containers',
            id: '95edb821-ddaf-4404-9732-666045e056b4',
            deploymentSafeguards: true,
          },
        ],
      },
    },
    {
      status: 'waived',
      checks: 1,
      ruleId: 'container-image-pinned',
      baselineRef: 'IM-01',
      category: 'images',
      severity: 'high',
      resource: { kind: 'Deployment', namespace: 'shop', name: '=cmd|calc' },
      message: 'Image <script>alert(1)</script> is not pinned',
      waiver: {
        ruleId: 'container-image-pinned',
        reason: 'Vendor image, pinned by "digest" next sprint',
        owner: 'group:default/team-shop',
        expires: '2027-01-31',
        source: 'annotation',
      },
    },
    {
      status: 'unknown',
      checks: 1,
      ruleId: 'cluster-admin-bound-to-groups-only',
      baselineRef: 'ID-08',
      category: 'identity',
      severity: 'critical',
      resource: { kind: 'ManagedCluster', name: 'aks-prod' },
      message: 'ClusterRoleBindings could not be read (403)',
    },
    {
      status: 'pass',
      checks: 12,
      resource: { kind: 'Deployment', namespace: 'shop', name: 'api' },
      message: '12 checks passed',
    },
  ],
};
