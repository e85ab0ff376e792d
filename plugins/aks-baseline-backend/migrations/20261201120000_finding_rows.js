/*
 * Findings as rows, so that the API pages and filters them in the database
 * instead of sending one JSON list per cluster or entity:
 * - aks_baseline_cluster_findings: one row per finding of a cluster, with
 *   the columns the filters use, its JSON as the API sends it, a stable key
 *   and a hash of its content (so that a later evaluation can write only
 *   what changed), and `sort_key`, the order of the lists and their cursor
 *   (byte order: COLLATE "C" on PostgreSQL, SQLite's default);
 * - aks_baseline_entity_findings: which of them belong to each entity;
 * - what the cards show without the findings: the failing rules with a few
 *   objects each, the filter facets and the number of findings.
 *
 * The JSON lists (`findings`) stay for the down migration; the store moves
 * what they hold into the rows when it starts (rows whose `finding_count`
 * is null) and empties them.
 */

// @ts-check

const CLUSTER_FINDINGS = 'aks_baseline_cluster_findings';
const ENTITY_FINDINGS = 'aks_baseline_entity_findings';

/**
 * @param {import('knex').Knex} knex
 * @param {string} table
 */
async function byteOrder(knex, table) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      'ALTER TABLE ?? ALTER COLUMN sort_key TYPE text COLLATE "C"',
      [table],
    );
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable(CLUSTER_FINDINGS, table => {
    table.comment('One finding of a cluster, as the paged routes serve it');
    table.string('cluster', 255).notNullable();
    table
      .string('finding_key', 32)
      .notNullable()
      .comment('Rule, object and rank among their findings, hashed');
    table.string('content_hash', 32).notNullable();
    table.text('sort_key').notNullable().comment('List order and cursor');
    table.string('status', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.string('category', 32).notNullable();
    table.string('rule_id', 255).notNullable();
    table.string('resource_kind', 255).notNullable();
    table
      .string('resource_namespace', 255)
      .notNullable()
      .comment("'' for cluster-scoped objects");
    table.text('search_text').notNullable().comment('Lower-cased, for q');
    table.text('body').notNullable().comment('JSON Finding');
    table.primary(['cluster', 'finding_key']);
  });
  await knex.schema.createTable(ENTITY_FINDINGS, table => {
    table.comment('A finding of a cluster that is on an entity');
    table.string('entity_ref', 512).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('finding_key', 32).notNullable();
    table.text('sort_key').notNullable();
    table.string('status', 16).notNullable();
    table.string('severity', 16).notNullable();
    table.string('category', 32).notNullable();
    table.string('rule_id', 255).notNullable();
    table.string('resource_kind', 255).notNullable();
    table.string('resource_namespace', 255).notNullable();
    table.primary(['entity_ref', 'cluster', 'finding_key']);
  });
  await byteOrder(knex, CLUSTER_FINDINGS);
  await byteOrder(knex, ENTITY_FINDINGS);
  await knex.schema.alterTable(CLUSTER_FINDINGS, table => {
    table.unique(['cluster', 'sort_key'], {
      indexName: 'aks_baseline_cfind_order_idx',
    });
    table.index(
      ['cluster', 'rule_id', 'sort_key'],
      'aks_baseline_cfind_rule_idx',
    );
    table.index(
      ['cluster', 'severity', 'sort_key'],
      'aks_baseline_cfind_severity_idx',
    );
  });
  await knex.schema.alterTable(ENTITY_FINDINGS, table => {
    table.unique(['entity_ref', 'sort_key'], {
      indexName: 'aks_baseline_efind_order_idx',
    });
    table.index(
      ['entity_ref', 'rule_id', 'sort_key'],
      'aks_baseline_efind_rule_idx',
    );
    table.index(['cluster'], 'aks_baseline_efind_cluster_idx');
  });

  await knex.schema.alterTable('aks_baseline_cluster_results', table => {
    table
      .text('failing_rules')
      .nullable()
      .comment('JSON FailingRuleSummary[] (a few objects per rule)');
    table.text('facets').nullable().comment('JSON FindingFacets');
    table
      .integer('finding_count')
      .nullable()
      .comment(
        'Findings in aks_baseline_cluster_findings; null: not moved yet',
      );
  });
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table.text('failing_rules').nullable().comment('JSON FailingRuleSummary[]');
    table.text('manual_rule_ids').nullable().comment('JSON string[]');
    table.text('facets').nullable().comment('JSON FindingFacets');
    table
      .integer('finding_count')
      .nullable()
      .comment('Findings in aks_baseline_entity_findings; null: not moved yet');
  });
};

/**
 * Puts the findings back into the JSON lists, then drops the rows.
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const clusters = await knex('aks_baseline_cluster_results')
    .whereNotNull('finding_count')
    .select('cluster');
  for (const { cluster } of clusters) {
    const rows = await knex(CLUSTER_FINDINGS)
      .where({ cluster })
      .orderBy('sort_key')
      .select('body');
    await knex('aks_baseline_cluster_results')
      .where({ cluster })
      .update({ findings: `[${rows.map(r => r.body).join(',')}]` });
  }
  const scores = await knex('aks_baseline_entity_scores')
    .whereNotNull('finding_count')
    .select('entity_ref', 'cluster');
  for (const { entity_ref, cluster } of scores) {
    const rows = await knex(`${ENTITY_FINDINGS} as e`)
      .join(`${CLUSTER_FINDINGS} as c`, function on() {
        this.on('c.cluster', 'e.cluster').andOn(
          'c.finding_key',
          'e.finding_key',
        );
      })
      .where({ 'e.entity_ref': entity_ref, 'e.cluster': cluster })
      .orderBy('e.sort_key')
      .select('c.body');
    await knex('aks_baseline_entity_scores')
      .where({ entity_ref, cluster })
      .update({ findings: `[${rows.map(r => r.body).join(',')}]` });
  }
  await knex.schema.alterTable('aks_baseline_entity_scores', table => {
    table.dropColumn('failing_rules');
    table.dropColumn('manual_rule_ids');
    table.dropColumn('facets');
    table.dropColumn('finding_count');
  });
  await knex.schema.alterTable('aks_baseline_cluster_results', table => {
    table.dropColumn('failing_rules');
    table.dropColumn('facets');
    table.dropColumn('finding_count');
  });
  await knex.schema.dropTable(ENTITY_FINDINGS);
  await knex.schema.dropTable(CLUSTER_FINDINGS);
};
