export { aksBaselineApiRef } from './AksBaselineApi';
export type {
  AksBaselineApi,
  ClusterFindingFilters,
  EntityScoreResult,
} from './AksBaselineApi';
export { AksBaselineClient } from './AksBaselineClient';
