/*
 * The catalog entities the aks-baseline backend can score: those carrying
 * one of the annotations it matches objects by (as its entities/targets.ts
 * reads them), read page by page from the catalog's REST API with the
 * module's own service credentials.
 */
import { ResponseError } from '@backstage/errors';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';

/** The annotations an entity is scored by. */
export const SCORED_ANNOTATIONS = [
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
  'aks-baseline.io/cluster',
] as const;

/** The retriever context's entity filter (the catalog client's filter shape). */
export type EntityFilter =
  | Record<string, string | symbol | (string | symbol)[]>[]
  | Record<string, string | symbol | (string | symbol)[]>;

export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

const PAGE = 500;

function conditionsOf(
  filter: Record<string, string | symbol | (string | symbol)[]>,
): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    for (const v of [value].flat()) {
      // A symbol is the catalog's "exists" marker.
      out.push(typeof v === 'symbol' ? key : `${key}=${v}`);
    }
  }
  return out;
}

/**
 * The catalog's `filter` parameters: one per annotation (any of them), each
 * also holding the conditions of one alternative of the context's filter.
 */
export function catalogFilters(entityFilter?: EntityFilter): string[] {
  const alternatives = entityFilter ? [entityFilter].flat() : [{}];
  const filters: string[] = [];
  for (const alternative of alternatives) {
    const conditions = conditionsOf(alternative);
    for (const annotation of SCORED_ANNOTATIONS) {
      filters.push(
        [`metadata.annotations.${annotation}`, ...conditions].join(','),
      );
    }
  }
  return filters;
}

export async function listScoredEntities(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  entityFilter?: EntityFilter;
}): Promise<EntityName[]> {
  const { discovery, auth } = options;
  const baseUrl = await discovery.getBaseUrl('catalog');
  const entities = new Map<string, EntityName>();
  const filters = catalogFilters(options.entityFilter);
  let cursor: string | undefined;
  do {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'catalog',
    });
    const params = new URLSearchParams();
    if (cursor) {
      params.set('cursor', cursor);
    } else {
      for (const f of filters) params.append('filter', f);
    }
    params.set('fields', 'kind,metadata.namespace,metadata.name');
    params.set('limit', String(PAGE));
    const response = await fetch(`${baseUrl}/entities/by-query?${params}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as {
      items: Array<{
        kind: string;
        metadata: { namespace?: string; name: string };
      }>;
      pageInfo?: { nextCursor?: string };
    };
    for (const item of body.items) {
      const entity = {
        kind: item.kind,
        namespace: item.metadata.namespace ?? 'default',
        name: item.metadata.name,
      };
      entities.set(
        `${entity.kind}:${entity.namespace}/${entity.name}`.toLowerCase(),
        entity,
      );
    }
    cursor = body.pageInfo?.nextCursor;
  } while (cursor);
  return [...entities.values()];
}
