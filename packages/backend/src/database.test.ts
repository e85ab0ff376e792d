import { TestDatabases } from '@backstage/backend-test-utils';

// Proves the databases the portal supports are reachable from tests: SQLite
// always, PostgreSQL when CI exports its connection string (.ci/run).
describe('test databases', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'round-trips a row on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('smoke', table => {
        table.string('id').primary();
        table.integer('value').notNullable();
      });
      await knex('smoke').insert({ id: 'a', value: 42 });
      expect(await knex('smoke').where({ id: 'a' }).first()).toEqual({
        id: 'a',
        value: 42,
      });
    },
  );
});
