export { aksBaselineApiRef } from './AksBaselineApi';
export type { AksBaselineApi, EntityScoreResult } from './AksBaselineApi';
export { AksBaselineClient } from './AksBaselineClient';
