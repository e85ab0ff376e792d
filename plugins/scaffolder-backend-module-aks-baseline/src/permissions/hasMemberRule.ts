/*
 * A catalog permission rule: "the entity is a group one of the claims is a
 * member of". The catalog ships no rule that looks at group membership
 * (IS_ENTITY_OWNER reads ownedBy, which a Group does not have), and the
 * namespace permission is decided on the owner Group itself.
 */
import { Entity, RELATION_HAS_MEMBER } from '@backstage/catalog-model';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import {
  createConditionFactory,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** @public */
export const hasMemberRule = createPermissionRule({
  name: 'HAS_MEMBER',
  description:
    'Allow groups that have one of the given claims (user entity refs) as a direct member',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        `Entity refs, one of which must be a target of the entity's ${RELATION_HAS_MEMBER} relations`,
      ),
  }),
  apply: (entity: Entity, { claims }) =>
    (entity.relations ?? []).some(
      relation =>
        relation.type === RELATION_HAS_MEMBER &&
        claims.includes(relation.targetRef),
    ),
  toQuery: ({ claims }) => ({
    key: `relations.${RELATION_HAS_MEMBER}`,
    values: claims,
  }),
});

/**
 * Conditions on catalog entities that the AKS Baseline policies use, e.g.
 * `createCatalogConditionalDecision(permission, aksBaselineCatalogConditions.hasMember({ claims }))`.
 *
 * @public
 */
export const aksBaselineCatalogConditions = {
  hasMember: createConditionFactory(hasMemberRule),
};
