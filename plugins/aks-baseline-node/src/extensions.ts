/*
 * What backend modules of the AKS Baseline plugin may add to it, as
 * Backstage's -node packages declare their plugin's extension points: rules
 * of their own (evaluated and scored like the catalog's) and cluster sources
 * beyond the configured ones. The backend plugin registers both.
 */
import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RuleDefinition } from './engine/rule';
import type { ClusterSource } from './sources/types';

/**
 * The interface for {@link aksBaselineRulesExtensionPoint}.
 *
 * @public
 */
export interface AksBaselineRulesExtensionPoint {
  /**
   * Adds rules to the plugin's evaluations (the portal, its scores and
   * `/rules`). Ids must be unique across the catalog and other rules. Rules
   * that the scaffolder's gate must apply as well are provided through
   * `aksBaselineRulesServiceRef` instead, which the plugin reads too.
   */
  addRules(...rules: Array<RuleDefinition | readonly RuleDefinition[]>): void;
}

/**
 * The extension point a module of the `aks-baseline` plugin adds rules
 * through.
 *
 * @public
 */
export const aksBaselineRulesExtensionPoint =
  createExtensionPoint<AksBaselineRulesExtensionPoint>({
    id: 'aks-baseline.rules',
  });

/**
 * The interface for {@link aksBaselineClusterSourcesExtensionPoint}.
 *
 * @public
 */
export interface AksBaselineClusterSourcesExtensionPoint {
  /** Adds clusters; names must be unique across the configuration and other modules. */
  addClusterSources(
    ...sources: Array<ClusterSource | readonly ClusterSource[]>
  ): void;
}

/**
 * The extension point a module of the `aks-baseline` plugin adds cluster
 * sources through.
 *
 * @public
 */
export const aksBaselineClusterSourcesExtensionPoint =
  createExtensionPoint<AksBaselineClusterSourcesExtensionPoint>({
    id: 'aks-baseline.cluster-sources',
  });
