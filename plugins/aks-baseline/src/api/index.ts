export { aksBaselineApiRef } from './AksBaselineApi';
export type {
  AksBaselineApi,
  AuditExportFormat,
  ClusterUpgradeReadiness,
  EntityScoreResult,
} from './AksBaselineApi';
export { AksBaselineClient } from './AksBaselineClient';
