/*
 * The rules of this package, alone: what `aks-baseline scan --rules` loads
 * (a default export or a `rules` array), without any Backstage backend code.
 */
import type { RuleDefinition } from '@aks-baseline/plugin-aks-baseline-node';
import { helmReleaseChartPinned } from './helmReleaseChartPinned';

export const rules: readonly RuleDefinition[] = [helmReleaseChartPinned];

export default rules;
