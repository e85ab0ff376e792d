/*
 * Findings written by earlier versions as JSON lists in the cluster and
 * entity rows, moved into finding rows once when the store starts.
 */
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { Knex } from 'knex';
import {
  clusterFindingRows,
  entityLink,
  failingRuleSummaries,
  findingFacets,
  manualRuleIds,
} from './findingRows';
import {
  deleteClusterFindings,
  insertClusterFindings,
  insertEntityFindings,
} from './findingsTable';
import { CLUSTERS, ENTITY_SCORES, parseJson } from './tables';

/**
 * The clusters whose findings are still a JSON list; undefined when the
 * tables are not there yet (managed elsewhere, migrations skipped).
 */
export async function clustersWithLegacyFindings(
  db: Knex,
): Promise<string[] | undefined> {
  if (!(await db.schema.hasColumn(CLUSTERS, 'finding_count'))) {
    return undefined;
  }
  const rows: { cluster: string }[] = await db(CLUSTERS)
    .whereNull('finding_count')
    .whereNotNull('findings')
    .select('cluster');
  return rows.map(r => r.cluster);
}

/** One cluster's JSON findings, and its entities', into rows. */
export async function moveLegacyFindings(
  db: Knex,
  cluster: string,
): Promise<void> {
  await db.transaction(async tx => {
    const row = await tx(CLUSTERS)
      .where('cluster', cluster)
      .whereNull('finding_count')
      .first('findings');
    if (!row) return;
    const findings = parseJson<Finding[]>(row.findings, []);
    const { rows } = clusterFindingRows(cluster, findings);
    const keys = new Set(rows.map(r => r.finding_key));
    await deleteClusterFindings(tx, [cluster]);
    await insertClusterFindings(tx, rows);
    await tx(CLUSTERS)
      .where('cluster', cluster)
      .update({
        findings: null,
        failing_rules: JSON.stringify(failingRuleSummaries(findings)),
        facets: JSON.stringify(findingFacets(findings)),
        finding_count: rows.length,
      });
    const scores: { entity_ref: string; findings: string }[] = await tx(
      ENTITY_SCORES,
    )
      .where('cluster', cluster)
      .whereNull('finding_count')
      .select('entity_ref', 'findings');
    for (const score of scores) {
      const own = parseJson<Finding[]>(score.findings, []);
      // Keys come from rule, object and rank: the same in the cluster's list.
      const links = clusterFindingRows(cluster, own)
        .rows.filter(r => keys.has(r.finding_key))
        .map(r => entityLink(score.entity_ref, r));
      await insertEntityFindings(tx, links);
      await tx(ENTITY_SCORES)
        .where({ entity_ref: score.entity_ref, cluster })
        .update({
          findings: '[]',
          failing_rules: JSON.stringify(failingRuleSummaries(own)),
          manual_rule_ids: JSON.stringify(manualRuleIds(own)),
          facets: JSON.stringify(findingFacets(own)),
          finding_count: links.length,
        });
    }
  });
}
