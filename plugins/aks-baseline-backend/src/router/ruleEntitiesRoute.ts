/*
 * GET /rules/:id/entities?owner=: the entities that fail a rule ("Rules
 * failed most" opens them), among those the caller may see. An entity whose
 * clusters the caller may see none of is left out, as in the overview, so
 * that a failure is never shown for a cluster they may not see.
 */
import express from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  RULE_ENTITIES_MAX,
  RuleEntitiesResponse,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import { toEntitySummary } from '../service/answers/overview';
import type { FindingsScope } from './access/FindingsAccess';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { singleParam } from './params';

/** `owner` as an entity ref (a group by default), as the overview reads it. */
function ownerOf(value: unknown): string | undefined {
  const owner = singleParam(value, 'owner');
  if (!owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(`Invalid owner "${owner}"`);
  }
}

export function addRuleEntitiesRoute(
  router: express.Router,
  options: {
    store: AksBaselineStore;
    rulesById: ReadonlyMap<string, RuleInfo>;
    scopeOf: (req: express.Request) => Promise<FindingsScope>;
  },
): void {
  const { store, rulesById } = options;
  router.get('/rules/:id/entities', async (req, res) => {
    for (const name of Object.keys(req.query)) {
      if (name !== 'owner') {
        throw new InputError(`Unknown query parameter ${name}; expected owner`);
      }
    }
    const ruleId = req.params.id;
    if (!rulesById.has(ruleId)) throw new NotFoundError(`No rule ${ruleId}`);
    const owner = ownerOf(req.query.owner);
    const scope = await options.scopeOf(req);
    const entities = await store.listEntities({
      ...(owner ? { owner } : {}),
      ...(scope.all ? {} : { only: scope.entities }),
    });
    const visible = scope.all ? undefined : scope.clusters;
    const failing = entities
      .filter(e => (e.failedRules[ruleId] ?? 0) > 0)
      .filter(e => !visible || e.clusters.some(c => visible.has(c)))
      .map(e => ({
        ...toEntitySummary(e, visible),
        failures: e.failedRules[ruleId],
      }))
      .sort(
        (a, b) =>
          b.failures - a.failures || a.entityRef.localeCompare(b.entityRef),
      );
    const body: RuleEntitiesResponse = {
      ruleId,
      items: failing.slice(0, RULE_ENTITIES_MAX),
      total: failing.length,
    };
    res.json(body);
  });
}
