import type { EntityScoreSummary } from './api';

/**
 * An entity failing a rule, with how many of its objects fail it.
 *
 * @public
 */
export interface RuleEntity extends EntityScoreSummary {
  /** Failing findings of the rule on the entity's objects. */
  failures: number;
}

/**
 * `GET /rules/:id/entities?owner=`: the entities the caller may see that
 * fail the rule, most failures first.
 *
 * @public
 */
export interface RuleEntitiesResponse {
  ruleId: string;
  /** At most `RULE_ENTITIES_MAX`. */
  items: RuleEntity[];
  /** Entities failing the rule before the cap. */
  total: number;
}

/** @public */
export const RULE_ENTITIES_MAX = 200;
