/*
 * The entities whose combined row and stored answer are out of date
 * (`aks_baseline_entities_to_refresh`): a change to one of their parts (its
 * content, its staleness, the part itself added or removed) marks them in
 * the transaction that makes it, so that no change goes unrefreshed; any
 * replica then takes marked entities, recomputes them and clears their
 * marks in one transaction.
 *
 * Why no refresh is lost between replicas, on PostgreSQL: marking an entity
 * locks its mark row until the marking transaction ends (an upsert that
 * updates the row, never `DO NOTHING`), and a refresh takes marks with
 * `FOR UPDATE SKIP LOCKED`. A refresh therefore never takes a mark whose
 * part change is not committed yet; and a change committed while a refresh
 * holds the mark waits for it, then marks the entity again, for the next
 * refresh. Marks are written in entity order, so that two transactions
 * marking overlapping entities wait for each other instead of deadlocking.
 * SQLite has one writer at a time: a refresh starts with a write, so that
 * it holds the database's write lock for its whole transaction.
 *
 * Marking the entities whose catalog target changed (`markIfStillChanged`)
 * compares targets with the stored rows: it locks the marks first, so that
 * it reads rows no refresh is still writing, and does not mark again (for a
 * second recompute in the same pass) an entity just written.
 */
import { Knex } from 'knex';
import { chunks, isPostgres } from './tables';

export const ENTITIES_TO_REFRESH = 'aks_baseline_entities_to_refresh';

/** Marks these entities to refresh, in the caller's transaction. */
export async function markToRefresh(
  db: Knex | Knex.Transaction,
  entityRefs: Iterable<string>,
  at: Date = new Date(),
): Promise<void> {
  const sorted = [...new Set(entityRefs)].sort();
  for (const chunk of chunks(sorted)) {
    await db(ENTITIES_TO_REFRESH)
      .insert(chunk.map(entity_ref => ({ entity_ref, marked_at: at })))
      .onConflict('entity_ref')
      .merge(['marked_at']);
  }
}

/**
 * Takes up to `limit` marked entities for the transaction `tx` (which
 * then recomputes them and calls `clearMarks`): on PostgreSQL those that no
 * other transaction holds.
 */
export async function takeMarked(
  tx: Knex.Transaction,
  limit: number,
): Promise<string[]> {
  if (isPostgres(tx)) {
    const rows: { entity_ref: string }[] = await tx(ENTITIES_TO_REFRESH)
      .select('entity_ref')
      .orderBy('entity_ref')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    return rows.map(r => r.entity_ref);
  }
  // The write lock first: no other connection changes parts meanwhile.
  await tx(ENTITIES_TO_REFRESH)
    .whereIn(
      'entity_ref',
      tx(ENTITIES_TO_REFRESH)
        .select('entity_ref')
        .orderBy('entity_ref')
        .limit(limit),
    )
    .update({ marked_at: tx.ref('marked_at') });
  const rows: { entity_ref: string }[] = await tx(ENTITIES_TO_REFRESH)
    .select('entity_ref')
    .orderBy('entity_ref')
    .limit(limit);
  return rows.map(r => r.entity_ref);
}

/**
 * Marks those of `candidates` that `stillChanged` finds out of date once
 * no refresh of theirs is under way (read in its transaction `tx`): a
 * transaction per chunk first locks the chunk's marks, waiting for the
 * refreshes that hold them (on SQLite, takes the write lock). Those marked
 * already are left to their refresh; the others are marked after the
 * transaction, so that it never waits for a mark while holding others.
 */
export async function markIfStillChanged(
  db: Knex,
  candidates: Iterable<string>,
  stillChanged: (tx: Knex.Transaction, refs: string[]) => Promise<string[]>,
): Promise<void> {
  const sorted = [...new Set(candidates)].sort();
  for (const chunk of chunks(sorted)) {
    const changed = await db.transaction(async tx => {
      if (!isPostgres(tx)) {
        await tx(ENTITIES_TO_REFRESH)
          .whereIn('entity_ref', chunk)
          .update({ marked_at: tx.ref('marked_at') });
      }
      const query = tx(ENTITIES_TO_REFRESH)
        .select('entity_ref')
        .whereIn('entity_ref', chunk)
        .orderBy('entity_ref');
      if (isPostgres(tx)) query.forUpdate();
      const marked = new Set(
        ((await query) as { entity_ref: string }[]).map(r => r.entity_ref),
      );
      const unmarked = chunk.filter(ref => !marked.has(ref));
      return unmarked.length > 0 ? stillChanged(tx, unmarked) : [];
    });
    await markToRefresh(db, changed);
  }
}

/** Clears the marks of entities that are up to date now, or gone. */
export async function clearMarks(
  db: Knex | Knex.Transaction,
  entityRefs: readonly string[],
): Promise<void> {
  for (const chunk of chunks(entityRefs)) {
    await db(ENTITIES_TO_REFRESH).whereIn('entity_ref', chunk).delete();
  }
}

/** How many entities are marked (for tests and benchmarks). */
export async function countMarked(db: Knex): Promise<number> {
  const row = await db(ENTITIES_TO_REFRESH).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
