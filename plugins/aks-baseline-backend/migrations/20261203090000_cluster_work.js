/*
 * `aks_baseline_cluster_work`: the clusters waiting to be evaluated, one row
 * per cluster. A pass (the schedule's, or a manual "evaluate all") queues
 * every cluster; each replica takes a queued cluster only when it has a free
 * evaluation slot, so that replicas share the fleet by load.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aks_baseline_cluster_work', table => {
    table.comment('Clusters queued for evaluation and the replica taking each');
    table.string('cluster', 253).primary().notNullable();
    table
      .timestamp('queued_at', { useTz: true })
      .nullable()
      .comment('Set while the cluster waits or runs; null when idle');
    table.string('trigger', 16).nullable().comment('schedule | manual');
    table.string('requested_by', 512).nullable();
    table
      .boolean('given_back')
      .notNullable()
      .defaultTo(false)
      .comment('Given back by a replica that stopped before evaluating it');
    table
      .string('holder', 64)
      .nullable()
      .comment('The replica evaluating it now');
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment(
        'Renewed while the holder runs; past it, another replica takes it',
      );
    table.index(['queued_at'], 'aks_baseline_cluster_work_queued_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aks_baseline_cluster_work');
};
