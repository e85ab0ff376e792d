/*
 * The score route's stored answers:
 * - kept gzip-compressed: about a sixth of the bytes to write at evaluation
 *   time and to read per request, sent as is to clients that accept gzip
 *   (browsers and Node's fetch do), so that no request compresses it again.
 *   Existing answers are converted.
 * - versioned: every write of the answers sets a new version in
 *   `aks_baseline_versions`, which the replicas' in-process caches check.
 */

// @ts-check

const { gzipSync, gunzipSync } = require('zlib');

const TABLE = 'aks_baseline_entities';
const PAGE = 500;

/**
 * Copies one column into another through `convert`, page by page.
 * @param {import('knex').Knex} knex
 * @param {string} from
 * @param {string} to
 * @param {(value: any) => any} convert
 */
async function copyColumn(knex, from, to, convert) {
  let after = '';
  for (;;) {
    const rows = await knex(TABLE)
      .whereNotNull(from)
      .andWhere('entity_ref', '>', after)
      .orderBy('entity_ref')
      .limit(PAGE)
      .select('entity_ref', from);
    if (rows.length === 0) return;
    for (const row of rows) {
      await knex(TABLE)
        .where('entity_ref', row.entity_ref)
        .update({ [to]: convert(row[from]) });
    }
    after = rows[rows.length - 1].entity_ref;
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable(TABLE, table => {
    table
      .binary('response_gzip')
      .nullable()
      .comment(
        'The score route answer (gzip-compressed JSON), null when nothing matched',
      );
  });
  await copyColumn(knex, 'response', 'response_gzip', value =>
    gzipSync(Buffer.from(String(value), 'utf8')),
  );
  await knex.schema.alterTable(TABLE, table => {
    table.dropColumn('response');
  });
  await knex.schema.createTable('aks_baseline_versions', table => {
    table.comment(
      'A new version for every write of derived data that replicas cache',
    );
    table.string('name', 64).primary().notNullable();
    table.string('version', 64).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aks_baseline_versions');
  await knex.schema.alterTable(TABLE, table => {
    table
      .text('response')
      .nullable()
      .comment('The score route answer (JSON), null when nothing matched');
  });
  await copyColumn(knex, 'response_gzip', 'response', value =>
    gunzipSync(value).toString('utf8'),
  );
  await knex.schema.alterTable(TABLE, table => {
    table.dropColumn('response_gzip');
  });
};
