/*
 * The catalog module: adds the fleet provider when
 * `catalog.providers.aksBaseline` is configured.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AksBaselineFleetProvider } from './AksBaselineFleetProvider';
import { CONFIG_PATH, readFleetProviderConfig } from './config';

/** @public */
export const catalogModuleAksBaselineFleet = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aks-baseline-fleet',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ catalog, config, logger, scheduler, auth, discovery }) {
        const settings = readFleetProviderConfig(config);
        if (!settings) {
          logger.info(
            `The AKS fleet is not brought into the catalog: ${CONFIG_PATH} is not configured`,
          );
          return;
        }
        catalog.addEntityProvider(
          new AksBaselineFleetProvider({
            config: settings,
            auth,
            discovery,
            logger,
            scheduler,
          }),
        );
      },
    });
  },
});
