/*
 * Shared iteration for container-level rules: containers and initContainers
 * of a workload's pod spec, with their evidence paths and the effective
 * security context (a container's own field wins over the pod's).
 *
 * Performance: a check is a pair of module-level functions (no closures per
 * call); paths and name lists are built only for offending containers, so a
 * compliant workload allocates nothing and gets the shared PASS.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { FAIL, fail, PASS } from '../../engine/outcomes';
import { CheckOutcome, RuleContext, WorkloadView } from '../../engine/types';

/** A container spec as found in a pod template (loosely typed: read-only). */
export type Container = Record<string, any>;

/** A container-level check. */
export interface ContainerCheck {
  /** True when the container complies. Must not allocate. */
  ok(
    container: Container,
    podSpec: any,
    workload: WorkloadView,
    ctx: RuleContext | undefined,
  ): boolean;
  /**
   * What was read for an offending container. `path` is the container's
   * evidence path (`spec.template.spec.containers[1]`); pushes onto `out`.
   */
  evidence(
    container: Container,
    podSpec: any,
    path: string,
    out: Evidence[],
    workload: WorkloadView,
    ctx: RuleContext | undefined,
  ): void;
  /**
   * The failure message for the offending containers (names already
   * formatted), given the evidence collected for them.
   */
  message(
    names: string[],
    workload: WorkloadView,
    evidence: Evidence[],
    ctx: RuleContext | undefined,
  ): string;
}

export type ContainerField = 'containers' | 'initContainers';

/**
 * Evidence paths are the same strings for every workload
 * (`spec.template.spec.containers[0].securityContext.runAsNonRoot`): built
 * once and shared, they cost nothing per failure and findings (which an
 * evaluation keeps) do not each carry a copy. Keyed by the pod spec path (a
 * handful of values), container field and index, and by literal segments,
 * so the caches stay small.
 */
const CONTAINER_PATHS = new Map<string, Record<ContainerField, string[]>>();
const SUB_PATHS = new Map<string, Map<string, string>>();

/** `spec.template.spec.containers[1]`. */
export function containerPath(
  workload: WorkloadView,
  field: ContainerField,
  index: number,
): string {
  let byField = CONTAINER_PATHS.get(workload.podSpecPath);
  if (!byField) {
    byField = { containers: [], initContainers: [] };
    CONTAINER_PATHS.set(workload.podSpecPath, byField);
  }
  const paths = byField[field];
  let path = paths[index];
  if (path === undefined) {
    path = `${workload.podSpecPath}.${field}[${index}]`;
    paths[index] = path;
  }
  return path;
}

/**
 * `path.segment`, shared: for container paths (from {@link containerPath}
 * or the pod spec path) and literal segments only, never names or values.
 */
export function subPath(path: string, segment: string): string {
  let bySegment = SUB_PATHS.get(path);
  if (!bySegment) SUB_PATHS.set(path, (bySegment = new Map()));
  let out = bySegment.get(segment);
  if (out === undefined) {
    out = `${path}.${segment}`;
    bySegment.set(segment, out);
  }
  return out;
}

/** `path.securityContext.field`, shared. */
export function securityContextPath(path: string, field: string): string {
  return subPath(subPath(path, 'securityContext'), field);
}

/** A container's name for messages; init containers are marked. */
export function containerLabel(container: Container, init: boolean): string {
  const name =
    container && typeof container.name === 'string' ? container.name : '?';
  return init ? `${name} (init)` : name;
}

/**
 * Runs `check` over the pod spec's containers (and initContainers unless
 * `includeInit` is false; `ctx` is handed to the check): PASS when all comply, otherwise one failure naming
 * each offending container, with its evidence.
 */
export function checkContainers(
  workload: WorkloadView,
  check: ContainerCheck,
  ctx?: RuleContext,
  includeInit = true,
): CheckOutcome {
  const spec = workload.podSpec;
  if (!spec) return PASS;
  let names: string[] | undefined;
  let evidence: Evidence[] | undefined;
  const containers = spec.containers;
  const outcomeOnly = ctx !== undefined && ctx.outcomeOnly === true;
  if (Array.isArray(containers)) {
    for (let i = 0; i < containers.length; i++) {
      const c = containers[i];
      if (c && check.ok(c, spec, workload, ctx)) continue;
      if (outcomeOnly) return FAIL;
      if (!names) {
        names = [];
        evidence = [];
      }
      names.push(containerLabel(c, false));
      check.evidence(
        c ?? {},
        spec,
        containerPath(workload, 'containers', i),
        evidence!,
        workload,
        ctx,
      );
    }
  }
  const inits = includeInit ? spec.initContainers : undefined;
  if (Array.isArray(inits)) {
    for (let i = 0; i < inits.length; i++) {
      const c = inits[i];
      if (c && check.ok(c, spec, workload, ctx)) continue;
      if (outcomeOnly) return FAIL;
      if (!names) {
        names = [];
        evidence = [];
      }
      names.push(containerLabel(c, true));
      check.evidence(
        c ?? {},
        spec,
        containerPath(workload, 'initContainers', i),
        evidence!,
        workload,
        ctx,
      );
    }
  }
  if (!names) return PASS;
  return fail(check.message(names, workload, evidence!, ctx), evidence);
}

/**
 * `Container app` / `Containers app, migrate (init)` followed by the right
 * verb form: `containersDo(['app'], 'does', 'do')` → `Container app does`.
 */
export function containersDo(
  names: string[],
  singular: string,
  plural: string,
): string {
  return names.length === 1
    ? `Container ${names[0]} ${singular}`
    : `Containers ${names.join(', ')} ${plural}`;
}

// ------------------------------------------------------- security context

/**
 * The effective value of a field that exists on both the pod and the
 * container security context (`runAsNonRoot`, `runAsUser`, `seccompProfile`,
 * ...): the container's wins when set.
 */
export function effectiveSecurityField(
  container: Container,
  podSpec: any,
  field: string,
): any {
  const own = container.securityContext;
  if (own) {
    const v = own[field];
    if (v !== undefined && v !== null) return v;
  }
  const pod = podSpec?.securityContext;
  return pod ? pod[field] ?? undefined : undefined;
}

/**
 * Evidence path of where an effective field was read: the container's
 * security context when it sets the field, else the pod's when that does,
 * else the container's (where the fix usually goes).
 */
export function effectiveSecurityPath(
  container: Container,
  podSpec: any,
  containerPathValue: string,
  podSpecPath: string,
  field: string,
): string {
  const own = container.securityContext;
  if (own && own[field] !== undefined && own[field] !== null) {
    return securityContextPath(containerPathValue, field);
  }
  const pod = podSpec?.securityContext;
  if (pod && pod[field] !== undefined && pod[field] !== null) {
    return securityContextPath(podSpecPath, field);
  }
  return securityContextPath(containerPathValue, field);
}

/** A container-only security context field (`allowPrivilegeEscalation`, ...). */
export function containerSecurityField(
  container: Container,
  field: string,
): any {
  const own = container.securityContext;
  return own ? own[field] : undefined;
}

/**
 * Windows pods: Linux-only settings (seccomp, capabilities, privilege
 * escalation, read-only root, runAsNonRoot by UID) do not apply, as in the
 * Pod Security Standards.
 */
export function isWindowsPod(podSpec: any): boolean {
  if (!podSpec) return false;
  const os = podSpec.os;
  if (os && os.name === 'windows') return true;
  const sel = podSpec.nodeSelector;
  return !!sel && sel['kubernetes.io/os'] === 'windows';
}

/** True when a workload runs Linux containers (for `appliesTo`). */
export function isLinuxWorkload(workload: WorkloadView): boolean {
  return !isWindowsPod(workload.podSpec);
}

/** Every pod-producing kind a workload rule can see. */
export const WORKLOAD_KINDS: string[] = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'Pod',
];
