/*
 * What backend modules may add to the plugin: rules of their own (evaluated
 * and scored like the catalog's) and cluster sources beyond the configured
 * ones.
 */
import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { AnyRuleDefinition } from '@aks-baseline/plugin-aks-baseline-node';
import type { ClusterSource } from './sources/types';

/** @public */
export interface AksBaselineRulesExtensionPoint {
  /** Adds rules; ids must be unique across the catalog and other modules. */
  addRules(...rules: Array<AnyRuleDefinition | AnyRuleDefinition[]>): void;
  /** Adds clusters; names must be unique across the configuration and other modules. */
  addClusterSources(...sources: Array<ClusterSource | ClusterSource[]>): void;
}

/** @public */
export const aksBaselineRulesExtensionPoint =
  createExtensionPoint<AksBaselineRulesExtensionPoint>({
    id: 'aks-baseline.rules',
  });
