/*
 * The scaffolder module: reads `aksBaseline.scaffolder` and registers the
 * three actions through the scaffolder's actions extension point.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createNamespaceCreateAction } from './actions/createNamespace';
import { createEvaluateAction } from './actions/evaluateManifests';
import { createNamespaceRenderAction } from './actions/renderNamespace';
import { readScaffolderSettings } from './config';
import { createTokenProvider } from './kubernetes/credentials';
import { createNamespaceAuthorizer } from './permissions/namespaceAuthorizer';

export const scaffolderModuleAksBaseline = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aks-baseline',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, logger, auth, permissions, catalog }) {
        const settings = readScaffolderSettings(config);
        const getToken = createTokenProvider();
        const authorizer = createNamespaceAuthorizer({
          auth,
          catalog,
          permissions,
          permissionsEnabled:
            config.getOptionalBoolean('permission.enabled') ?? false,
        });
        scaffolder.addActions(
          createNamespaceCreateAction({ settings, getToken, authorizer }),
          createNamespaceRenderAction({ settings }),
          createEvaluateAction({ settings }),
        );
        logger.info(
          `AKS baseline scaffolder actions registered; namespace targets: ${
            settings.clusters.map(c => c.name).join(', ') || 'none configured'
          }`,
        );
      },
    });
  },
});
