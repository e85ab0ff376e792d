import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  kindsToRead,
  RULE_CATALOG,
} from '@aks-baseline/plugin-aks-baseline-node';
import { rules as exampleRules } from '@internal/aks-baseline-example-custom-rule';
import helmReleases from '@internal/aks-baseline-example-custom-rule/fixtures/helmreleases.json';
import {
  CATALOG_KINDS,
  only,
  readError,
  sourcesFor,
} from '../__testUtils__/helpers';

const EXAMPLES = path.resolve(__dirname, '../../../../../examples/clusters');

describe('SnapshotClusterSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-baseline-snapshot-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads the demo snapshot directory under the configured name', async () => {
    const { sources, logger } = sourcesFor({
      aksBaseline: {
        clusters: [
          {
            name: 'demo-prod',
            snapshot: { directory: path.join(EXAMPLES, 'aks-prod-westeurope') },
          },
        ],
      },
    });
    const source = only(sources, 'demo-prod');
    expect(source.kind).toBe('snapshot');
    const snapshot = await source.read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(snapshot.name).toBe('demo-prod');
    expect(snapshot.managedCluster?.name).toBeTruthy();
    expect(snapshot.objects.length).toBeGreaterThan(0);
    expect(snapshot.objects.some(o => o.kind === 'Secret')).toBe(false);
  });

  it('resolves a relative directory from the working directory', async () => {
    await fs.writeFile(
      path.join(dir, 'namespaces.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'shop', labels: { team: 'shop' } },
          },
        ],
      }),
    );
    const relative = path.relative(process.cwd(), dir);
    const { sources, logger } = sourcesFor({
      aksBaseline: {
        clusters: [{ name: 'rel', snapshot: { directory: relative } }],
      },
    });
    const snapshot = await only(sources, 'rel').read({
      signal: new AbortController().signal,
      logger,
      kinds: CATALOG_KINDS,
    });
    expect(snapshot.name).toBe('rel');
    expect(snapshot.objects.map(o => o.metadata.name)).toEqual(['shop']);
    expect(snapshot.managedCluster).toBeUndefined();
  });

  it("keeps the custom resources of the plugin's rules, and only then", async () => {
    await fs.cp(path.join(EXAMPLES, 'aks-prod-westeurope'), dir, {
      recursive: true,
    });
    await fs.writeFile(
      path.join(dir, 'flux-helmreleases.json'),
      JSON.stringify(helmReleases),
    );
    const { sources, logger } = sourcesFor({
      aksBaseline: {
        clusters: [{ name: 'flux', snapshot: { directory: dir } }],
      },
    });
    const read = (kinds: typeof CATALOG_KINDS) =>
      only(sources, 'flux').read({
        signal: new AbortController().signal,
        logger,
        kinds,
      });

    const custom = await read(kindsToRead([...RULE_CATALOG, ...exampleRules]));
    expect(
      custom.objects
        .filter(o => o.kind === 'HelmRelease')
        .map(o => o.metadata.name),
    ).toEqual(['payments-redis', 'storefront-cache']);
    expect(custom.customKinds?.map(k => k.kind)).toEqual(['HelmRelease']);

    const builtIn = await read(CATALOG_KINDS);
    expect(builtIn.objects.some(o => o.kind === 'HelmRelease')).toBe(false);
    expect(builtIn.ignoredKinds.HelmRelease).toBe(2);
  });

  it('fails with the file and JSON path of a malformed document', async () => {
    await fs.writeFile(
      path.join(dir, 'workloads.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'ok', namespace: 'shop' },
          },
          { apiVersion: 'apps/v1', kind: 'Deployment', metadata: 'broken' },
        ],
      }),
    );
    const { sources, logger } = sourcesFor({
      aksBaseline: {
        clusters: [{ name: 'bad', snapshot: { directory: dir } }],
      },
    });
    const error = await readError(only(sources, 'bad'), logger);
    expect(error.code).toBe('invalid-snapshot');
    expect(error.cluster).toBe('bad');
    expect(error.reason).toContain('workloads.json');
    expect(error.reason).toContain('items[1].metadata');
  });

  it('fails clearly when the directory does not exist', async () => {
    const { sources, logger } = sourcesFor({
      aksBaseline: {
        clusters: [
          { name: 'gone', snapshot: { directory: path.join(dir, 'nope') } },
        ],
      },
    });
    const error = await readError(only(sources, 'gone'), logger);
    expect(error.code).toBe('invalid-snapshot');
    expect(error.reason).toContain(path.join(dir, 'nope'));
  });

  it('does not start when the signal is already aborted', async () => {
    const { sources, logger } = sourcesFor({
      aksBaseline: { clusters: [{ name: 'x', snapshot: { directory: dir } }] },
    });
    const controller = new AbortController();
    controller.abort();
    const error = await readError(
      only(sources, 'x'),
      logger,
      controller.signal,
    );
    expect(error.code).toBe('timeout');
  });
});
