/*
 * Who may create a namespace for an owner, or change one an owner holds:
 * the signed-in user who runs the task, never an owner a template or a
 * service names. Decided by `aks-baseline.namespace.create` on the owner's
 * catalog entity; without the permission framework, by membership.
 */
import { aksBaselineNamespaceCreatePermission } from '@aks-baseline/plugin-aks-baseline-common';
import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { UserEntity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { hasMemberRule } from './hasMemberRule';

const PERMISSION = aksBaselineNamespaceCreatePermission.name;

/**
 * The signed-in user a task runs for.
 *
 * @public
 */
export interface Initiator {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  userRef: string;
  /** "Display Name (user:default/name)", or the ref alone. */
  label: string;
}

/**
 * What the action knows about who started it (a subset of its context).
 *
 * @public
 */
export interface InitiatorContext {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
  user?: { entity?: UserEntity; ref?: string };
}

/**
 * `create`: a namespace for `owner` (new, or re-run by its owner);
 * `change`: an existing namespace that `owner` holds now.
 *
 * @public
 */
export interface NamespaceAccessRequest {
  access: 'create' | 'change';
  owner: string;
  namespace: string;
  cluster: string;
}

/** @public */
export interface NamespaceAuthorizer {
  /** The user the task runs for; NotAllowedError for a service or anonymous task. */
  initiator(ctx: InitiatorContext): Promise<Initiator>;
  /** Resolves when allowed; NotAllowedError saying who may not do what, and why. */
  authorize(
    initiator: Initiator,
    request: NamespaceAccessRequest,
  ): Promise<void>;
}

/** @public */
export interface NamespaceAuthorizerOptions {
  auth: AuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  /** `permission.enabled`: without the framework every authorize() is ALLOW. */
  permissionsEnabled: boolean;
}

function describeCaller(auth: AuthService, credentials: BackstageCredentials) {
  if (auth.isPrincipal(credentials, 'service')) {
    return `the service ${credentials.principal.subject}`;
  }
  return 'an unauthenticated caller';
}

function what(request: NamespaceAccessRequest): string {
  const where = `namespace ${request.namespace} on cluster ${request.cluster}`;
  return request.access === 'create'
    ? `create or change ${where} for ${request.owner}`
    : `change ${where}, which ${request.owner} owns`;
}

/** @public */
export function createNamespaceAuthorizer(
  options: NamespaceAuthorizerOptions,
): NamespaceAuthorizer {
  const { auth, catalog, permissions, permissionsEnabled } = options;

  async function policyAllows(initiator: Initiator, owner: string) {
    // With a resourceRef the permission backend hands a conditional
    // decision to the catalog, which loads the owner entity and applies its
    // rules (built-in and added ones, such as HAS_MEMBER): the catalog-entity
    // conditions are evaluated where their rules live, as for the catalog's
    // own permissions, instead of re-implementing them here.
    const [decision] = await permissions.authorize(
      [
        {
          permission: aksBaselineNamespaceCreatePermission,
          resourceRef: owner,
        },
      ],
      { credentials: initiator.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async function isMember(initiator: Initiator, owner: string) {
    if (owner === initiator.userRef) return true;
    const entity = await catalog.getEntityByRef(owner, {
      credentials: initiator.credentials,
    });
    return (
      entity !== undefined &&
      hasMemberRule.apply(entity, { claims: [initiator.userRef] })
    );
  }

  return {
    async initiator(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          `Namespaces are created only for a signed-in user, who must be allowed ${PERMISSION} on the owner; this task was started by ${describeCaller(
            auth,
            credentials,
          )}. Run the template as a member of the owner team.`,
        );
      }
      const userRef = credentials.principal.userEntityRef;
      if (ctx.user?.ref && ctx.user.ref !== userRef) {
        throw new NotAllowedError(
          `The task names ${ctx.user.ref} as its user but carries the credentials of ${userRef}; refusing to act for either.`,
        );
      }
      const displayName = ctx.user?.entity?.spec?.profile?.displayName;
      return {
        credentials,
        userRef,
        label: displayName ? `${displayName} (${userRef})` : userRef,
      };
    },

    async authorize(initiator, request) {
      if (permissionsEnabled) {
        if (await policyAllows(initiator, request.owner)) return;
        throw new NotAllowedError(
          `${initiator.label} may not ${what(
            request,
          )}: the permission policy does not grant them ${PERMISSION} on ${
            request.owner
          }.`,
        );
      }
      if (await isMember(initiator, request.owner)) return;
      throw new NotAllowedError(
        `${initiator.label} may not ${what(
          request,
        )}: they are not a member of ${
          request.owner
        } in the catalog, and without the permission framework ${PERMISSION} is granted to the owner's members only.`,
      );
    },
  };
}
