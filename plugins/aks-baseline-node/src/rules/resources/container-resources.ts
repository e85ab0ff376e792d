/*
 * RS-01 (requests) and RS-02 (limits) on every container and init container.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { RuleContext, RuleDefinition } from '../../engine/types';
import {
  checkContainers,
  Container,
  ContainerCheck,
  containersDo,
  WORKLOAD_KINDS,
  subPath,
} from '../shared/containers';

const RESOURCES_SNIPPET = `containers:
- name: app
  image: myregistry.azurecr.io/myapp:v1.2.3
  resources:
    requests:
      cpu: 200m
      memory: 256Mi
    limits:
      cpu: 500m
      memory: 512Mi`;

function quantity(map: any, key: string): unknown {
  if (!map || typeof map !== 'object') return undefined;
  const v = map[key];
  return v === null || v === '' ? undefined : v;
}

/**
 * A request, or the limit Kubernetes copies into a missing request (API
 * defaulting: a limit without a request sets the request to the limit).
 */
function effectiveRequest(c: Container, resource: string): unknown {
  const r = c.resources;
  if (!r) return undefined;
  const request = quantity(r.requests, resource);
  return request !== undefined ? request : quantity(r.limits, resource);
}

const requestsCheck: ContainerCheck = {
  ok: c =>
    effectiveRequest(c, 'cpu') !== undefined &&
    effectiveRequest(c, 'memory') !== undefined,
  evidence(c, _pod, path, out) {
    for (const resource of ['cpu', 'memory']) {
      if (effectiveRequest(c, resource) !== undefined) continue;
      out.push({
        path: subPath(
          subPath(subPath(path, 'resources'), 'requests'),
          resource,
        ),
        value: undefined,
        expected: resource === 'cpu' ? 'e.g. 200m' : 'e.g. 256Mi',
      });
    }
  },
  message: (names, _w, evidence) =>
    `${containersDo(
      names,
      'does not request',
      'do not request',
    )} ${missingResources(
      evidence,
    )}: the scheduler cannot place the pod by its real needs and it is the first to be evicted under pressure.`,
};

/** `cpu and memory`, `cpu`, or `memory`, from the evidence paths. */
function missingResources(evidence: Evidence[]): string {
  let cpu = false;
  let memory = false;
  for (const e of evidence) {
    if (e.path.endsWith('.cpu')) cpu = true;
    else if (e.path.endsWith('.memory')) memory = true;
  }
  if (cpu && memory) return 'CPU and memory';
  return cpu ? 'CPU' : 'memory';
}

export const containerResourceRequests: RuleDefinition<'workload'> = {
  id: 'container-resource-requests',
  baselineRef: 'RS-01',
  category: 'resources',
  severity: 'medium',
  title: 'Containers set CPU and memory requests',
  rationale:
    'Requests are what the scheduler and the cluster autoscaler plan with; a container without them is scheduled as if it needed nothing, overcommits its node and is BestEffort (evicted first).',
  remediation: {
    summary:
      'Set resources.requests.cpu and resources.requests.memory on every container, sized from observed usage.',
    snippet: RESOURCES_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  kinds: WORKLOAD_KINDS,
  check: (w, ctx) => checkContainers(w, requestsCheck, ctx),
};

/**
 * `parameters.requireCpuLimits`: RS-02 also requires a CPU limit. Off by
 * default: CPU limits throttle latency-sensitive services while memory
 * limits protect the node.
 */
function requireCpuLimit(ctx: RuleContext | undefined): boolean {
  return ctx?.params.requireCpuLimits === true;
}

const limitsCheck: ContainerCheck = {
  ok(c, _pod, _w, ctx) {
    const limits = c.resources?.limits;
    if (quantity(limits, 'memory') === undefined) return false;
    return !requireCpuLimit(ctx) || quantity(limits, 'cpu') !== undefined;
  },
  evidence(c, _pod, path, out, _w, ctx) {
    const limits = c.resources?.limits;
    if (quantity(limits, 'memory') === undefined) {
      out.push({
        path: subPath(subPath(subPath(path, 'resources'), 'limits'), 'memory'),
        value: undefined,
        expected: 'e.g. 512Mi',
      });
    }
    if (requireCpuLimit(ctx) && quantity(limits, 'cpu') === undefined) {
      out.push({
        path: subPath(subPath(subPath(path, 'resources'), 'limits'), 'cpu'),
        value: undefined,
        expected: 'e.g. 500m (required by configuration)',
      });
    }
  },
  message: (names, _w, evidence) =>
    `${containersDo(names, 'has no', 'have no')} ${missingResources(
      evidence,
    )} limit: one leaking container can exhaust its node's memory.`,
};

export const containerResourceLimits: RuleDefinition<'workload'> = {
  id: 'container-resource-limits',
  baselineRef: 'RS-02',
  category: 'resources',
  severity: 'medium',
  title:
    'Containers set a memory limit (and a CPU limit where policy requires)',
  rationale:
    'Without a memory limit a leaking container grows until the node runs out of memory and the kernel kills other pods. CPU limits are required only when the requireCpuLimits parameter is set, since they throttle bursts.',
  remediation: {
    summary:
      'Set resources.limits.memory on every container (and limits.cpu where your policy requires it).',
    snippet: RESOURCES_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  kinds: WORKLOAD_KINDS,
  check: (w, ctx) => checkContainers(w, limitsCheck, ctx),
};
