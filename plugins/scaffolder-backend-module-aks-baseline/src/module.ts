/*
 * The scaffolder module: reads `aksBaseline.scaffolder` and registers the
 * three actions through the scaffolder's actions extension point. The
 * evaluate gate applies the built-in catalog and the custom rules that rule
 * packages provide to the whole backend (aksBaselineRulesServiceRef), as
 * the aks-baseline plugin does.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  aksBaselineRulesServiceRef,
  BaselineConfigError,
  checkRuleSet,
  RULE_CATALOG,
  validateConfig,
} from '@aks-baseline/plugin-aks-baseline-node';
import { createNamespaceCreateAction } from './actions/createNamespace';
import { createEvaluateAction } from './actions/evaluateManifests';
import { createFixAction } from './actions/fixManifests';
import { createNamespaceRenderAction } from './actions/renderNamespace';
import { registerRenderNamespaceForAssistants } from './actions/renderNamespaceForAssistants';
import { readScaffolderSettings } from './config';
import { createTokenProvider } from './kubernetes/credentials';
import { createNamespaceAuthorizer } from './permissions/namespaceAuthorizer';

/** @public */
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
        customRules: aksBaselineRulesServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        auth,
        permissions,
        catalog,
        customRules,
        actionsRegistry,
      }) {
        const settings = readScaffolderSettings(config);
        // A rule the engine cannot run, or a baseline naming a rule nobody
        // provides, stops the backend naming it, not a template run. All
        // three actions score with these rules: the gate, and the namespace
        // the other two generate.
        const rules = checkRuleSet([
          ...RULE_CATALOG,
          ...customRules.flatMap(provided => provided.rules),
        ]);
        try {
          validateConfig(settings.baseline, rules);
        } catch (error) {
          if (!(error instanceof BaselineConfigError)) throw error;
          const where = 'aksBaseline.scaffolder.baseline';
          throw new Error(
            error.path
              ? `${where}.${error.message}`
              : `${where}: ${error.message}`,
          );
        }
        const getToken = createTokenProvider();
        const authorizer = createNamespaceAuthorizer({
          auth,
          catalog,
          permissions,
          permissionsEnabled:
            config.getOptionalBoolean('permission.enabled') ?? false,
        });
        scaffolder.addActions(
          createNamespaceCreateAction({
            settings,
            getToken,
            authorizer,
            rules,
          }),
          createNamespaceRenderAction({ settings, rules }),
          createEvaluateAction({ settings, rules }),
          createFixAction({ settings, rules }),
        );
        // The render for AI assistants (MCP actions backend): renders only.
        registerRenderNamespaceForAssistants({
          actionsRegistry,
          settings,
          rules,
        });
        logger.info(
          `AKS baseline scaffolder actions registered; namespace targets: ${
            settings.clusters.map(c => c.name).join(', ') || 'none configured'
          }; the evaluate gate applies ${rules.length} rules (${
            rules.length - RULE_CATALOG.length
          } custom)`,
        );
      },
    });
  },
});
