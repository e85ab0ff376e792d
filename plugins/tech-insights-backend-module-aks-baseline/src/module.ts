import { createBackendModule } from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import { createAksBaselineFactRetriever } from './factRetriever';
import { AKS_BASELINE_FACT_RETRIEVER_ID } from './schema';

/**
 * Adds the AKS Baseline fact retriever to Tech Insights. It runs on the
 * cadence configured at `techInsights.factRetrievers.aksBaselineFactRetriever`.
 *
 * @public
 */
export const techInsightsModuleAksBaseline = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'aks-baseline',
  register(reg) {
    reg.registerInit({
      deps: { factRetrievers: techInsightsFactRetrieversExtensionPoint },
      async init({ factRetrievers }) {
        factRetrievers.addFactRetrievers({
          [AKS_BASELINE_FACT_RETRIEVER_ID]: createAksBaselineFactRetriever(),
        });
      },
    });
  },
});
