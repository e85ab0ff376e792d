/*
 * Policy Reports other tools left in the clusters (wgpolicyk8s.io), kept
 * apart from the baseline's findings and never part of its score:
 * - `aks_baseline_policy_report_reads`: per cluster, what its last
 *   evaluation read of them (read, not-installed or unreadable, with why)
 *   and the hash of the results, so that unchanged reports are not written
 *   again.
 * - `aks_baseline_policy_report_results`: the results, one row each.
 */

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('aks_baseline_policy_report_reads', table => {
    table.comment(
      'What the last evaluation of each cluster read of its Policy Reports',
    );
    table.string('cluster', 300).primary();
    table
      .string('status', 32)
      .notNullable()
      .comment('read, not-installed or unreadable');
    table.text('reason').nullable().comment('Why they could not be read');
    table.timestamp('read_at', { useTz: true }).notNullable();
    table
      .text('counts')
      .notNullable()
      .comment('JSON: every result read, by result (pass, fail, ...)');
    table
      .boolean('truncated')
      .notNullable()
      .comment('More results than stored (passes are left out first)');
    table
      .string('content_hash', 64)
      .notNullable()
      .comment('Of the stored results: unchanged reports are not rewritten');
  });
  await knex.schema.createTable('aks_baseline_policy_report_results', table => {
    table.comment('The results of the Policy Reports read from each cluster');
    table.bigIncrements('id').primary();
    table.string('cluster', 300).notNullable();
    table.string('source', 200).notNullable().comment('kyverno, trivy, ...');
    table.string('policy', 300).notNullable();
    table.string('rule', 300).nullable();
    table.string('category', 300).nullable();
    table.string('severity', 16).nullable();
    table.string('result', 8).notNullable();
    table.text('message').nullable();
    table.string('resource_api_version', 300).nullable();
    table.string('resource_kind', 200).nullable();
    table.string('resource_namespace', 300).nullable();
    table.string('resource_name', 300).nullable();
    table.string('report_kind', 32).notNullable();
    table.string('report_namespace', 300).nullable();
    table.string('report_name', 300).notNullable();
    table.string('found_at', 40).nullable();
    table.index(
      ['cluster', 'resource_namespace'],
      'aks_baseline_pr_results_ns_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('aks_baseline_policy_report_results');
  await knex.schema.dropTable('aks_baseline_policy_report_reads');
};
