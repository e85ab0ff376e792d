import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSnapshotDirectory } from './directory';
import { SnapshotReadError } from './errors';
import { listSnapshotFiles } from './snapshot-files';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../../examples/clusters/aks-dev-koreacentral',
);

/**
 * The example snapshot as a Kubernetes ConfigMap volume lays it out: the
 * files in a hidden timestamped folder, `..data` a link to it, and each
 * visible name a link through `..data`.
 */
async function configMapMount(root: string): Promise<string> {
  const mount = path.join(root, 'mount');
  const stamped = path.join(mount, '..2026_01_15_00_00_00.000000001');
  await fs.mkdir(stamped, { recursive: true });
  for (const name of await fs.readdir(EXAMPLE)) {
    await fs.copyFile(path.join(EXAMPLE, name), path.join(stamped, name));
    await fs.symlink(path.join('..data', name), path.join(mount, name));
  }
  await fs.symlink(path.basename(stamped), path.join(mount, '..data'));
  return mount;
}

describe('snapshot directories with symbolic links', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-snapshot-links-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('reads a snapshot mounted from a ConfigMap (all links into ..data) like a plain copy', async () => {
    const mount = await configMapMount(root);
    const listed = await listSnapshotFiles(mount);
    expect(listed.unreadable).toEqual([]);
    expect(listed.files).toEqual(
      (await fs.readdir(EXAMPLE)).sort((a, b) => a.localeCompare(b)),
    );
    const linked = await readSnapshotDirectory(mount);
    const plain = await readSnapshotDirectory(EXAMPLE);
    expect(linked.managedCluster).toEqual(plain.managedCluster);
    expect(linked.objects).toEqual(plain.objects);
    expect(linked.coverage).toEqual(plain.coverage);
    expect(linked.kubernetesVersions).toEqual(plain.kubernetesVersions);
  });

  it('walks linked folders once, takes a file reached by two names once, and survives loops', async () => {
    await fs.mkdir(path.join(root, 'apps/web'), { recursive: true });
    await fs.copyFile(
      path.join(EXAMPLE, 'workloads.json'),
      path.join(root, 'apps/web/workloads.json'),
    );
    await fs.symlink('apps/web', path.join(root, 'web'));
    await fs.symlink('..', path.join(root, 'apps/web/up'));
    await fs.symlink('apps/web/workloads.json', path.join(root, 'same.json'));
    const listed = await listSnapshotFiles(root);
    expect(listed).toEqual({
      files: [path.join('apps', 'web', 'workloads.json')],
      unreadable: [],
    });
  });

  it('lists broken and looping links and special files, and the reader refuses the snapshot naming them all', async () => {
    await fs.copyFile(
      path.join(EXAMPLE, 'workloads.json'),
      path.join(root, 'workloads.json'),
    );
    await fs.symlink('gone.json', path.join(root, 'broken.json'));
    await fs.symlink('loop-b.yaml', path.join(root, 'loop-a.yaml'));
    await fs.symlink('loop-a.yaml', path.join(root, 'loop-b.yaml'));
    // A broken link named like neither a manifest nor a folder is no blind spot.
    await fs.symlink('gone.md', path.join(root, 'README.md'));
    execFileSync('mkfifo', [path.join(root, 'pipe.json')]);
    const listed = await listSnapshotFiles(root);
    expect(listed.files).toEqual(['workloads.json']);
    expect(listed.unreadable).toEqual([
      {
        file: 'broken.json',
        reason: 'a broken symbolic link (its target gone.json does not exist)',
      },
      {
        file: 'loop-a.yaml',
        reason: 'a symbolic link that loops (loop-b.yaml)',
      },
      {
        file: 'loop-b.yaml',
        reason: 'a symbolic link that loops (loop-a.yaml)',
      },
      {
        file: 'pipe.json',
        reason: 'a FIFO (named pipe), not a regular file',
      },
    ]);
    const error = await readSnapshotDirectory(root).catch(e => e);
    expect(error).toBeInstanceOf(SnapshotReadError);
    expect(error.message).toBe(
      `${root}: cannot read broken.json (a broken symbolic link (its target gone.json does not exist)), loop-a.yaml (a symbolic link that loops (loop-b.yaml)), loop-b.yaml (a symbolic link that loops (loop-a.yaml)), pipe.json (a FIFO (named pipe), not a regular file)`,
    );
  });
});
