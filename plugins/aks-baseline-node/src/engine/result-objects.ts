/*
 * The objects behind an evaluation's subjects, looked up in the index the
 * engine built for the evaluation, so that callers which map subjects back to
 * their objects (the backend's entity scores) need not index the snapshot
 * again. Kept beside the result, not on it: results are serialised and stored.
 */
import type { ResourceRef } from '@aks-baseline/plugin-aks-baseline-common';
import type { EvaluationResult, KubeObject, ObjectIndex } from './types';

const indexes = new WeakMap<EvaluationResult, ObjectIndex>();

/** Called by the engine when it hands out a result. */
export function rememberIndex(
  result: EvaluationResult,
  index: ObjectIndex,
): EvaluationResult {
  indexes.set(result, index);
  return result;
}

/**
 * A lookup of the object a subject of `result` stands for, or undefined when
 * the result did not come from this process's engine (e.g. read back from
 * storage): callers then index the snapshot themselves.
 *
 * @public
 */
export function subjectObjectFinder(
  result: EvaluationResult,
): ((ref: ResourceRef) => KubeObject | undefined) | undefined {
  const index = indexes.get(result);
  if (!index) return undefined;
  return ref => index.get(ref.kind, ref.namespace, ref.name);
}
