/*
 * Two connections to one database, as two backend replicas have: SQLite (a
 * file in a temporary folder, opened twice) or a TestDatabases PostgreSQL
 * (its own connection, and a second one the test may destroy, as a replica
 * dying).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import knexFactory, { Knex } from 'knex';
import { TestDatabases } from '@backstage/backend-test-utils';

/** The SQLite file case's id, besides the ids TestDatabases supports. */
export const SQLITE_FILE = 'SQLITE_FILE';

export async function twoConnections(
  databases: TestDatabases,
  id: string,
): Promise<{ knexes: [Knex, Knex]; cleanup: () => Promise<void> }> {
  if (id === SQLITE_FILE) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-two-'));
    const open = () =>
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'db.sqlite') },
        useNullAsDefault: true,
      });
    const knexes: [Knex, Knex] = [open(), open()];
    return {
      knexes,
      cleanup: async () => {
        await Promise.all(knexes.map(k => k.destroy()));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const first = await databases.init(id as 'POSTGRES_15');
  const second = knexFactory({
    client: first.client.config.client,
    connection: first.client.config.connection,
  });
  // The second connection is ours to destroy (a replica dying).
  return { knexes: [first, second], cleanup: () => second.destroy() };
}
