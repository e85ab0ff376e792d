/*
 * Gives the catalog the HAS_MEMBER rule: conditional decisions on
 * `catalog-entity` resources are applied by the catalog, which must know
 * every rule a policy names.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { hasMemberRule } from './hasMemberRule';

/** @public */
export const catalogModuleAksBaselinePermissionRules = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'aks-baseline-permission-rules',
  register(env) {
    env.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        permissionsRegistry.addPermissionRules([hasMemberRule]);
      },
    });
  },
});
