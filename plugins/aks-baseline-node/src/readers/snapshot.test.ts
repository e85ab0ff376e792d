import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSnapshotDirectory } from './directory';
import { SnapshotReadError } from './errors';
import { inferAbsentKinds, readCoverage, readSnapshot } from './snapshot';

const FIXTURES = path.resolve(__dirname, '../__fixtures__');
const fixture = (rel: string) => path.join(FIXTURES, rel);

async function makeDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-snapshot-'));
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  return dir;
}

async function read(rel: string): Promise<string> {
  return fs.readFile(fixture(rel), 'utf8');
}

async function errorOf(p: Promise<unknown>): Promise<SnapshotReadError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SnapshotReadError) return e;
    throw e;
  }
  throw new Error('expected a SnapshotReadError');
}

describe('readSnapshotDirectory', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads a full snapshot directory', async () => {
    const dir = await makeDir({
      'cluster.json': await read('azure/aks-show-compliant.json'),
      'agentpools.json': await read(
        'azure/azure-rest-api-specs/2026-08-01/AgentPoolsCreate_Spot.json',
      ),
      'maintenanceconfigurations.json': await read(
        'azure/aks-maintenanceconfiguration-list.json',
      ),
      'upgradeprofile.json': await read('azure/aks-get-upgrades-typical.json'),
      'kubernetesversions.json': await read('azure/aks-get-versions.json'),
      'coverage.json': JSON.stringify({
        unreadable: { Certificate: '403 Forbidden' },
      }),
      'kubernetes/legacy.json': await read(
        'kubernetes/noncompliant-legacy-web.json',
      ),
      'kubernetes/velero.json': await read(
        'kubernetes/velero-daily-backup-schedule.json',
      ),
      'extra.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: { name: c, namespace: shop }',
        '---',
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: { name: vulnerabilityreports.aquasecurity.github.io }',
        '',
      ].join('\n'),
      'notes.txt': 'ignored: not JSON/YAML',
    });
    dirs.push(dir);
    const snapshot = await readSnapshotDirectory(dir);
    expect(snapshot.name).toBe('aks-payments-prod');
    expect(
      snapshot.managedCluster?.agentPoolProfiles?.map(p => p.name),
    ).toEqual(expect.arrayContaining(['systempool', 'agentpool1']));
    expect(snapshot.maintenanceConfigurations).toHaveLength(2);
    expect(
      snapshot.upgradeProfile?.controlPlaneProfile?.kubernetesVersion,
    ).toBe('1.31.11');
    expect(snapshot.kubernetesVersions?.[0].version).toBe('1.35');
    expect(snapshot.objects.some(o => o.kind === 'Schedule')).toBe(true);
    expect(snapshot.ignoredKinds).toEqual({ ConfigMap: 1 });
    expect(snapshot.coverage).toEqual({
      mode: 'cluster',
      unreadable: { Certificate: '403 Forbidden' },
      // Not Schedule (objects), not VulnerabilityReport (CRD present), not
      // Certificate (unreadable is not absent).
      absentKinds: [
        'Gateway',
        'GatewayClass',
        'SecretProviderClass',
        'VerticalPodAutoscaler',
      ],
    });
  });

  it('names a Kubernetes-only directory after itself', async () => {
    const dir = await makeDir({
      'shop.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
      'coverage.json': '{"mode": "manifests"}',
    });
    dirs.push(dir);
    const snapshot = await readSnapshotDirectory(dir);
    expect(snapshot.name).toBe(path.basename(dir));
    expect(snapshot.managedCluster).toBeUndefined();
    expect(snapshot.coverage).toEqual({
      mode: 'manifests',
      unreadable: {},
      absentKinds: [],
    });
    expect((await readSnapshotDirectory(dir, 'named')).name).toBe('named');
  });

  it('fails with the file and path of a malformed object', async () => {
    const list = JSON.parse(
      await read('kubernetes/noncompliant-legacy-web.json'),
    );
    list.items[1].metadata = 'broken';
    const dir = await makeDir({
      'cluster.json': await read('azure/aks-show-compliant.json'),
      'clusters/prod/workloads.json': JSON.stringify(list),
    });
    dirs.push(dir);
    const error = await errorOf(readSnapshotDirectory(dir));
    expect(error.file).toBe(path.join(dir, 'clusters/prod/workloads.json'));
    expect(error.path).toBe('items[1].metadata');
    expect(error.message).toBe(
      `${path.join(
        dir,
        'clusters/prod/workloads.json',
      )}: items[1].metadata: expected an object, found a string ("broken")`,
    );
  });

  it('fails on a bad cluster.json, coverage.json or a missing directory', async () => {
    const dir = await makeDir({ 'cluster.json': '{"properties": {}}' });
    dirs.push(dir);
    expect((await errorOf(readSnapshotDirectory(dir))).message).toBe(
      `${path.join(
        dir,
        'cluster.json',
      )}: name: expected a non-empty string, found nothing`,
    );
    const dir2 = await makeDir({ 'coverage.json': '{"unreadable": ["Pod"]}' });
    dirs.push(dir2);
    expect((await errorOf(readSnapshotDirectory(dir2))).path).toBe(
      'unreadable',
    );
    expect(
      (await errorOf(readSnapshotDirectory(path.join(dir, 'nope')))).message,
    ).toMatch(/cannot list the snapshot directory/);
  });
});

describe('readSnapshot', () => {
  it('requires a name or a managed cluster', () => {
    expect(() =>
      readSnapshot({ kubernetes: [{ file: 'a.yaml', text: '' }] }),
    ).toThrow(/a\.yaml: the snapshot has no name/);
  });

  it('rejects agent pools without a cluster', () => {
    expect(() =>
      readSnapshot({ name: 'x', agentPools: { file: 'p.json', value: [] } }),
    ).toThrow(/p\.json: agent pools were given without the managed cluster/);
  });

  it('does not infer absent kinds for manifests', () => {
    const snap = readSnapshot({
      name: 'x',
      mode: 'manifests',
      kubernetes: [{ file: 'a.json', value: { kind: 'List', items: [] } }],
    });
    expect(snap.coverage.absentKinds).toEqual([]);
  });
});

describe('readCoverage / inferAbsentKinds', () => {
  it('validates coverage', () => {
    expect(
      readCoverage({ absentKinds: ['Schedule'], providedKinds: [] }, 'c'),
    ).toEqual({
      absentKinds: ['Schedule'],
      providedKinds: [],
    });
    expect(() => readCoverage({ mode: 'full' }, 'c.json')).toThrow(
      'c.json: mode: expected "cluster" or "manifests", found a string ("full")',
    );
    expect(() => readCoverage({ absent: [] }, 'c.json')).toThrow(
      /c\.json: absent: unknown field/,
    );
  });

  it('treats a CRD in the dump as installed', () => {
    expect(
      inferAbsentKinds(
        [
          {
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            metadata: { name: 'schedules.velero.io' },
          },
        ],
        { Certificate: 'timeout' },
      ),
    ).not.toEqual(expect.arrayContaining(['Schedule', 'Certificate']));
  });
});
