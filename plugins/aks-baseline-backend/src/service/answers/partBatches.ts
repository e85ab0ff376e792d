/*
 * An entity refresh holds the parts it reads until their entities are
 * written: batches bounded by parts, not by entities, keep that bounded
 * when entities are on many clusters (an unpinned entity has a part on
 * each cluster it matches; bench/README.md, "Since the incremental entity
 * refresh").
 */

/** Parts read and held at once by an entity refresh. */
export const PARTS_PER_BATCH = 1000;

/**
 * `targets` in order, in batches of at most `maxParts` parts (`parts`: each
 * entity's count, none when absent); an entity with more is a batch alone.
 */
export function batchesByParts<T extends { entityRef: string }>(
  targets: readonly T[],
  parts: ReadonlyMap<string, number>,
  maxParts: number = PARTS_PER_BATCH,
): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let inBatch = 0;
  for (const target of targets) {
    const n = parts.get(target.entityRef) ?? 0;
    if (batch.length > 0 && inBatch + n > maxParts) {
      batches.push(batch);
      batch = [];
      inBatch = 0;
    }
    batch.push(target);
    inBatch += n;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
