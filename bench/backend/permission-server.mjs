/*
 * A real Backstage backend with the permission framework on, for the
 * score route's benchmark with permission checks (score-route-permissions.mjs):
 * `createBackend()` from @backstage/backend-defaults with its production
 * middleware, PostgreSQL and the scheduler, and the plugins a portal runs:
 * - the catalog (@backstage/plugin-catalog-backend), reading the benchmark's
 *   entities, groups and users from a file;
 * - the permission backend with the policy below, which answers
 *   aks-baseline.findings.read as the demo portal does: ALLOW for the
 *   platform team, for everyone else CONDITIONAL on the entities their teams
 *   own (catalog.entity.read and everything else: ALLOW);
 * - the auth backend with a provider for the benchmark only (`bench`):
 *   `GET /api/auth/bench/refresh` with `x-bench-user` and `x-bench-groups`
 *   issues a Backstage user token for that user and those groups;
 * - the AKS Baseline backend.
 * Services (the seeding `POST /evaluations`) use a static token.
 *
 * IPC from the parent: usage and a CPU profile (server-control.mjs).
 */
import { createRequire } from 'node:module';
import { answerParent, usageAndProfileHandlers } from './server-control.mjs';
import { createJobBackend, job } from './server-job.mjs';

const require = createRequire(import.meta.url);
const { createBackendModule } = require('@backstage/backend-plugin-api');
const {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} = require('@backstage/plugin-auth-node');
const { AuthorizeResult } = require('@backstage/plugin-permission-common');
const {
  policyExtensionPoint,
} = require('@backstage/plugin-permission-node/alpha');
const {
  catalogConditions,
  createCatalogConditionalDecision,
} = require('@backstage/plugin-catalog-backend/alpha');

const PLATFORM = job.platformGroup;

/** The demo portal's rule for aks-baseline.findings.read; ALLOW otherwise. */
class BenchPolicy {
  async handle(request, user) {
    if (request.permission.name !== 'aks-baseline.findings.read') {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.includes(PLATFORM)) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    return createCatalogConditionalDecision(
      request.permission,
      catalogConditions.isEntityOwner({ claims }),
    );
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'bench-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new BenchPolicy());
      },
    });
  },
});

/** Signs in whoever the request names: for the benchmark's clients only. */
const benchUsersModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'bench-users',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'bench',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                return {
                  result: {
                    user: String(req.headers['x-bench-user']),
                    groups: String(req.headers['x-bench-groups'] ?? '')
                      .split(',')
                      .filter(Boolean),
                  },
                };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.issueToken({
                claims: {
                  sub: result.user,
                  ent: [result.user, ...result.groups],
                },
              }),
          }),
        });
      },
    });
  },
});

const backend = createJobBackend();
backend.add(require('@backstage/plugin-catalog-backend').default);
backend.add(require('@backstage/plugin-permission-backend').default);
backend.add(policyModule);
backend.add(require('@backstage/plugin-auth-backend').default);
backend.add(benchUsersModule);
backend.add(require('@aks-baseline/plugin-aks-baseline-backend').default);

answerParent(usageAndProfileHandlers());

await backend.start();
process.send({ type: 'ready' });
