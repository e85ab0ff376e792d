/*
 * HA-01: probes on long-running containers. Two rules: liveness on every
 * long-running container, readiness only where a Service sends traffic to
 * the pod. Jobs and CronJobs run to completion and need neither (their
 * rules are not-applicable there, through `longRunning`).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { containersOutcome } from '../../engine/containers';
import { pathSegments } from '../../engine/fixes';
import { notApplicable } from '../../engine/outcomes';
import { KubeObject, WorkloadView } from '../../engine/types';
import {
  Container,
  ContainerCheck,
  ContainerRule,
  WorkloadRule,
} from '../../engine/rule';
import { containersDo, subPath } from '../shared/containers';
import { fillIn, workloadEvidencePatch } from '../shared/fixes';

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

/** The container an evidence path under the pod spec names, read from the workload. */
function containerAt(w: WorkloadView, path: string): any {
  let current: any = w.object;
  const segments = pathSegments(path);
  for (const segment of segments.slice(0, -1)) current = current?.[segment];
  return current;
}

/** A probe of the right shape, its endpoint left to the team. */
function probeToFill(w: WorkloadView, e: Evidence, endpoint: string) {
  const port = containerAt(w, e.path)?.ports?.[0]?.containerPort;
  return {
    httpGet: {
      path: fillIn(endpoint),
      port: typeof port === 'number' ? port : fillIn('the container port'),
    },
    periodSeconds: 10,
  };
}

const PROBE_TO_FILL =
  'Fill in the endpoint the application answers on (or use a tcpSocket, grpc or exec probe), and check the port';

const livenessCheck: ContainerCheck = {
  check: (c, ctx) =>
    c.livenessProbe
      ? undefined
      : [
          {
            path: subPath(ctx.path, 'livenessProbe'),
            value: c.livenessProbe,
            expected: 'an httpGet, tcpSocket, grpc or exec probe',
          },
        ],
  message: names =>
    `${containersDo(
      names,
      'has no liveness probe',
      'have no liveness probe',
    )}: a hung process is never restarted.`,
  // Init containers run to completion before the pod starts: no probes.
  includeInitContainers: false,
};

export const containerLivenessProbe: ContainerRule = {
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
  appliesTo: { when: isLongRunning },
  container: livenessCheck,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      e => probeToFill(w, e, 'the health endpoint, e.g. /healthz'),
      'Add a liveness probe to each offending container',
      PROBE_TO_FILL,
    ),
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

function serviceNames(services: readonly KubeObject[]): string {
  const names = services.map(s => s.metadata.name);
  return names.length === 1
    ? `Service ${names[0]}`
    : `Services ${names.join(', ')}`;
}

const readinessCheck: ContainerCheck = {
  check: (c, ctx) =>
    c.readinessProbe || !servesTraffic(c, ctx.workload.podSpec)
      ? undefined
      : [
          {
            path: subPath(ctx.path, 'readinessProbe'),
            value: c.readinessProbe,
            expected: 'a readiness probe (a Service selects this pod)',
          },
        ],
  message: (names, _evidence, ctx) =>
    `${containersDo(
      names,
      'has no readiness probe',
      'have no readiness probe',
    )} although ${serviceNames(
      ctx.index.servicesSelecting(ctx.workload),
    )} selects the pod: traffic reaches it before it is ready and while it is failing.`,
  includeInitContainers: false,
};

const NOT_SERVED = notApplicable('No Service selects the pod');

export const containerReadinessProbe: WorkloadRule = {
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
  appliesTo: { when: isLongRunning },
  reads: ['Service'],
  // Whether a Service selects the pod rests on other objects, so the check
  // decides it: on manifests without the namespace's Services the engine
  // then reports the check as not made instead of not applicable.
  check: (w, ctx) =>
    ctx.index.servicesSelecting(w).length > 0
      ? containersOutcome(w, readinessCheck, ctx)
      : NOT_SERVED,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      e => probeToFill(w, e, 'the readiness endpoint, e.g. /ready'),
      'Add a readiness probe to each offending container',
      PROBE_TO_FILL,
    ),
};
