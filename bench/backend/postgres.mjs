/*
 * The PostgreSQL server the backend benchmarks use: where it is, the
 * databases they create and drop (aks_baseline_bench_*), and the database
 * section of a backend's config on it.
 */

/** A connection string for PostgreSQL: --pg value, else the test env var. */
export function postgresUrl(flag, fallbackLocal = false) {
  if (typeof flag === 'string' && flag !== '') return flag;
  const env = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (env) return env;
  if (flag === true || fallbackLocal) {
    return 'postgresql://postgres:postgres@localhost:5432';
  }
  return undefined;
}

/** The URL with another database name. */
export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Drops and creates a database through the `postgres` maintenance db. */
export async function recreateDatabase(require, url, database, create = true) {
  const { Client } = require('pg');
  const client = new Client({
    connectionString: withDatabase(url, 'postgres'),
  });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    if (create) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

/**
 * `backend.database` for a Backstage backend on that server: each plugin
 * gets the database `<prefix><pluginId>`.
 */
export function backendDatabase(url, prefix) {
  const pg = new URL(withDatabase(url, 'postgres'));
  return {
    client: 'pg',
    connection: {
      host: pg.hostname,
      port: Number(pg.port || 5432),
      user: decodeURIComponent(pg.username),
      password: decodeURIComponent(pg.password),
    },
    prefix,
  };
}
