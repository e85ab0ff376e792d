export {
  EntityAksBaselineScore,
  createAksBaselineScoreColumn,
} from './AksBaselineScoreColumn';
