/*
 * Which rules passed on an entity's objects on a cluster, kept with its part
 * (and in its content hash, so an unchanged evaluation writes nothing).
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table
      .text('passes')
      .nullable()
      .comment('JSON StoredPasses: rule id -> objects (the first) and total');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table.dropColumn('passes');
  });
};
