/*
 * Helpers for container rules: evidence paths under a container, messages
 * naming the offending containers, and the effective security context (a
 * container's own field wins over the pod's).
 */
import { WorkloadView } from '../../engine/types';
import { Container, ContainerContext } from '../../engine/rule';

export type { Container } from '../../engine/rule';

/** `path.segment` strings, made once: findings share them instead of copies. */
const SUB_PATHS = new Map<string, Map<string, string>>();

/**
 * `path.segment`, shared: for container paths (`ctx.path`) or the pod spec
 * path and literal segments only, never names or values.
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

/**
 * `Container app` / `Containers app, migrate (init)` followed by the right
 * verb form: `containersDo(['app'], 'does', 'do')` → `Container app does`.
 */
export function containersDo(
  names: readonly string[],
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
  ctx: ContainerContext,
  field: string,
): any {
  const own = container.securityContext;
  if (own) {
    const v = own[field];
    if (v !== undefined && v !== null) return v;
  }
  const pod = ctx.workload.podSpec?.securityContext;
  return pod ? pod[field] ?? undefined : undefined;
}

/**
 * Evidence path of where an effective field was read: the container's
 * security context when it sets the field, else the pod's when that does,
 * else the container's (where the fix usually goes).
 */
export function effectiveSecurityPath(
  container: Container,
  ctx: ContainerContext,
  field: string,
): string {
  const own = container.securityContext;
  if (own && own[field] !== undefined && own[field] !== null) {
    return securityContextPath(ctx.path, field);
  }
  const pod = ctx.workload.podSpec?.securityContext;
  if (pod && pod[field] !== undefined && pod[field] !== null) {
    return securityContextPath(ctx.workload.podSpecPath, field);
  }
  return securityContextPath(ctx.path, field);
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
