/**
 * A Tech Insights module that publishes each entity's AKS Baseline score,
 * grade, failing findings by severity, stale flag and evaluation time.
 *
 * @packageDocumentation
 */
export { techInsightsModuleAksBaseline as default } from './module';
export { createAksBaselineFactRetriever } from './factRetriever';
export {
  AKS_BASELINE_FACT_RETRIEVER_ID,
  aksBaselineFactSchema,
} from './schema';
