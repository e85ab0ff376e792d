/*
 * A database of its own for each plugin of a test backend, as in the
 * portal: the catalog and Tech Insights both keep their migrations in
 * `knex_migrations`, so they cannot share one.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

export function databasePerPlugin(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  return createServiceFactory({
    service: coreServices.database,
    deps: {},
    async factory() {
      const knex = await databases.init(databaseId);
      return { getClient: async () => knex };
    },
  });
}
