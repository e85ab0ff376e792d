/*
 * What a result could not see, kept with it:
 * - the kinds a cluster's result could not list, with the reason, and those
 *   of them that an entity's checks on that cluster needed;
 * - the cluster an entity is limited to (`backstage.io/kubernetes-cluster`),
 *   so that an entity whose clusters were never read says so rather than
 *   "no workloads matched".
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('aks_baseline_cluster_results', table => {
    table
      .text('unreadable_kinds')
      .nullable()
      .comment('JSON UnreadableKind[] of the result shown');
  });
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table
      .text('unreadable_kinds')
      .nullable()
      .comment('JSON UnreadableKind[] that checks of this entity needed');
  });
  await knex.schema.alterTable('aks_baseline_entities', table => {
    table
      .string('cluster_filter', 255)
      .nullable()
      .comment('The only cluster the entity can be on, when annotated');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('aks_baseline_entities', table => {
    table.dropColumn('cluster_filter');
  });
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table.dropColumn('unreadable_kinds');
  });
  await knex.schema.alterTable('aks_baseline_cluster_results', table => {
    table.dropColumn('unreadable_kinds');
  });
};
