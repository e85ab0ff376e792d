/*
 * A snapshot directory on disk (layout in ./README.md): the cluster's ARM
 * documents under reserved names, every other JSON/YAML file (recursively,
 * links followed: ./snapshot-files.ts) read as Kubernetes objects.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { ClusterSnapshot } from '../engine/types';
import { SnapshotReadError } from './errors';
import { KindInfo } from '../engine/kinds';
import { NamedDocument, readSnapshot, SnapshotInput } from './snapshot';
import { listSnapshotFiles, SnapshotFiles } from './snapshot-files';
import { SourceTextError } from './source-errors';
import { decodeSourceBytes } from './source-text';

/**
 * Reserved top-level file names and the snapshot part each one fills.
 *
 * @public
 */
export const SNAPSHOT_FILES = {
  managedCluster: 'cluster.json',
  agentPools: 'agentpools.json',
  maintenanceConfigurations: 'maintenanceconfigurations.json',
  upgradeProfile: 'upgradeprofile.json',
  kubernetesVersions: 'kubernetesversions.json',
  deploymentSafeguards: 'deploymentsafeguards.json',
  backupInstances: 'backupinstances.json',
  meshRevisions: 'meshrevisionprofiles.json',
  coverage: 'coverage.json',
} as const;

const RESERVED: ReadonlySet<string> = new Set(Object.values(SNAPSHOT_FILES));

/**
 * Reads a snapshot directory. `name` defaults to the managed cluster's name,
 * else the directory's; `kinds` (kindsToRead(rules)) keeps the custom
 * resources the rules read. Throws SnapshotReadError (with the file and JSON
 * path) on any malformed file; never returns a partial snapshot.
 *
 * @public
 */
export async function readSnapshotDirectory(
  dir: string,
  name?: string,
  kinds?: readonly KindInfo[],
): Promise<ClusterSnapshot> {
  let listed: SnapshotFiles;
  try {
    listed = await listSnapshotFiles(dir);
  } catch (error) {
    throw new SnapshotReadError(
      dir,
      '',
      `cannot list the snapshot directory (${(error as Error).message})`,
    );
  }
  // A file that could not be read would be a blind spot: refused, all named.
  if (listed.unreadable.length > 0) {
    throw new SnapshotReadError(
      dir,
      '',
      `cannot read ${listed.unreadable
        .map(u => `${u.file} (${u.reason})`)
        .join(', ')}`,
    );
  }
  const files = listed.files;
  const read = async (rel: string): Promise<NamedDocument> => {
    const file = path.join(dir, rel);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      throw new SnapshotReadError(
        file,
        '',
        `cannot be read (${(error as Error).message})`,
      );
    }
    // UTF-8 or UTF-16 by the byte order mark; anything else is refused.
    try {
      return { file, text: decodeSourceBytes(bytes, file) };
    } catch (error) {
      if (!(error instanceof SourceTextError)) throw error;
      const where = error.line !== undefined ? `line ${error.line}: ` : '';
      throw new SnapshotReadError(file, '', `${where}${error.reason}`);
    }
  };
  const input: SnapshotInput = { kubernetes: [], kinds };
  for (const [key, fileName] of Object.entries(SNAPSHOT_FILES)) {
    if (files.includes(fileName)) {
      (input as any)[key] = await read(fileName);
    }
  }
  for (const rel of files) {
    if (RESERVED.has(rel)) continue;
    input.kubernetes!.push(await read(rel));
  }
  input.name =
    name ??
    (input.managedCluster ? undefined : path.basename(path.resolve(dir)));
  return readSnapshot(input);
}
