/*
 * Services for tests that start the portal's permission backend, catalog
 * and plugins together (startTestBackend): who the test users are, and
 * calls between plugins on a user's behalf made as the real auth service
 * makes them.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The ownership claims the sign-in resolver would issue: the user and the
 * groups given for them (by default none).
 */
export function userInfoFactory(memberOf: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: any) {
        const userEntityRef = credentials.principal.userEntityRef as string;
        return {
          userEntityRef,
          ownershipEntityRefs: [
            userEntityRef,
            ...(memberOf[userEntityRef] ?? []),
          ],
        };
      },
    }),
  });
}

/**
 * The mock auth service, except that a plugin calling another on behalf of
 * a user sends a user token with the plugin as actor, as the real auth
 * service does: the permission backend refuses resource permissions without
 * a resourceRef (the catalog's list filtering, the template's parameter
 * filtering, conditional decisions a plugin applies itself) from a user who
 * calls it directly.
 */
export const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    return Object.assign(Object.create(auth), {
      async getPluginRequestToken(
        options: Parameters<typeof auth.getPluginRequestToken>[0],
      ) {
        const principal = options.onBehalfOf.principal as any;
        if (principal.type !== 'user') {
          return auth.getPluginRequestToken(options);
        }
        return {
          token: mockCredentials.user.token(principal.userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          }),
        };
      },
    }) as typeof auth;
  },
});
