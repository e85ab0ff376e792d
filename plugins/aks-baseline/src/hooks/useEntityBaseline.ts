import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import {
  RuleInfo,
  ScoreHistoryPoint,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef, EntityScoreResult } from '../api';

export type RuleIndex = ReadonlyMap<string, RuleInfo>;

export interface EntityBaselineData {
  result: EntityScoreResult;
  history: ScoreHistoryPoint[];
  rules: RuleIndex;
}

/**
 * The entity's score, its history and the rule catalog, loaded together.
 * History and rules are extras: when they fail the card still shows the
 * score (without trend, with the finding's own message as the fix).
 */
export function useEntityBaseline(
  entity: Entity,
  options: { historyLimit?: number } = {},
) {
  const api = useApi(aksBaselineApiRef);
  const { historyLimit = 30 } = options;
  const ref = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;
  return useAsyncRetry(async (): Promise<EntityBaselineData> => {
    const [result, history, rules] = await Promise.all([
      api.getEntityScore(ref),
      api
        .getEntityHistory(ref, { limit: historyLimit })
        .then(r => r.items)
        .catch(() => [] as ScoreHistoryPoint[]),
      loadRules(api),
    ]);
    return { result, history, rules };
    // The key stands for ref: a new entity object of the same entity is no reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, historyLimit]);
}

/** The rule catalog by id (empty when it cannot be loaded). */
export async function loadRules(api: {
  getRules(): Promise<{ items: RuleInfo[] }>;
}): Promise<RuleIndex> {
  try {
    const { items } = await api.getRules();
    return new Map(items.map(rule => [rule.id, rule]));
  } catch {
    return new Map();
  }
}
