/*
 * The entity provider: on its schedule (once across catalog replicas), reads
 * the fleet from the AKS Baseline backend and replaces everything it
 * provided before (a full mutation), so that a namespace or cluster that is
 * gone leaves the catalog. A failed read changes nothing.
 */
import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { FleetProviderConfig } from './config';
import { fleetEntities } from './entities';
import { FleetClient } from './fleetClient';

export const PROVIDER_NAME = 'aks-baseline-fleet';

/** @public */
export class AksBaselineFleetProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private readonly client: FleetClient;

  constructor(
    private readonly options: {
      config: FleetProviderConfig;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      scheduler: SchedulerService;
    },
  ) {
    this.client = new FleetClient(options.auth, options.discovery);
  }

  getProviderName(): string {
    return PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.scheduler.scheduleTask({
      id: `${PROVIDER_NAME}:refresh`,
      ...this.options.config.schedule,
      // The catalog's database is shared: one refresh across replicas.
      scope: 'global',
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /** Reads the fleet and applies it; throws (changing nothing) when it cannot be read. */
  async refresh(): Promise<{ entities: number }> {
    if (!this.connection) {
      throw new Error(`${PROVIDER_NAME} is not connected to the catalog`);
    }
    const { logger, config } = this.options;
    const fleet = await this.client.readFleet();
    const location = `${PROVIDER_NAME}:${PROVIDER_NAME}`;
    const { entities, skipped } = fleetEntities(
      fleet.clusters,
      fleet.namespaces,
      config,
      location,
    );
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({ entity, locationKey: location })),
    });
    logger.info(
      `AKS fleet in the catalog: ${entities.length} entities from ${
        fleet.clusters.length
      } cluster(s) and ${fleet.namespaces.length} namespace(s)${
        skipped.length
          ? `; left out ${skipped.length}: ${skipped.slice(0, 10).join('; ')}${
              skipped.length > 10 ? '; …' : ''
            }`
          : ''
      }`,
    );
    return { entities: entities.length };
  }
}
