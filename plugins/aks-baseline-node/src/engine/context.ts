/*
 * The context checks receive. The engine keeps one per evaluation and sets
 * the subject's profile (and, for container checks, the workload and the
 * container's place) before each call, so that checks allocate none. The
 * one it decides with is marked `deciding`: the words of what is decided
 * with it are never read (a finding renders them again when read), so the
 * engine's own helpers may skip them (containersOutcome).
 */
import { Profile } from '@aks-baseline/plugin-aks-baseline-common';
import { ContainerContext, RuleContext } from './rule';
import {
  ClusterView,
  ObjectIndex,
  RuleParameters,
  WorkloadView,
} from './types';

/** The engine's own context: every field a check of any kind may read. */
export interface EngineContext extends ContainerContext {
  profile: Profile;
  workload: WorkloadView;
  path: string;
  init: boolean;
  /** Only outcomes' statuses are used: their words may be left out. */
  readonly deciding: boolean;
}

/** Marks the engine's contexts (a property: cheaper to test than a set). */
const ENGINE = Symbol('aks-baseline.engine-context');

/** A context for one evaluation, with every field from the start (one hidden class). */
export function newEngineContext(
  cluster: ClusterView,
  index: ObjectIndex,
  params: RuleParameters,
  now: Date,
  deciding = false,
): EngineContext {
  const ctx: EngineContext = {
    cluster,
    index,
    params,
    profile: cluster.profile,
    now,
    workload: undefined as unknown as WorkloadView,
    path: '',
    init: false,
    deciding,
    [ENGINE]: true,
  } as EngineContext;
  return ctx;
}

/**
 * A context the container loop may set fields on: the engine's own, or a
 * copy of a context someone else made (a test calling a check directly).
 */
export function containerContextFor(
  ctx: RuleContext,
  workload: WorkloadView,
): EngineContext {
  const own = (ctx as { [ENGINE]?: boolean })[ENGINE]
    ? (ctx as EngineContext)
    : newEngineContext(ctx.cluster, ctx.index, ctx.params, ctx.now);
  own.profile = ctx.profile;
  own.workload = workload;
  return own;
}
