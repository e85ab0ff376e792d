/*
 * The CLI on a cluster snapshot folder gives the portal's score: each folder
 * of examples/clusters is evaluated by the backend plugin's own code path
 * (sources from configuration, SnapshotClusterSource, EvaluationService,
 * stored in a real SQLite database) and by `aks-baseline scan <folder>`;
 * the cluster's catalog `Resource` (what the overview's entity rows and the
 * team rollups show) has that same score: one cluster, one score.
 */
import * as fs from 'fs';
import * as path from 'path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { RULE_CATALOG } from '@aks-baseline/plugin-aks-baseline-node';
// The backend plugin exports only its plugin; its parts are reached directly.
/* eslint-disable @backstage/no-forbidden-package-imports */
import { AksBaselineStore } from '@aks-baseline/plugin-aks-baseline-backend/src/service/AksBaselineStore';
import { EvaluationService } from '@aks-baseline/plugin-aks-baseline-backend/src/service/EvaluationService';
import { createClusterSources } from '@aks-baseline/plugin-aks-baseline-backend/src/sources/createClusterSources';
/* eslint-enable @backstage/no-forbidden-package-imports */
import { NOW, runCli } from './testing';

jest.setTimeout(60_000);

const EXAMPLES = path.resolve(__dirname, '../../../examples/clusters');
const FOLDERS = fs
  .readdirSync(EXAMPLES, { withFileTypes: true })
  .filter(e => e.isDirectory())
  .map(e => e.name)
  .sort();

describe('a snapshot folder scores as in the portal', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('finds the example clusters', () => {
    expect(FOLDERS).toEqual(['aks-dev-koreacentral', 'aks-prod-westeurope']);
  });

  it.each(FOLDERS)('%s', async name => {
    const directory = path.join(EXAMPLES, name);
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const config = mockServices.rootConfig({
      data: { aksBaseline: { clusters: [{ name, snapshot: { directory } }] } },
    });
    const store = await AksBaselineStore.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    const service = new EvaluationService({
      store,
      sources: createClusterSources(config, logger),
      rules: RULE_CATALOG,
      // The cluster's catalog Resource, as examples/entities.yaml has it.
      readTargets: async () => [
        {
          entityRef: `resource:default/${name}`,
          owner: 'group:default/platform-engineering',
          clusterName: name,
        },
      ],
      logger,
      clusterTimeoutMs: 30_000,
      concurrency: 1,
      now: () => new Date(NOW),
    });
    const [outcome] = await service.evaluateAll({ trigger: 'manual' });
    expect(outcome).toEqual(expect.objectContaining({ status: 'success' }));
    const portal = (await store.getCluster(name))!;

    // As the README says: from the repository root.
    const run = await runCli(
      ['scan', `examples/clusters/${name}`, '--format', 'json', '--now', NOW],
      { cwd: path.resolve(EXAMPLES, '../..') },
    );
    expect(run.code).toBe(0);
    const cli = JSON.parse(run.stdout);

    expect(cli.score.score).toBe(portal.score);
    expect(cli.score.grade).toBe(portal.grade);
    expect(cli.score.totals).toEqual(portal.totals);
    expect(cli.score.categories).toEqual(portal.categories);
    expect(cli.profile).toBe(portal.profile);
    expect(cli.inputs.objects).toBe(portal.stats?.objects);

    const resource = (await store.getEntity(`resource:default/${name}`))!;
    expect(resource.entity.summary.score).toBe(portal.score);
    expect(resource.entity.summary.grade).toBe(portal.grade);
    expect(resource.entity.summary.totals).toEqual(portal.totals);
  });
});
