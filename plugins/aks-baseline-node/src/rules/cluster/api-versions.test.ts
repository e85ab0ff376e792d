import { evaluate } from '../../engine/evaluate';
import { readSnapshot } from '../../readers';
import { RULE_CATALOG } from '../index';
import {
  evaluateRule,
  evaluateRuleDetailed,
  outcomeFor,
} from '../../testUtils';
import {
  objectApiVersionServed,
  workloadApiVersionServed,
} from './api-versions';

/** Manifests as a repository holds them, read as the CLI reads them. */
const LEGACY_MANIFESTS = `
apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: legacy-web
  namespace: shop
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: legacy-web
    spec:
      containers:
        - name: web
          image: nginx:1.25
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Deployment
metadata:
  name: typo
  namespace: shop
spec:
  selector:
    matchLabels:
      app: typo
  template:
    metadata:
      labels:
        app: typo
    spec:
      containers:
        - name: typo
          image: contoso.azurecr.io/typo:1.0.0
---
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: nightly
  namespace: shop
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: contoso.azurecr.io/report:2.1.0
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: old-rc
  namespace: shop
spec:
  replicas: 2
  selector:
    app: old-rc
  template:
    metadata:
      labels:
        app: old-rc
    spec:
      hostNetwork: true
      containers:
        - name: rc
          image: contoso.azurecr.io/rc:1.0.0
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: legacy-web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: legacy-web
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: legacy-web
  namespace: shop
spec:
  rules:
    - host: shop.contoso.com
      http:
        paths:
          - path: /
            backend:
              serviceName: legacy-web
              servicePort: 80
---
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: legacy-web
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: extensions/v1beta1
    kind: Deployment
    name: legacy-web
  minReplicas: 2
  maxReplicas: 5
`;

function scan() {
  const snapshot = readSnapshot({
    name: 'manifests',
    kubernetes: [{ file: 'legacy.yaml', text: LEGACY_MANIFESTS }],
    mode: 'manifests',
  });
  return { snapshot, result: evaluate(snapshot, { rules: RULE_CATALOG }) };
}

describe('workload-api-version-served and object-api-version-served (CL-01)', () => {
  it('keeps every object: nothing is dropped for its apiVersion', () => {
    const { snapshot, result } = scan();
    expect(snapshot.objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/legacy-web',
      'Deployment/typo',
      'CronJob/nightly',
      'ReplicationController/old-rc',
      'PodDisruptionBudget/legacy-web',
      'Ingress/legacy-web',
      'HorizontalPodAutoscaler/legacy-web',
    ]);
    expect(snapshot.ignoredKinds).toEqual({});
    expect(result.stats.skipped).toEqual([]);
  });

  it('evaluates them by kind: the privileged container of an extensions/v1beta1 Deployment fails', () => {
    const { result } = scan();
    const privileged = result.findings.find(
      f => f.ruleId === 'container-not-privileged',
    );
    expect(privileged).toMatchObject({
      status: 'fail',
      resource: { kind: 'Deployment', name: 'legacy-web' },
    });
    // A ReplicationController is a workload like the others.
    const host = result.findings.find(
      f => f.ruleId === 'pod-no-host-namespaces-or-paths',
    );
    expect(host).toMatchObject({
      status: 'fail',
      resource: { kind: 'ReplicationController', name: 'old-rc' },
    });
  });

  it('reports each removed or invalid apiVersion with its removal and replacement', () => {
    const { result } = scan();
    const served = result.findings
      .filter(f => f.ruleId.endsWith('api-version-served'))
      .map(f => [f.resource.kind, f.resource.name, f.status, f.message]);
    expect(served).toEqual([
      [
        'Deployment',
        'legacy-web',
        'fail',
        'Deployment legacy-web is written in apiVersion extensions/v1beta1, which Kubernetes stopped serving in 1.16: the API server refuses it as written (the other checks still judged it by its kind). Use apps/v1.',
      ],
      [
        'Deployment',
        'typo',
        'fail',
        'Deployment typo is written in apiVersion v1, which no Kubernetes version serves for a Deployment: the API server refuses it as written (the other checks still judged it by its kind). Use apps/v1.',
      ],
      [
        'CronJob',
        'nightly',
        'fail',
        expect.stringContaining(
          'batch/v1beta1, which Kubernetes stopped serving in 1.25',
        ),
      ],
      [
        'Ingress',
        'legacy-web',
        'fail',
        expect.stringContaining(
          'networking.k8s.io/v1beta1, which Kubernetes stopped serving in 1.22',
        ),
      ],
      [
        'PodDisruptionBudget',
        'legacy-web',
        'fail',
        expect.stringContaining(
          'policy/v1beta1, which Kubernetes stopped serving in 1.25',
        ),
      ],
      [
        'HorizontalPodAutoscaler',
        'legacy-web',
        'fail',
        expect.stringContaining(
          'autoscaling/v2beta2, which Kubernetes stopped serving in 1.26: the API server refuses it as written (the other checks still judged it by its kind). Use autoscaling/v2.',
        ),
      ],
    ]);
  });

  it('does not apply to objects in a served apiVersion (autoscaling/v1 included)', () => {
    const objects = [
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          maxReplicas: 3,
        },
      },
    ];
    const snapshot = readSnapshot({
      name: 'm',
      kubernetes: [{ file: 'hpa.json', value: objects }],
      mode: 'manifests',
    });
    const [o] = evaluateRule(objectApiVersionServed, snapshot);
    expect(o.status).toBe('not-applicable');
    const { snapshot: legacy } = scan();
    expect(
      outcomeFor(evaluateRule(workloadApiVersionServed, legacy), 'old-rc')
        .status,
    ).toBe('not-applicable');
  });

  it('is skipped on cluster reads, whose objects are served as read', () => {
    const { snapshot } = scan();
    const cluster = {
      ...snapshot,
      coverage: { ...snapshot.coverage, mode: 'cluster' as const },
    };
    for (const rule of [workloadApiVersionServed, objectApiVersionServed]) {
      const detailed = evaluateRuleDetailed(rule, cluster);
      expect(detailed.outcomes).toEqual([]);
      expect(detailed.skipped).toMatch(/Only evaluated on manifests/);
    }
  });

  it('is part of the catalog', () => {
    expect(RULE_CATALOG).toContain(workloadApiVersionServed);
    expect(RULE_CATALOG).toContain(objectApiVersionServed);
  });
});
