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
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { aksBaselineApiRef } from '../../api';
import { AKS_BASELINE_CLUSTER_ANNOTATION } from '../../conditions';

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
  /**
   * A system's cluster `Resource`s, each with its own score, kept out of
   * the pooled score: a cluster's score covers every workload on it, the
   * system's components included, which would be counted twice.
   */
  clusters?: RollupResponse;
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
  const catalogApi = useApi(catalogApiRef);
  /**
   * Which of a system's parts stand for a whole cluster (the annotation the
   * backend scores as the cluster), read from the catalog.
   */
  const clustersOf = async (refs: string[]): Promise<Set<string>> => {
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
    });
    return new Set(
      items
        .filter(
          (e): e is Entity =>
            !!e?.metadata.annotations?.[AKS_BASELINE_CLUSTER_ANNOTATION],
        )
        .map(e => stringifyEntityRef(e)),
    );
  };
  return useAsyncRetry(async (): Promise<RollupData | undefined> => {
    if (!isGroup && parts.length === 0) return undefined;
    const asked = parts.slice(0, MAX_PARTS);
    const clusterRefs = isGroup ? new Set<string>() : await clustersOf(asked);
    const pooled = asked.filter(p => !clusterRefs.has(p));
    const rollup = await api.getRollup(
      isGroup
        ? { owner: ref }
        : { entities: pooled.length > 0 ? pooled : asked },
    );
    const clusters =
      pooled.length > 0 && clusterRefs.size > 0
        ? await api.getRollup({ entities: [...clusterRefs] })
        : undefined;
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
      ...(clusters ? { clusters } : {}),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, catalogApi, ref, isGroup, partsKey]);
}
