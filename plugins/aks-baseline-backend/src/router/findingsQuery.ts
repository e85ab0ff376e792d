/*
 * The query of the paged findings routes: filters, `limit` and the cursor,
 * validated (a bad value is a 400 naming it), and the JSON of a page built
 * from the stored findings' JSON without parsing them again.
 */
import type { Response } from 'express';
import { InputError } from '@backstage/errors';
import {
  CATEGORIES,
  Category,
  FINDING_STATUSES,
  FINDINGS_PAGE_DEFAULT_LIMIT,
  FINDINGS_PAGE_MAX_BYTES,
  FINDINGS_PAGE_MAX_LIMIT,
  FindingStatus,
  RuleInfo,
  SEVERITIES,
  Severity,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  FindingFilters,
  PageRequest,
  StoredPage,
} from '../database/findingsTable';

/** Values per list filter, and characters per value or search text. */
const MAX_VALUES = 100;
const MAX_TEXT = 256;
/** Cursors are `c1.` and the last sort key, base64url. */
const CURSOR_PREFIX = 'c1.';

/** A query parameter that may repeat or hold comma-separated values. */
export function listParam<T extends string>(
  value: unknown,
  name: string,
  allowed?: readonly T[],
): T[] | undefined {
  if (value === undefined) return undefined;
  const raw = (Array.isArray(value) ? value : [value])
    .flatMap(v => (typeof v === 'string' ? v.split(',') : [undefined]))
    .map(v => {
      if (v === undefined) {
        throw new InputError(`${name} must be text`);
      }
      return v.trim();
    });
  const values = raw.filter(v => v !== '');
  if (values.length === 0) return undefined;
  if (values.length > MAX_VALUES) {
    throw new InputError(`At most ${MAX_VALUES} values of ${name}`);
  }
  for (const v of values) {
    if (v.length > MAX_TEXT) {
      throw new InputError(`A value of ${name} is longer than ${MAX_TEXT}`);
    }
    if (allowed && !(allowed as readonly string[]).includes(v)) {
      throw new InputError(
        `Invalid ${name} "${v}"; expected one of ${allowed.join(', ')}`,
      );
    }
  }
  return [...new Set(values)] as T[];
}

export function limitParam(
  value: unknown,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const text = Array.isArray(value) ? undefined : value;
  const n = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new InputError(`limit must be a whole number from 1 to ${max}`);
  }
  return n;
}

export function encodeCursor(sortKey: string): string {
  return `${CURSOR_PREFIX}${Buffer.from(sortKey, 'utf8').toString(
    'base64url',
  )}`;
}

export function decodeCursor(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const invalid = () =>
    new InputError(
      'Invalid cursor: pass the nextCursor of the previous page as it is',
    );
  if (
    typeof value !== 'string' ||
    !value.startsWith(CURSOR_PREFIX) ||
    value.length > 4096
  ) {
    throw invalid();
  }
  const encoded = value.slice(CURSOR_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw invalid();
  const sortKey = Buffer.from(encoded, 'base64url').toString('utf8');
  // A sort key starts with the status and severity ranks and a separator.
  if (
    !/^\d\d/.test(sortKey) ||
    sortKey.charCodeAt(2) !== 1 ||
    sortKey.includes('\ufffd')
  ) {
    throw invalid();
  }
  return sortKey;
}

/**
 * The page request of a findings route's query. `entity` admits the
 * cluster filter; `rules` are the configured rules (rule filter values,
 * and titles for the search).
 */
export function findingsPageRequest(
  query: Record<string, unknown>,
  rules: ReadonlyMap<string, RuleInfo>,
  options: { entity: boolean },
): PageRequest {
  const known = new Set([
    'severity',
    'status',
    'category',
    'rule',
    'kind',
    'namespace',
    'q',
    'limit',
    'cursor',
    ...(options.entity ? ['cluster'] : []),
  ]);
  for (const name of Object.keys(query)) {
    if (!known.has(name)) {
      throw new InputError(
        `Unknown query parameter ${name}; expected ${[...known].join(', ')}`,
      );
    }
  }
  const filters: FindingFilters = {
    severity: listParam<Severity>(query.severity, 'severity', SEVERITIES),
    status: listParam<FindingStatus>(query.status, 'status', FINDING_STATUSES),
    category: listParam<Category>(query.category, 'category', CATEGORIES),
    rule: listParam(query.rule, 'rule', [...rules.keys()]),
    kind: listParam(query.kind, 'kind'),
    // `-` names cluster-scoped objects (their namespace is empty).
    namespace: listParam(query.namespace, 'namespace')?.map(n =>
      n === '-' ? '' : n,
    ),
    cluster: options.entity ? listParam(query.cluster, 'cluster') : undefined,
  };
  if (query.q !== undefined) {
    if (typeof query.q !== 'string' || query.q.length > MAX_TEXT) {
      throw new InputError(
        `q must be one text of at most ${MAX_TEXT} characters`,
      );
    }
    const text = query.q.trim().toLocaleLowerCase('en-US');
    if (text !== '') {
      const ruleIds = [...rules.values()]
        .filter(r => r.title.toLocaleLowerCase('en-US').includes(text))
        .map(r => r.id);
      filters.search = { text, ruleIds };
    }
  }
  const after = decodeCursor(query.cursor);
  return {
    filters,
    after,
    limit: limitParam(
      query.limit,
      FINDINGS_PAGE_DEFAULT_LIMIT,
      FINDINGS_PAGE_MAX_LIMIT,
    ),
    maxBytes: FINDINGS_PAGE_MAX_BYTES,
    withTotal: after === undefined,
  };
}

/** A FindingsPage's JSON from the stored findings' JSON. */
export function pageJson(page: StoredPage): string {
  let json = `{"items":[${page.bodies.join(',')}]`;
  if (page.next !== undefined) {
    json += `,"nextCursor":${JSON.stringify(encodeCursor(page.next))}`;
  }
  if (page.total !== undefined) json += `,"total":${page.total}`;
  return `${json}}`;
}

/** The empty first page, for what does not exist or may not be seen. */
export const EMPTY_PAGE_JSON = pageJson({ bodies: [], total: 0 });

/** A page, written as is: the stored findings' JSON joined. */
export function sendPage(res: Response, json: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
