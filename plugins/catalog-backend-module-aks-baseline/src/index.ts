/*
 * The AKS fleet in the catalog: clusters and namespaces that the AKS
 * Baseline backend evaluates, as Resource entities owned by their teams.
 *
 * @packageDocumentation
 */
export { catalogModuleAksBaselineFleet as default } from './module';
export { AksBaselineFleetProvider } from './AksBaselineFleetProvider';
export { readFleetProviderConfig } from './config';
export type { FleetProviderConfig } from './config';
export {
  fleetEntities,
  namespaceEntityName,
  NAMESPACE_SELECTOR,
} from './entities';
export type { FleetCluster, FleetEntities, FleetNamespace } from './entities';
