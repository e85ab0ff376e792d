/*
 * A snapshot directory on disk (layout in ./README.md): the cluster's ARM
 * documents under reserved names, every other JSON/YAML file (recursively)
 * read as Kubernetes objects.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { ClusterSnapshot } from '../engine/types';
import { SnapshotReadError } from './errors';
import { NamedDocument, readSnapshot, SnapshotInput } from './snapshot';
import { SourceTextError } from './source-errors';
import { decodeSourceBytes } from './source-text';

/** Reserved top-level file names and the snapshot part each one fills. */
export const SNAPSHOT_FILES = {
  managedCluster: 'cluster.json',
  agentPools: 'agentpools.json',
  maintenanceConfigurations: 'maintenanceconfigurations.json',
  upgradeProfile: 'upgradeprofile.json',
  kubernetesVersions: 'kubernetesversions.json',
  coverage: 'coverage.json',
} as const;

const RESERVED: ReadonlySet<string> = new Set(Object.values(SNAPSHOT_FILES));
const KUBERNETES_FILE = /\.(json|ya?ml)$/i;

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, rel), {
    withFileTypes: true,
  });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const child = rel ? path.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, child)));
    else if (entry.isFile() && KUBERNETES_FILE.test(entry.name))
      out.push(child);
  }
  return out;
}

/**
 * Reads a snapshot directory. `name` defaults to the managed cluster's name,
 * else the directory's. Throws SnapshotReadError (with the file and JSON
 * path) on any malformed file; never returns a partial snapshot.
 */
export async function readSnapshotDirectory(
  dir: string,
  name?: string,
): Promise<ClusterSnapshot> {
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (error) {
    throw new SnapshotReadError(
      dir,
      '',
      `cannot list the snapshot directory (${(error as Error).message})`,
    );
  }
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
  const input: SnapshotInput = { kubernetes: [] };
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
