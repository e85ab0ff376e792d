/*
 * Custom rules for every evaluator in a backend: the aks-baseline plugin's
 * evaluations and the scaffolder module's aks-baseline:evaluate gate.
 *
 * Why a service and not (only) the rules extension point: Backstage scopes
 * an extension point to the plugin that registers it (a `scaffolder` module
 * may not depend on one of `aks-baseline`, and an id is registered once per
 * backend), so the gate cannot see rules added through it. A root-scoped
 * multiton service can be depended on by both plugins, provided by any
 * number of rule packages, and needs no order between the two plugins'
 * start-up.
 */
import {
  createServiceFactory,
  createServiceRef,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import type { RuleDefinition } from './engine/rule';

/**
 * One rule package's contribution to {@link aksBaselineRulesServiceRef}.
 *
 * @public
 */
export interface AksBaselineRulesService {
  /** Custom rules (not the built-in catalog, which every evaluator runs). */
  readonly rules: readonly RuleDefinition[];
}

/**
 * Custom rules that every AKS Baseline evaluator in the backend applies: the
 * `aks-baseline` plugin (portal, scores, `/rules`) and the scaffolder's
 * `aks-baseline:evaluate` gate. A multiton: each rule package provides its
 * own factory ({@link createAksBaselineRulesFactory}); dependents receive
 * them all.
 *
 * @public
 */
export const aksBaselineRulesServiceRef =
  createServiceRef<AksBaselineRulesService>({
    id: 'aks-baseline.custom-rules',
    scope: 'root',
    multiton: true,
  });

/**
 * A service factory that provides rules to every evaluator in the backend:
 * `backend.add(createAksBaselineRulesFactory([myRule]))`.
 *
 * @public
 */
export function createAksBaselineRulesFactory(
  rules: readonly RuleDefinition[],
): ServiceFactory<AksBaselineRulesService, 'root', 'multiton'> {
  const service: AksBaselineRulesService = { rules: [...rules] };
  return createServiceFactory({
    service: aksBaselineRulesServiceRef,
    deps: {},
    factory: () => service,
  });
}
