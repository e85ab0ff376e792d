/*
 * What the caller of an action may see: the router's FindingsAccess asked
 * with the action's credentials, exactly as the REST API asks it with a
 * request's. Only users and services may call.
 */
import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { FindingsAccess } from '../router/access/FindingsAccess';
import type { EntityVisibility } from '../service/answers/entityScore';

export interface CallerAccess {
  entity(entityRef: string): Promise<boolean>;
  cluster(name: string): Promise<boolean>;
  /** For the service answers (entityScoreAnswer). */
  visibility(entityRef: string): Promise<EntityVisibility>;
}

export function callerAccess(
  access: FindingsAccess,
  auth: AuthService,
  credentials: BackstageCredentials,
): CallerAccess {
  if (
    !auth.isPrincipal(credentials, 'user') &&
    !auth.isPrincipal(credentials, 'service')
  ) {
    throw new NotAllowedError('AKS Baseline actions need a user or a service');
  }
  const cluster = (name: string) => access.canSeeCluster(credentials, name);
  const entity = (entityRef: string) =>
    access.canSeeEntity(credentials, entityRef);
  return {
    entity,
    cluster,
    visibility: async entityRef => ({
      entity: await entity(entityRef),
      cluster,
    }),
  };
}

/** `checkout-api` or `component:default/checkout-api` → the full ref. */
export function entityRefInput(value: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(
      `Invalid entity reference "${value}"; expected e.g. component:default/checkout-api`,
    );
  }
}
