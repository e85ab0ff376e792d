import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  Entity,
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
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
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, historyLimit]);
}

async function loadRules(api: {
  getRules(): Promise<{ items: RuleInfo[] }>;
}): Promise<RuleIndex> {
  try {
    const { items } = await api.getRules();
    return new Map(items.map(rule => [rule.id, rule]));
  } catch {
    return new Map();
  }
}

/** The rule catalog by id (empty when it cannot be loaded). */
export function useRules() {
  const api = useApi(aksBaselineApiRef);
  return useAsyncRetry(() => loadRules(api), [api]);
}

/**
 * The URL of one of the entity's tabs, or undefined when the catalog's
 * entity route is not mounted (then the card shows no link).
 */
export function useEntityTabLink(
  ref: CompoundEntityRef,
  tabPath: string,
): string | undefined {
  let entityRoute:
    | ((params: { kind: string; namespace: string; name: string }) => string)
    | undefined;
  try {
    // useRouteRef calls all its hooks before it throws for an unmounted route.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    entityRoute = useRouteRef(entityRouteRef);
  } catch {
    entityRoute = undefined;
  }
  if (!entityRoute) return undefined;
  const base = entityRoute({
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace.toLocaleLowerCase('en-US'),
    name: ref.name,
  });
  return `${base.replace(/\/$/, '')}/${tabPath.replace(/^\//, '')}`;
}
