/*
 * Hidden classes that must outlive the objects of one evaluation.
 *
 * An instance's hidden class hangs off its constructor's by transitions that
 * V8 holds weakly. When no instance is alive, as between two evaluations, a
 * full GC collects them and discards the optimised code built for them
 * (deopt reason "weak objects"), so every evaluation after an idle pause (a
 * backend's scheduled ones) would start on unoptimised code. One small
 * instance of each class kept here holds its hidden class, nothing else.
 */
const anchors: unknown[] = [];

/** Keeps `instances` (small, empty ones) alive for the life of the process. */
export function keepShapesAlive(...instances: unknown[]): void {
  anchors.push(...instances);
}
