/*
 * `aks_baseline_manual_confirmations`: each change of an item of an
 * entity's manual checklist (confirmed, withdrawn), by whom and when. The
 * rows are the history; the current state is each item's latest row.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aks_baseline_manual_confirmations', table => {
    table.comment('Manual checklist items confirmed or withdrawn, per entity');
    table.bigIncrements('id').primary();
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('The service, or the cluster Resource, the item is about');
    table.string('rule_id', 128).notNullable();
    table.string('action', 16).notNullable().comment('confirmed | withdrawn');
    table.string('by', 512).notNullable().comment('User entity ref or service');
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'at'], 'aks_baseline_manual_entity_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aks_baseline_manual_confirmations');
};
