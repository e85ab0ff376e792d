/*
 * Runs across replicas:
 * - `aks_baseline_run_claims`: one row per cluster being evaluated (and one
 *   for a pass over every cluster), inserted by the replica that runs it; a
 *   replica that finds the row joins that run instead of starting another.
 * - `aks_baseline_runs.requested_by`: who asked for a manual run.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aks_baseline_run_claims', table => {
    table.comment('What a replica is running now, so that no other runs it');
    table
      .string('target', 300)
      .primary()
      .notNullable()
      .comment('cluster:<name>, or all for a pass over every cluster');
    table.string('run_id', 36).notNullable();
    table.string('trigger', 16).notNullable().comment('schedule | manual');
    table.string('requested_by', 512).nullable();
    table.string('holder', 64).notNullable().comment('The replica running it');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('Renewed while the run goes on; past it, anyone may take over');
  });
  await knex.schema.alterTable('aks_baseline_runs', table => {
    table
      .string('requested_by', 512)
      .nullable()
      .comment('A manual run: the user entity ref (or service) that asked');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('aks_baseline_runs', table => {
    table.dropColumn('requested_by');
  });
  await knex.schema.dropTable('aks_baseline_run_claims');
};
