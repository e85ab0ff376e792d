/*
 * The scaffolder module: reads `aksBaseline.scaffolder` and registers the
 * three actions through the scaffolder's actions extension point.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createNamespaceCreateAction } from './actions/createNamespace';
import { createEvaluateAction } from './actions/evaluateManifests';
import { createNamespaceRenderAction } from './actions/renderNamespace';
import { readScaffolderSettings } from './config';
import { createTokenProvider } from './kubernetes/credentials';

export const scaffolderModuleAksBaseline = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'aks-baseline',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, logger }) {
        const settings = readScaffolderSettings(config);
        const getToken = createTokenProvider();
        scaffolder.addActions(
          createNamespaceCreateAction({ settings, getToken }),
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
