/*
 * What the caller of a request may see, asked of FindingsAccess with the
 * request's credentials and its token's cache key.
 */
import type { Request } from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { FindingsAccess, FindingsScope } from './FindingsAccess';
import { tokenKey } from './AccessCache';

export interface RequestAccess {
  scopeOf(req: Request): Promise<FindingsScope>;
  mayShowEntity(req: Request, entityRef: string): Promise<boolean>;
  mayShowCluster(req: Request): (cluster: string) => Promise<boolean>;
}

export function requestAccess(
  access: FindingsAccess,
  httpAuth: HttpAuthService,
): RequestAccess {
  // The router's middleware has read them; this returns the same.
  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  /** The caller's token, hashed: what the access cache keeps per caller. */
  const keyOf = (req: Request) => tokenKey(req.headers.authorization);
  return {
    scopeOf: async req => access.scope(await credentialsOf(req), keyOf(req)),
    mayShowEntity: async (req, entityRef) =>
      access.canSeeEntity(await credentialsOf(req), entityRef, keyOf(req)),
    mayShowCluster: req => async cluster =>
      access.canSeeCluster(await credentialsOf(req), cluster, keyOf(req)),
  };
}
