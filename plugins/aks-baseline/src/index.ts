/**
 * AKS Baseline frontend plugin: an entity card, a findings tab, a cluster
 * card and an overview page for platform teams.
 *
 * @packageDocumentation
 */
export {
  aksBaselinePlugin,
  AksBaselinePage,
  EntityAksBaselineCard,
  EntityAksBaselineContent,
  EntityAksBaselineClusterCard,
  EntityAksBaselineGroupCard,
} from './plugin';
export { AksBaselineTeamsCard } from './plugin';
export {
  EntityAksBaselineScore,
  createAksBaselineScoreColumn,
} from './components/AksBaselineScoreColumn';
export type { AksBaselineTeamsCardProps } from './components/AksBaselineTeamsCard';
export {
  isAksBaselineAvailable,
  isAksBaselineCluster,
  getAksBaselineClusterName,
  AKS_BASELINE_ANNOTATIONS,
  AKS_BASELINE_CLUSTER_ANNOTATION,
} from './conditions';
export { aksBaselineApiRef, AksBaselineClient } from './api';
export type {
  AksBaselineApi,
  AuditExportFormat,
  ClusterUpgradeReadiness,
  EntityScoreResult,
} from './api';
export {
  ClusterUpgradeReadinessSection,
  ClusterExportLinks,
} from './components/EntityAksBaselineClusterCard';
export type { EntityAksBaselineCardProps } from './components/EntityAksBaselineCard';
export type { AksBaselinePageProps } from './components/AksBaselinePage';
export type { EntityAksBaselineClusterCardProps } from './components/EntityAksBaselineClusterCard';
export type { EntityAksBaselineGroupCardProps } from './components/EntityAksBaselineGroupCard';
