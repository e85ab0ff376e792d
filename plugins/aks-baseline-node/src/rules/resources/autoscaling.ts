/*
 * RS-05: scalable workloads (Deployments and StatefulSets running two or
 * more replicas, or any in production) have an HPA or a VPA. VPA is a CRD:
 * when it is not installed only HPAs count, so the rule reads (and is gated
 * on) HorizontalPodAutoscaler alone.
 */
import { fail, PASS, unknown } from '../../engine/outcomes';
import { WorkloadView } from '../../engine/types';
import { RuleContext, WorkloadRule } from '../../engine/rule';
import { optionalReads } from '../../engine/rule-parts';
import { fillIn, workloadTarget, unusedName } from '../shared/fixes';

function isScalable(w: WorkloadView, ctx: RuleContext): boolean {
  if (w.kind !== 'Deployment' && w.kind !== 'StatefulSet') return false;
  const replicas = w.replicas ?? 1;
  // Scaled to zero on purpose outside production: nothing to autoscale.
  if (replicas === 0 && ctx.profile !== 'production') return false;
  return replicas >= 2 || ctx.profile === 'production';
}

function checkAutoscaler(w: WorkloadView, ctx: RuleContext) {
  if (ctx.index.autoscalersTargeting(w).length > 0) return PASS;
  if (ctx.index.kindStatus('VerticalPodAutoscaler') === 'unreadable') {
    return unknown(
      `No HorizontalPodAutoscaler targets ${w.kind} ${
        w.name
      }, and VerticalPodAutoscalers could not be read (${ctx.index.kindReason(
        'VerticalPodAutoscaler',
      )}).`,
    );
  }
  return fail(
    `No HorizontalPodAutoscaler or VerticalPodAutoscaler targets ${w.kind} ${
      w.name
    } (${w.replicas ?? 1} replica(s)).`,
    [
      {
        path: 'spec.replicas',
        value: w.replicas,
        expected: `an HPA (scaleTargetRef) or VPA (targetRef) naming ${w.kind} ${w.name}`,
      },
    ],
  );
}

export const workloadAutoscaler: WorkloadRule = {
  id: 'workload-has-autoscaler',
  baselineRef: 'RS-05',
  category: 'resources',
  severity: 'low',
  title:
    'Scalable workloads have a HorizontalPodAutoscaler or a VerticalPodAutoscaler',
  rationale:
    'A fixed replica count is either too many (paid for, idle) or too few (saturated at peak); an HPA follows load, and a VPA keeps requests matched to real usage.',
  remediation: {
    summary:
      'Create a HorizontalPodAutoscaler (kubectl autoscale) or a VerticalPodAutoscaler targeting the workload.',
    command:
      'kubectl autoscale deployment myapp --namespace <namespace> --cpu-percent=70 --min=2 --max=10',
    snippet: `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: myapp-vpa
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: myapp
  updatePolicy:
    updateMode: "Auto"
  resourcePolicy:
    containerPolicies:
    - containerName: "*"
      minAllowed:
        cpu: 100m
        memory: 128Mi
      maxAllowed:
        cpu: 2
        memory: 2Gi`,
  },
  scope: 'workload',
  source: 'kubernetes',
  fix: (w, _evidence, ctx) => ({
    kind: 'create',
    object: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: unusedName(ctx, 'HorizontalPodAutoscaler', w.namespace, w.name),
        namespace: w.namespace,
      },
      spec: {
        scaleTargetRef: {
          apiVersion: w.object.apiVersion ?? 'apps/v1',
          kind: w.kind,
          name: w.name,
        },
        minReplicas: w.replicas ?? 1,
        maxReplicas: fillIn('the most replicas it may run'),
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 70 },
            },
          },
        ],
      },
    },
    besides: workloadTarget(w),
    summary: `Add a HorizontalPodAutoscaler for ${w.kind} ${w.name} on CPU`,
    adapt:
      'Fill in maxReplicas and check the metric (CPU utilization needs CPU requests); remove spec.replicas from the workload so that applying it does not reset the count',
  }),
  appliesTo: { kinds: ['Deployment', 'StatefulSet'], when: isScalable },
  reads: ['HorizontalPodAutoscaler', ...optionalReads('VerticalPodAutoscaler')],
  check: checkAutoscaler,
};
