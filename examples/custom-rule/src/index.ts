/**
 * A worked example of a platform team's own AKS Baseline rule package:
 * `flux-helmrelease-chart-pinned` on Flux HelmReleases. Its default export
 * gives the rules to every evaluator in a Backstage backend (the portal and
 * the scaffolder's gate): `backend.add(import('<this package>'))`.
 *
 * @packageDocumentation
 */
import { createAksBaselineRulesFactory } from '@aks-baseline/plugin-aks-baseline-node';
import { rules } from './rules';

export { rules } from './rules';
export { helmReleaseChartPinned, HELM_RELEASE } from './helmReleaseChartPinned';

export default createAksBaselineRulesFactory(rules);
