/*
 * A Tech Insights fact retriever that publishes, per scored entity, what
 * the aks-baseline backend already computed (its REST API, with the
 * module's service credentials): it never evaluates anything itself.
 */
import {
  FactRetriever,
  FactRetrieverContext,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import { ResponseError } from '@backstage/errors';
import { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { EntityName, listScoredEntities } from './catalogEntities';
import {
  AKS_BASELINE_FACT_RETRIEVER_ID,
  aksBaselineFactSchema,
  factsOfNoScore,
  factsOfScore,
} from './schema';

/** Score requests in flight at once. */
const CONCURRENCY = 4;

/** 404 reasons of the score route: the backend has no score for the entity. */
const NO_SCORE_REASONS = new Set([
  'not-evaluated',
  'never-evaluated',
  'no-workloads',
]);

async function scoreOf(
  ctx: FactRetrieverContext,
  baseUrl: string,
  entity: EntityName,
): Promise<TechInsightFact | undefined> {
  const { token } = await ctx.auth.getPluginRequestToken({
    onBehalfOf: await ctx.auth.getOwnServiceCredentials(),
    targetPluginId: 'aks-baseline',
  });
  const path = [entity.namespace, entity.kind, entity.name]
    .map(encodeURIComponent)
    .join('/');
  const response = await fetch(`${baseUrl}/entities/${path}/score`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (response.ok) {
    const answer = (await response.json()) as EntityScoreResponse;
    return { entity, facts: factsOfScore(answer) };
  }
  const error = await ResponseError.fromResponse(response);
  const reason = (error.body.error as { reason?: string } | undefined)?.reason;
  if (response.status === 404 && reason && NO_SCORE_REASONS.has(reason)) {
    return { entity, facts: factsOfNoScore() };
  }
  // Anything else says nothing about the entity: its last facts stand.
  ctx.logger.warn(
    `aks-baseline: no facts for ${entity.kind}:${entity.namespace}/${entity.name} this time: ${error.message}`,
  );
  return undefined;
}

/** @public */
export function createAksBaselineFactRetriever(): FactRetriever {
  return {
    id: AKS_BASELINE_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'AKS Baseline',
    description:
      'Score, grade, failing findings by severity, stale flag and evaluation time of each entity, as the AKS Baseline backend computed them',
    schema: aksBaselineFactSchema,
    handler: async ctx => {
      const entities = await listScoredEntities({
        discovery: ctx.discovery,
        auth: ctx.auth,
        entityFilter: ctx.entityFilter,
      });
      const baseUrl = await ctx.discovery.getBaseUrl('aks-baseline');
      const facts: TechInsightFact[] = [];
      let next = 0;
      const worker = async () => {
        while (next < entities.length) {
          const entity = entities[next++];
          const fact = await scoreOf(ctx, baseUrl, entity);
          if (fact) facts.push(fact);
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, entities.length) }, worker),
      );
      return facts;
    },
  };
}
