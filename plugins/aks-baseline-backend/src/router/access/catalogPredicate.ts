/*
 * A conditional decision on a catalog entity, as a query the catalog runs
 * in its database: the conditions of a policy's
 * `createCatalogConditionalDecision` become a predicate of the catalog's
 * `queryEntities({ query })`, the way the catalog applies its own
 * `catalog.entity.read` conditions (each rule's `toQuery`, then
 * `entityFilterToFilterPredicate` in @backstage/plugin-catalog-backend).
 * Only the catalog's built-in rules are known here; any other rule, or
 * params that are not what the rule takes, cannot be translated, and the
 * caller then denies: a condition never widens access by being misread.
 */
import type { QueryEntitiesInitialRequest } from '@backstage/catalog-client';
import type {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';

export type CatalogPredicate = NonNullable<
  QueryEntitiesInitialRequest['query']
>;

/** A condition this plugin cannot turn into a catalog query. */
export class UntranslatableConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UntranslatableConditionError';
  }
}

type Params = Record<string, unknown> | undefined;

function text(params: Params, name: string, rule: string): string {
  const value = params?.[name];
  // A key starting with `$` would read as an operator of the predicate.
  if (typeof value !== 'string' || value === '' || value.startsWith('$')) {
    throw new UntranslatableConditionError(
      `${rule}: ${name} must be a non-empty string`,
    );
  }
  return value;
}

function optionalText(
  params: Params,
  name: string,
  rule: string,
): string | undefined {
  const value = params?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new UntranslatableConditionError(`${rule}: ${name} must be a string`);
  }
  return value;
}

function texts(params: Params, name: string, rule: string): string[] {
  const value = params?.[name];
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    throw new UntranslatableConditionError(
      `${rule}: ${name} must be a list of strings`,
    );
  }
  return value as string[];
}

/** `key` present, or equal to `value` (the catalog compares case-insensitively). */
function property(key: string, value: string | undefined): CatalogPredicate {
  return (
    value === undefined ? { [key]: { $exists: true } } : { [key]: value }
  ) as CatalogPredicate;
}

/** The catalog's built-in rules (its `permissionRules`), each as its `toQuery` reads. */
const RULES: Record<string, (params: Params) => CatalogPredicate> = {
  IS_ENTITY_OWNER: params => ({
    'relations.ownedBy': { $in: texts(params, 'claims', 'IS_ENTITY_OWNER') },
  }),
  IS_ENTITY_KIND: params => ({
    kind: {
      $in: texts(params, 'kinds', 'IS_ENTITY_KIND').map(k =>
        k.toLocaleLowerCase('en-US'),
      ),
    },
  }),
  HAS_ANNOTATION: params =>
    property(
      `metadata.annotations.${text(params, 'annotation', 'HAS_ANNOTATION')}`,
      optionalText(params, 'value', 'HAS_ANNOTATION'),
    ),
  HAS_LABEL: params =>
    property(
      `metadata.labels.${text(params, 'label', 'HAS_LABEL')}`,
      optionalText(params, 'value', 'HAS_LABEL'),
    ),
  HAS_METADATA: params =>
    property(
      `metadata.${text(params, 'key', 'HAS_METADATA')}`,
      optionalText(params, 'value', 'HAS_METADATA'),
    ),
  HAS_SPEC: params =>
    property(
      `spec.${text(params, 'key', 'HAS_SPEC')}`,
      optionalText(params, 'value', 'HAS_SPEC'),
    ),
};

/** Throws UntranslatableConditionError for anything but the built-in rules. */
export function toCatalogPredicate(
  criteria: PermissionCriteria<PermissionCondition>,
): CatalogPredicate {
  if (typeof criteria !== 'object' || criteria === null) {
    throw new UntranslatableConditionError('not a condition');
  }
  if ('allOf' in criteria) {
    return { $all: criteria.allOf.map(toCatalogPredicate) };
  }
  if ('anyOf' in criteria) {
    return { $any: criteria.anyOf.map(toCatalogPredicate) };
  }
  if ('not' in criteria) {
    return { $not: toCatalogPredicate(criteria.not) };
  }
  if (criteria.resourceType !== 'catalog-entity') {
    throw new UntranslatableConditionError(
      `a condition on ${criteria.resourceType}, not on catalog entities`,
    );
  }
  const rule = Object.prototype.hasOwnProperty.call(RULES, criteria.rule)
    ? RULES[criteria.rule]
    : undefined;
  if (!rule) {
    throw new UntranslatableConditionError(
      `the rule ${
        criteria.rule
      } is not one of the catalog's built-in rules (${Object.keys(RULES).join(
        ', ',
      )})`,
    );
  }
  return rule(criteria.params as Params);
}
