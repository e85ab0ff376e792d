/*
 * The AKS Baseline store. Results are computed at evaluation time and stored
 * so that reads are single-row lookups; history is one row per entity (or
 * cluster) per run, indexed by time and pruned by the retention job.
 * JSON is kept in text columns so that SQLite and PostgreSQL behave alike.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aks_baseline_runs', table => {
    table.comment('One evaluation attempt of one cluster');
    table.string('id', 36).primary().notNullable();
    table.string('cluster', 255).notNullable();
    table.string('trigger', 16).notNullable().comment('schedule | manual');
    table
      .string('status', 16)
      .notNullable()
      .comment('running | success | failed');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.text('error').nullable();
    table.text('counts').nullable().comment('JSON: score, finding counts');
    table.index(['started_at'], 'aks_baseline_runs_started_idx');
    table.index(['cluster', 'started_at'], 'aks_baseline_runs_cluster_idx');
  });

  await knex.schema.createTable('aks_baseline_cluster_results', table => {
    table.comment('The latest result of each configured cluster');
    table.string('cluster', 255).primary().notNullable();
    table.string('source_kind', 32).notNullable();
    table.string('profile', 32).nullable();
    table.integer('score').nullable();
    table.string('grade', 2).nullable();
    table.text('summary').nullable().comment('JSON ScoreSummary');
    table.text('counts').nullable().comment('JSON FindingCounts');
    table.text('findings').nullable().comment('JSON Finding[]');
    table.text('failed_rules').nullable().comment('JSON ruleId → failures');
    table.text('subjects').nullable().comment('JSON SubjectResult[] (tallies)');
    table.text('stats').nullable().comment('JSON evaluation stats');
    table.timestamp('evaluated_at', { useTz: true }).nullable();
    table.timestamp('last_attempt_at', { useTz: true }).nullable();
    table.string('last_run_id', 36).nullable();
    table.text('last_error').nullable();
    table.boolean('stale').notNullable().defaultTo(false);
    table.text('stale_reason').nullable();
  });

  await knex.schema.createTable('aks_baseline_cluster_history', table => {
    table.comment('A cluster score per successful run');
    table.bigIncrements('id');
    table.string('cluster', 255).notNullable();
    table.string('run_id', 36).notNullable();
    table.integer('score').nullable();
    table.string('grade', 2).nullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.index(['cluster', 'evaluated_at'], 'aks_baseline_chist_cluster_idx');
    table.index(['evaluated_at'], 'aks_baseline_chist_time_idx');
  });

  await knex.schema.createTable('aks_baseline_entity_scores', table => {
    table.comment('One catalog entity score on one cluster');
    table.string('entity_ref', 512).notNullable();
    table.string('cluster', 255).notNullable();
    table.integer('score').nullable();
    table.string('grade', 2).nullable();
    table.text('summary').notNullable().comment('JSON ScoreSummary');
    table.text('counts').notNullable().comment('JSON FindingCounts');
    table.text('failed_rules').notNullable().comment('JSON ruleId → failures');
    table.text('findings').notNullable().comment('JSON Finding[]');
    table.text('resources').notNullable().comment('JSON ResourceRef[]');
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.boolean('stale').notNullable().defaultTo(false);
    table.text('stale_reason').nullable();
    table.primary(['entity_ref', 'cluster']);
    table.index(['cluster'], 'aks_baseline_escores_cluster_idx');
  });

  await knex.schema.createTable('aks_baseline_entities', table => {
    table.comment(
      'Every annotated catalog entity, with its score over all clusters',
    );
    table.string('entity_ref', 512).primary().notNullable();
    table.string('owner', 512).nullable();
    table.integer('score').nullable();
    table.string('grade', 2).nullable();
    table.text('summary').notNullable().comment('JSON ScoreSummary');
    table.text('counts').notNullable().comment('JSON FindingCounts');
    table.text('failed_rules').notNullable().comment('JSON ruleId → failures');
    table.text('clusters').notNullable().comment('JSON string[]');
    table.integer('resource_count').notNullable().defaultTo(0);
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.boolean('stale').notNullable().defaultTo(false);
    table.text('stale_reason').nullable();
    table
      .text('response')
      .nullable()
      .comment('The score route answer (JSON), null when nothing matched');
    table.index(['owner'], 'aks_baseline_entities_owner_idx');
  });

  await knex.schema.createTable('aks_baseline_entity_history', table => {
    table.comment('An entity score per cluster per successful run');
    table.bigIncrements('id');
    table.string('entity_ref', 512).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('run_id', 36).notNullable();
    table.integer('score').nullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.index(
      ['entity_ref', 'evaluated_at'],
      'aks_baseline_ehist_entity_idx',
    );
    table.index(['evaluated_at'], 'aks_baseline_ehist_time_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aks_baseline_entity_history');
  await knex.schema.dropTable('aks_baseline_entities');
  await knex.schema.dropTable('aks_baseline_entity_scores');
  await knex.schema.dropTable('aks_baseline_cluster_history');
  await knex.schema.dropTable('aks_baseline_cluster_results');
  await knex.schema.dropTable('aks_baseline_runs');
};
