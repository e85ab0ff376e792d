/*
 * Container rules, run by the engine: every container (and init container)
 * of a workload's pod spec through the rule's container check. Explaining
 * collects every offending container's evidence and asks the rule for the
 * message; deciding stops at the first offending container, since only the
 * status counts until a finding is read (deferred-finding.ts).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { containerContextFor, EngineContext } from './context';
import { FAIL, fail, PASS } from './outcomes';
import { CheckOutcome, Container, ContainerCheck, RuleContext } from './rule';
import { WorkloadView } from './types';

export type ContainerField = 'containers' | 'initContainers';

/**
 * Container paths are the same few strings for every workload: built once
 * and shared, so that the findings an evaluation keeps do not each carry a
 * copy. Keyed by the pod spec path (a handful of values), field and index.
 */
const CONTAINER_PATHS = new Map<string, Record<ContainerField, string[]>>();

/** The last pod spec path asked for: a workload's rules ask in a row. */
let lastPodSpecPath: string | undefined;
let lastPaths: Record<ContainerField, string[]> | undefined;

/** The shared paths of one container field under a pod spec path. */
function pathsOf(workload: WorkloadView, field: ContainerField): string[] {
  let byField = lastPaths;
  if (workload.podSpecPath !== lastPodSpecPath || !byField) {
    byField = CONTAINER_PATHS.get(workload.podSpecPath);
    if (!byField) {
      byField = { containers: [], initContainers: [] };
      CONTAINER_PATHS.set(workload.podSpecPath, byField);
    }
    lastPodSpecPath = workload.podSpecPath;
    lastPaths = byField;
  }
  return byField[field];
}

/** `spec.template.spec.containers[1]`. */
export function containerPath(
  workload: WorkloadView,
  field: ContainerField,
  index: number,
): string {
  const paths = pathsOf(workload, field);
  let path = paths[index];
  if (path === undefined) {
    path = `${workload.podSpecPath}.${field}[${index}]`;
    paths[index] = path;
  }
  return path;
}

/** A container's name for messages; init containers are marked. */
export function containerLabel(container: Container, init: boolean): string {
  const name =
    container && typeof container.name === 'string' ? container.name : '?';
  return init ? `${name} (init)` : name;
}

const EMPTY_CONTAINER: Container = Object.freeze({});

/** Whether any container of `list` offends (a missing entry always does). */
function anyOffends(
  workload: WorkloadView,
  field: ContainerField,
  list: unknown,
  check: ContainerCheck,
  ctx: EngineContext,
): boolean {
  if (!Array.isArray(list)) return false;
  ctx.init = field === 'initContainers';
  const paths = pathsOf(workload, field);
  for (let i = 0; i < list.length; i++) {
    const container = list[i];
    if (!container || typeof container !== 'object') return true;
    ctx.path = paths[i] ?? containerPath(workload, field, i);
    const found = check.check(container, ctx);
    if (found !== undefined && found.length > 0) return true;
  }
  return false;
}

/**
 * PASS, or the shared FAIL at the first offending container. The engine's
 * own context only (it sets the container's place on it).
 */
export function decideContainers(
  workload: WorkloadView,
  check: ContainerCheck,
  ctx: EngineContext,
): CheckOutcome {
  const spec = workload.podSpec;
  if (!spec) return PASS;
  ctx.workload = workload;
  if (anyOffends(workload, 'containers', spec.containers, check, ctx)) {
    return FAIL;
  }
  return check.includeInitContainers !== false &&
    anyOffends(workload, 'initContainers', spec.initContainers, check, ctx)
    ? FAIL
    : PASS;
}

/**
 * The outcome of a container check on a workload: PASS when every container
 * complies, else one failure naming each offending container, with its
 * evidence (a rule of yours may call it from a workload check).
 *
 * @public
 */
export function explainContainers(
  workload: WorkloadView,
  check: ContainerCheck,
  ctx: RuleContext,
): CheckOutcome {
  const spec = workload.podSpec;
  if (!spec) return PASS;
  const own = containerContextFor(ctx, workload);
  const found: Offenders = { names: undefined, evidence: undefined };
  collectOffenders(found, workload, 'containers', spec.containers, check, own);
  if (check.includeInitContainers !== false) {
    collectOffenders(
      found,
      workload,
      'initContainers',
      spec.initContainers,
      check,
      own,
    );
  }
  if (!found.names) return PASS;
  return fail(check.message(found.names, found.evidence!, own), found.evidence);
}

/**
 * {@link explainContainers} for the built-in rules' workload checks that
 * return its outcome as theirs: while the engine decides, only the status
 * is used, so it stops at the first offending container (the words come
 * when the finding is read). Not for checks that read the outcome's words:
 * those would get none while deciding.
 */
export function containersOutcome(
  workload: WorkloadView,
  check: ContainerCheck,
  ctx: RuleContext,
): CheckOutcome {
  const own = ctx as Partial<EngineContext>;
  return own.deciding === true
    ? decideContainers(workload, check, ctx as EngineContext)
    : explainContainers(workload, check, ctx);
}

/** The offending containers' names and evidence, collected field by field. */
interface Offenders {
  names: string[] | undefined;
  evidence: Evidence[] | undefined;
}

/** Adds the offending containers of `list` (a missing entry always offends). */
function collectOffenders(
  found: Offenders,
  workload: WorkloadView,
  field: ContainerField,
  list: unknown,
  check: ContainerCheck,
  own: EngineContext,
): void {
  if (!Array.isArray(list)) return;
  own.init = field === 'initContainers';
  for (let i = 0; i < list.length; i++) {
    const container = list[i];
    const present = !!container && typeof container === 'object';
    own.path = containerPath(workload, field, i);
    const evidence = check.check(present ? container : EMPTY_CONTAINER, own);
    if (present && (evidence === undefined || evidence.length === 0)) continue;
    (found.names ??= []).push(containerLabel(container, own.init));
    found.evidence ??= [];
    if (evidence) for (const e of evidence) found.evidence.push(e);
  }
}
