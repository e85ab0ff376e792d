import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  RollupResponse,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';

/** The backend takes at most this many entity refs in one rollup. */
export const MAX_PARTS = 100;
/** Entities whose trend the card draws (the lowest scored). */
const TREND_ENTITIES = 3;

export interface RollupData {
  rollup: RollupResponse;
  /** The lowest-scored entities' history, one series per entity and cluster. */
  trend: ScoreHistoryPoint[];
  /** A system's parts left out of the rollup (over MAX_PARTS). */
  partsLeftOut: number;
}

/** A system's parts from its `hasPart` relations (kept by the catalog). */
export function systemParts(entity: Entity): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === RELATION_HAS_PART)
    .map(r => r.targetRef);
}

/**
 * A Group's entities (those it owns) or a System's parts, taken together
 * by the backend, and the trend of the lowest-scored ones.
 */
export function useRollup(entity: Entity) {
  const api = useApi(aksBaselineApiRef);
  const ref = stringifyEntityRef(entity);
  const isGroup = entity.kind.toLocaleLowerCase('en-US') === 'group';
  const parts = isGroup ? [] : systemParts(entity);
  const partsKey = parts.join(',');
  return useAsyncRetry(async (): Promise<RollupData | undefined> => {
    if (!isGroup && parts.length === 0) return undefined;
    const rollup = await api.getRollup(
      isGroup ? { owner: ref } : { entities: parts.slice(0, MAX_PARTS) },
    );
    const histories = await Promise.all(
      rollup.entities
        .filter(e => e.score !== null)
        .slice(0, TREND_ENTITIES)
        .map(async e => {
          const { name } = parseEntityRef(e.entityRef);
          const { items } = await api
            .getEntityHistory(parseEntityRef(e.entityRef), { limit: 50 })
            .catch(() => ({ items: [] as ScoreHistoryPoint[] }));
          // One series per entity (and cluster, when it runs on several).
          return items.map(p => ({
            ...p,
            cluster: e.clusters.length > 1 ? `${name} on ${p.cluster}` : name,
          }));
        }),
    );
    return {
      rollup,
      trend: histories.flat(),
      partsLeftOut: Math.max(0, parts.length - MAX_PARTS),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, ref, isGroup, partsKey]);
}
