/*
 * Reads and writes of the finding rows (findingRows.ts): a successful
 * evaluation writes only the rows and entity links that changed;
 * pages are read in `sort_key` order from a cursor, filtered in the query,
 * and end at a row count or a byte budget, whichever comes first, so that
 * every page is bounded. A page is the stored JSON of its findings joined,
 * never parsed or serialised again.
 */
import { Knex } from 'knex';
import { ClusterFindingRow, EntityFindingRow } from './findingRows';

export const CLUSTER_FINDINGS = 'aks_baseline_cluster_findings';
export const ENTITY_FINDINGS = 'aks_baseline_entity_findings';

/** Rows per insert: under SQLite's 500 terms of a compound select. */
const INSERT_CHUNK = 250;
/** Values per `IN (...)` list. */
const IN_CHUNK = 500;

/** Filters of a findings page; each list matches any of its values. */
export interface FindingFilters {
  severity?: readonly string[];
  status?: readonly string[];
  category?: readonly string[];
  rule?: readonly string[];
  kind?: readonly string[];
  /** `''` selects cluster-scoped objects. */
  namespace?: readonly string[];
  /** Entity findings only. */
  cluster?: readonly string[];
  /** Lower-cased text to find, and the rules whose title holds it. */
  search?: { text: string; ruleIds: readonly string[] };
}

export interface PageRequest {
  filters: FindingFilters;
  /** The `sort_key` of the last finding of the previous page. */
  after?: string;
  limit: number;
  maxBytes: number;
  /** Also count the findings that match (first pages). */
  withTotal?: boolean;
}

export interface StoredPage {
  /** Each finding's JSON. */
  bodies: string[];
  /** The `sort_key` to continue after; absent on the last page. */
  next?: string;
  total?: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

export async function insertClusterFindings(
  tx: Knex | Knex.Transaction,
  rows: readonly ClusterFindingRow[],
): Promise<void> {
  for (const chunk of chunks(rows, INSERT_CHUNK)) {
    await tx(CLUSTER_FINDINGS).insert(chunk);
  }
}

export async function insertEntityFindings(
  tx: Knex | Knex.Transaction,
  rows: readonly EntityFindingRow[],
): Promise<void> {
  for (const chunk of chunks(rows, INSERT_CHUNK)) {
    await tx(ENTITY_FINDINGS).insert(chunk);
  }
}

/**
 * Makes a cluster's stored finding rows those of `rows`, writing only the
 * difference: rows whose key is gone or whose content changed are deleted,
 * new and changed ones inserted, the others left as they are. Returns the
 * keys deleted (their entities' links must go, or be written again).
 */
export async function syncClusterFindings(
  tx: Knex.Transaction,
  cluster: string,
  rows: readonly ClusterFindingRow[],
): Promise<Set<string>> {
  const stored: { finding_key: string; content_hash: string }[] = await tx(
    CLUSTER_FINDINGS,
  )
    .where('cluster', cluster)
    .select('finding_key', 'content_hash');
  const storedHash = new Map(stored.map(r => [r.finding_key, r.content_hash]));
  const wanted = new Map(rows.map(r => [r.finding_key, r.content_hash]));
  const removed = new Set(
    stored
      .filter(r => wanted.get(r.finding_key) !== r.content_hash)
      .map(r => r.finding_key),
  );
  for (const chunk of chunks([...removed], IN_CHUNK)) {
    await tx(CLUSTER_FINDINGS)
      .where('cluster', cluster)
      .whereIn('finding_key', chunk)
      .delete();
  }
  await insertClusterFindings(
    tx,
    rows.filter(r => storedHash.get(r.finding_key) !== r.content_hash),
  );
  return removed;
}

/**
 * Makes the entity links on a cluster those of `links`, writing only the
 * difference; links to `rewritten` findings are written again (their
 * columns follow the finding's).
 */
export async function syncEntityFindings(
  tx: Knex.Transaction,
  cluster: string,
  links: readonly EntityFindingRow[],
  rewritten: ReadonlySet<string>,
): Promise<void> {
  const linkId = (l: { entity_ref: string; finding_key: string }) =>
    `${l.entity_ref}\u0000${l.finding_key}`;
  const stored: { entity_ref: string; finding_key: string }[] = await tx(
    ENTITY_FINDINGS,
  )
    .where('cluster', cluster)
    .select('entity_ref', 'finding_key');
  const wanted = new Set(links.map(linkId));
  const kept = new Set<string>();
  const goneByEntity = new Map<string, string[]>();
  for (const link of stored) {
    if (rewritten.has(link.finding_key)) continue;
    if (wanted.has(linkId(link))) {
      kept.add(linkId(link));
      continue;
    }
    const keys = goneByEntity.get(link.entity_ref) ?? [];
    keys.push(link.finding_key);
    goneByEntity.set(link.entity_ref, keys);
  }
  for (const chunk of chunks([...rewritten], IN_CHUNK)) {
    await tx(ENTITY_FINDINGS)
      .where('cluster', cluster)
      .whereIn('finding_key', chunk)
      .delete();
  }
  for (const [entityRef, keys] of goneByEntity) {
    for (const chunk of chunks(keys, IN_CHUNK)) {
      await tx(ENTITY_FINDINGS)
        .where({ cluster, entity_ref: entityRef })
        .whereIn('finding_key', chunk)
        .delete();
    }
  }
  await insertEntityFindings(
    tx,
    links.filter(l => !kept.has(linkId(l))),
  );
}

/** Forgets the findings of these clusters, and their entities' links. */
export async function deleteClusterFindings(
  tx: Knex | Knex.Transaction,
  clusters: readonly string[],
): Promise<void> {
  for (const chunk of chunks(clusters, IN_CHUNK)) {
    await tx(CLUSTER_FINDINGS).whereIn('cluster', chunk).delete();
    await tx(ENTITY_FINDINGS).whereIn('cluster', chunk).delete();
  }
}

/** Forgets the finding links of these entities. */
export async function deleteEntityFindings(
  tx: Knex | Knex.Transaction,
  entityRefs: readonly string[],
): Promise<void> {
  for (const chunk of chunks(entityRefs, IN_CHUNK)) {
    await tx(ENTITY_FINDINGS).whereIn('entity_ref', chunk).delete();
  }
}

/**
 * Whether a cluster's findings changed enough (a new cluster, a much
 * larger or smaller one) for the planner's statistics to be out of date.
 */
export function isLargeChange(previous: number, now: number): boolean {
  return Math.abs(now - previous) > Math.max(1000, previous * 0.2);
}

/**
 * Brings PostgreSQL's planner statistics of the finding tables up to date.
 * Until autovacuum gets to it (a minute or more), a table that was empty
 * when last analysed makes the planner read a cluster's whole list and
 * sort it for every page (80 ms a page for 110,000 findings) instead of
 * walking the order index (1 ms). SQLite's planner walks the index without
 * statistics.
 */
export async function refreshFindingStatistics(db: Knex): Promise<void> {
  if ((db.client as { dialect?: string }).dialect !== 'postgresql') return;
  await db.raw('ANALYZE ??, ??', [CLUSTER_FINDINGS, ENTITY_FINDINGS]);
}

/** `%`, `_` and the escape character itself match literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/**
 * The filters on a query over the columns of `filtered` (`f.`), with the
 * searched text in `searched` (`c.`).
 */
function applyFilters(
  query: Knex.QueryBuilder,
  filters: FindingFilters,
  filtered: string,
  searched: string,
): void {
  const lists: Array<[keyof FindingFilters, string]> = [
    ['severity', 'severity'],
    ['status', 'status'],
    ['category', 'category'],
    ['rule', 'rule_id'],
    ['kind', 'resource_kind'],
    ['namespace', 'resource_namespace'],
    ['cluster', 'cluster'],
  ];
  for (const [key, column] of lists) {
    const values = filters[key] as readonly string[] | undefined;
    if (values && values.length > 0) {
      query.whereIn(`${filtered}.${column}`, [...values]);
    }
  }
  const search = filters.search;
  if (search && search.text !== '') {
    query.where(inner => {
      inner.whereRaw('?? like ? escape ?', [
        `${searched}.search_text`,
        likePattern(search.text),
        '\\',
      ]);
      if (search.ruleIds.length > 0) {
        inner.orWhereIn(`${filtered}.rule_id`, [...search.ruleIds]);
      }
    });
  }
}

async function readPage(
  base: () => Knex.QueryBuilder,
  filtered: string,
  request: PageRequest,
): Promise<StoredPage> {
  const query = base()
    .select(`${filtered}.sort_key as sort_key`, 'c.body as body')
    .orderBy(`${filtered}.sort_key`)
    .limit(request.limit + 1);
  if (request.after !== undefined) {
    query.where(`${filtered}.sort_key`, '>', request.after);
  }
  const [rows, total] = await Promise.all([
    query as Promise<Array<{ sort_key: string; body: string }>>,
    request.withTotal
      ? base()
          .count({ n: '*' })
          .then(([row]: any[]) => Number(row.n))
      : Promise.resolve(undefined),
  ]);
  const bodies: string[] = [];
  let bytes = 0;
  let last: string | undefined;
  for (const row of rows.slice(0, request.limit)) {
    // Bytes as JSON text: close enough to UTF-8 for a bound.
    bytes += row.body.length + 1;
    if (bodies.length > 0 && bytes > request.maxBytes) break;
    bodies.push(row.body);
    last = row.sort_key;
  }
  const page: StoredPage = { bodies };
  if (bodies.length < rows.length && last !== undefined) page.next = last;
  if (total !== undefined) page.total = total;
  return page;
}

/** One page of a cluster's findings. */
export function clusterFindingsPage(
  db: Knex,
  cluster: string,
  request: PageRequest,
): Promise<StoredPage> {
  const base = () => {
    const query = db(`${CLUSTER_FINDINGS} as c`).where('c.cluster', cluster);
    applyFilters(query, { ...request.filters, cluster: undefined }, 'c', 'c');
    return query;
  };
  return readPage(base, 'c', request);
}

/** One page of an entity's findings (over its clusters). */
export function entityFindingsPage(
  db: Knex,
  entityRef: string,
  request: PageRequest,
): Promise<StoredPage> {
  const base = () => {
    const query = db(`${ENTITY_FINDINGS} as f`)
      .join(`${CLUSTER_FINDINGS} as c`, function on() {
        this.on('c.cluster', 'f.cluster').andOn(
          'c.finding_key',
          'f.finding_key',
        );
      })
      .where('f.entity_ref', entityRef);
    applyFilters(query, request.filters, 'f', 'c');
    return query;
  };
  return readPage(base, 'f', request);
}
