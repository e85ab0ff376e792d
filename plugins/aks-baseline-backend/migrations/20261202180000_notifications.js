/*
 * Notifications, once per change across cycles and replicas:
 * - `aks_baseline_notifications`: one row per change notified (or taken as
 *   the starting point), unique on (entity, kind, change); a replica sends
 *   a notification only for the rows it inserted.
 * - `aks_baseline_notification_scores`: per entity and cluster, the score
 *   a drop is measured from.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aks_baseline_notifications', table => {
    table.comment('Changes already notified, so that each is notified once');
    table.bigIncrements('id').primary();
    table
      .string('entity_ref', 512)
      .notNullable()
      .comment('The entity notified about, or cluster:<name>');
    table
      .string('kind', 32)
      .notNullable()
      .comment(
        'score-drop, score-below, critical-finding, waiver-expiring, waiver-expired, cluster-stale',
      );
    table
      .string('change_key', 800)
      .notNullable()
      .comment('What changed, e.g. the cluster, rule and object of a finding');
    table
      .boolean('sent')
      .notNullable()
      .comment(
        'False for what was there when notifications started (not a change)',
      );
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'kind', 'change_key'], {
      indexName: 'aks_baseline_notifications_change_uq',
    });
  });
  await knex.schema.createTable('aks_baseline_notification_scores', table => {
    table.comment('The score each entity’s drop is measured from, per cluster');
    table.string('entity_ref', 512).notNullable();
    table.string('cluster', 300).notNullable();
    table
      .integer('reference_score')
      .notNullable()
      .comment('The highest score since the last drop notified');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'cluster']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aks_baseline_notification_scores');
  await knex.schema.dropTable('aks_baseline_notifications');
};
