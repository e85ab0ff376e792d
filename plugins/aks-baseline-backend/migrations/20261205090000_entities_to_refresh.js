/*
 * `aks_baseline_entities_to_refresh`: the entities whose combined row and
 * stored answer must be computed again, because one of their parts on a
 * cluster changed (content, staleness, added or removed) or their catalog
 * target did. A cluster's save marks them in its own transaction; any
 * replica then refreshes each marked entity once and clears its mark.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aks_baseline_entities_to_refresh', table => {
    table.comment('Entities whose combined score and answer are out of date');
    table.string('entity_ref', 512).primary().notNullable();
    table
      .timestamp('marked_at', { useTz: true })
      .notNullable()
      .comment('The latest change that marked it');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aks_baseline_entities_to_refresh');
};
