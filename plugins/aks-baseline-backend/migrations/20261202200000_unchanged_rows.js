/*
 * What lets an unchanged evaluation write close to nothing:
 * - `aks_baseline_entity_scores.content_hash`: a hash of the part's content
 *   (all but its time and staleness), so that only changed parts are
 *   rewritten; null (rows written before) counts as changed.
 * - on `aks_baseline_cluster_results`, the run and time of the cluster's
 *   last success (`evaluated_run_id`) and of its entity parts' last
 *   evaluation (`parts_evaluated_at`, `parts_run_id`): the parts' time is
 *   read from there instead of being rewritten on every row, and history
 *   rows, written only when a score changes, close the previous run of
 *   equal scores with them.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table
      .string('content_hash', 32)
      .nullable()
      .comment('Hash of the part without its time and staleness');
  });
  await knex.schema.alterTable('aks_baseline_cluster_results', table => {
    table
      .string('evaluated_run_id', 36)
      .nullable()
      .comment('The run of the last success');
    table
      .timestamp('parts_evaluated_at', { useTz: true })
      .nullable()
      .comment('When the entity parts on this cluster were last evaluated');
    table
      .string('parts_run_id', 36)
      .nullable()
      .comment('The run that last evaluated the entity parts');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // The parts' own time is the one read again: bring it up to date.
  const clusters = await knex('aks_baseline_cluster_results')
    .whereNotNull('parts_evaluated_at')
    .select('cluster', 'parts_evaluated_at');
  for (const { cluster, parts_evaluated_at } of clusters) {
    await knex('aks_baseline_entity_scores')
      .where({ cluster })
      .update({ evaluated_at: parts_evaluated_at });
  }
  await knex.schema.alterTable('aks_baseline_cluster_results', table => {
    table.dropColumn('evaluated_run_id');
    table.dropColumn('parts_evaluated_at');
    table.dropColumn('parts_run_id');
  });
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table.dropColumn('content_hash');
  });
};
