/*
 * Monitoring and operations (OP-01..OP-07): monitoring add-ons, diagnostics
 * and power state from ARM, plus the daily health check and certificates.
 */
import { RuleDefinition } from '../../engine/rule';
import { operationsArmRules } from './arm';
import { certificateRules } from './certificates';
import { healthRules } from './health';

export const operationsRules: RuleDefinition[] = [
  ...operationsArmRules,
  ...healthRules,
  ...certificateRules,
];
