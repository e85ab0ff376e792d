export { EntityAksBaselineContent } from './EntityAksBaselineContent';
