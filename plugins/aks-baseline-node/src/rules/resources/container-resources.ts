/*
 * RS-01 (requests) and RS-02 (limits) on every container and init container.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { ContainerCheck, ContainerRule, RuleContext } from '../../engine/rule';
import { Container, containersDo, subPath } from '../shared/containers';
import { fillIn, workloadEvidencePatch } from '../shared/fixes';

const EXAMPLE_QUANTITIES: Record<string, string> = {
  'cpu request': '200m',
  'memory request': '256Mi',
  'cpu limit': '500m',
  'memory limit': '512Mi',
};

/** The placeholder for a quantity at an evidence path (`…requests.cpu`). */
function quantityToFill(e: Evidence): string {
  const resource = e.path.slice(e.path.lastIndexOf('.') + 1);
  const what = `${resource} ${
    e.path.includes('.limits.') ? 'limit' : 'request'
  }`;
  return fillIn(
    `${what} from observed usage, e.g. ${EXAMPLE_QUANTITIES[what] ?? '?'}`,
  );
}

const SIZES_TO_FILL =
  "Fill in each <...> with a quantity sized from the container's observed usage";

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

const RESOURCES = ['cpu', 'memory'] as const;

const requestsCheck: ContainerCheck = {
  check(c, ctx) {
    let problems: Evidence[] | undefined;
    for (const resource of RESOURCES) {
      if (effectiveRequest(c, resource) !== undefined) continue;
      (problems ??= []).push({
        path: subPath(
          subPath(subPath(ctx.path, 'resources'), 'requests'),
          resource,
        ),
        value: undefined,
        expected: resource === 'cpu' ? 'e.g. 200m' : 'e.g. 256Mi',
      });
    }
    return problems;
  },
  message: (names, evidence) =>
    `${containersDo(
      names,
      'does not request',
      'do not request',
    )} ${missingResources(
      evidence,
    )}: the scheduler cannot place the pod by its real needs and it is the first to be evicted under pressure.`,
};

/** `cpu and memory`, `cpu`, or `memory`, from the evidence paths. */
function missingResources(evidence: readonly Evidence[]): string {
  let cpu = false;
  let memory = false;
  for (const e of evidence) {
    if (e.path.endsWith('.cpu')) cpu = true;
    else if (e.path.endsWith('.memory')) memory = true;
  }
  if (cpu && memory) return 'CPU and memory';
  return cpu ? 'CPU' : 'memory';
}

export const containerResourceRequests: ContainerRule = {
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
  container: requestsCheck,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      quantityToFill,
      'Set CPU and memory requests on each offending container',
      SIZES_TO_FILL,
    ),
};

/**
 * `parameters.requireCpuLimits`: RS-02 also requires a CPU limit. Off by
 * default: CPU limits throttle latency-sensitive services while memory
 * limits protect the node.
 */
function requireCpuLimit(ctx: RuleContext): boolean {
  return ctx.params.requireCpuLimits === true;
}

const limitsCheck: ContainerCheck = {
  check(c, ctx) {
    let problems: Evidence[] | undefined;
    const limits = c.resources?.limits;
    const path = subPath(subPath(ctx.path, 'resources'), 'limits');
    if (quantity(limits, 'memory') === undefined) {
      (problems ??= []).push({
        path: subPath(path, 'memory'),
        value: undefined,
        expected: 'e.g. 512Mi',
      });
    }
    if (requireCpuLimit(ctx) && quantity(limits, 'cpu') === undefined) {
      (problems ??= []).push({
        path: subPath(path, 'cpu'),
        value: undefined,
        expected: 'e.g. 500m (required by configuration)',
      });
    }
    return problems;
  },
  message: (names, evidence) =>
    `${containersDo(names, 'has no', 'have no')} ${missingResources(
      evidence,
    )} limit: one leaking container can exhaust its node's memory.`,
};

export const containerResourceLimits: ContainerRule = {
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
  container: limitsCheck,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      quantityToFill,
      'Set a memory limit (and a CPU limit where required) on each offending container',
      SIZES_TO_FILL,
    ),
};
