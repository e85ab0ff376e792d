/*
 * HA-01: probes on long-running containers. Two rules: liveness on every
 * long-running container, readiness only where a Service sends traffic to
 * the pod. Jobs and CronJobs run to completion and need neither (their
 * rules are not-applicable there, through `longRunning`).
 */
import { notApplicable } from '../../engine/outcomes';
import { RuleContext, RuleDefinition, WorkloadView } from '../../engine/types';
import {
  checkContainers,
  Container,
  ContainerCheck,
  containersDo,
  WORKLOAD_KINDS,
  subPath,
} from '../shared/containers';

const PROBES_SNIPPET = `containers:
- name: app
  image: myregistry.azurecr.io/myapp:v1.2.3
  livenessProbe:
    httpGet:
      path: /healthz
      port: 8080
    initialDelaySeconds: 10
    periodSeconds: 10
  readinessProbe:
    httpGet:
      path: /ready
      port: 8080
    periodSeconds: 5`;

function isLongRunning(w: WorkloadView): boolean {
  return w.longRunning;
}

const livenessCheck: ContainerCheck = {
  ok: c => !!c.livenessProbe,
  evidence(c, _pod, path, out) {
    out.push({
      path: subPath(path, 'livenessProbe'),
      value: c.livenessProbe,
      expected: 'an httpGet, tcpSocket, grpc or exec probe',
    });
  },
  message: names =>
    `${containersDo(
      names,
      'has no liveness probe',
      'have no liveness probe',
    )}: a hung process is never restarted.`,
};

export const containerLivenessProbe: RuleDefinition<'workload'> = {
  id: 'container-liveness-probe',
  baselineRef: 'HA-01',
  category: 'availability',
  severity: 'medium',
  title: 'Long-running containers have a liveness probe',
  rationale:
    'Without a liveness probe the kubelet only notices a container that exits; a deadlocked or hung process keeps its pod Running and serving errors until someone restarts it. Jobs and CronJobs run to completion and are exempt.',
  remediation: {
    summary:
      'Add a livenessProbe (httpGet, tcpSocket, grpc or exec) to every container of long-running workloads.',
    snippet: PROBES_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  kinds: WORKLOAD_KINDS,
  appliesTo: isLongRunning,
  // Init containers run to completion before the pod starts: no probes.
  check: (w, ctx) => checkContainers(w, livenessCheck, ctx, false),
};

function declaresPorts(c: Container): boolean {
  return Array.isArray(c.ports) && c.ports.length > 0;
}

function anyDeclaresPorts(podSpec: any): boolean {
  const containers = podSpec?.containers;
  if (!Array.isArray(containers)) return false;
  for (let i = 0; i < containers.length; i++) {
    if (containers[i] && declaresPorts(containers[i])) return true;
  }
  return false;
}

/**
 * Containers that serve: those declaring ports, or every container when
 * none declares any (a Service may target an undeclared port).
 */
function servesTraffic(c: Container, podSpec: any): boolean {
  return declaresPorts(c) || !anyDeclaresPorts(podSpec);
}

function serviceNames(w: WorkloadView, ctx: RuleContext | undefined): string {
  if (!ctx) return 'a Service';
  const services = ctx.index.servicesSelecting(w);
  const names: string[] = [];
  for (let i = 0; i < services.length; i++) {
    names.push(services[i].metadata.name);
  }
  return names.length === 1
    ? `Service ${names[0]}`
    : `Services ${names.join(', ')}`;
}

const readinessCheck: ContainerCheck = {
  ok: (c, pod) => !!c.readinessProbe || !servesTraffic(c, pod),
  evidence(c, _pod, path, out) {
    out.push({
      path: subPath(path, 'readinessProbe'),
      value: c.readinessProbe,
      expected: 'a readiness probe (a Service selects this pod)',
    });
  },
  message: (names, w, _evidence, ctx) =>
    `${containersDo(
      names,
      'has no readiness probe',
      'have no readiness probe',
    )} although ${serviceNames(
      w,
      ctx,
    )} selects the pod: traffic reaches it before it is ready and while it is failing.`,
};

const NOT_SERVED = notApplicable('No Service selects the pod');

export const containerReadinessProbe: RuleDefinition<'workload'> = {
  id: 'container-readiness-probe',
  baselineRef: 'HA-01',
  category: 'availability',
  severity: 'medium',
  title: 'Containers behind a Service have a readiness probe',
  rationale:
    'A Service sends traffic to every pod it selects once its containers are ready; without a readiness probe that is as soon as the process starts, so rollouts and restarts drop requests. Pods no Service selects do not need one.',
  remediation: {
    summary:
      'Add a readinessProbe to the serving containers of every workload a Service selects.',
    snippet: PROBES_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  kinds: WORKLOAD_KINDS,
  reads: ['Service'],
  appliesTo: isLongRunning,
  // Whether a Service selects the pod is decided in the check, not in
  // appliesTo: on manifests without the namespace's Services that question
  // has no answer, and the engine then reports the check as not made.
  check: (w, ctx) =>
    ctx.index.servicesSelecting(w).length > 0
      ? checkContainers(w, readinessCheck, ctx, false)
      : NOT_SERVED,
};
