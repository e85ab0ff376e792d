/*
 * A cluster snapshot folder (cluster.json plus the other files the portal's
 * snapshot source reads; layout in the engine's readers/README.md) is read
 * exactly as the portal reads it: by the engine's readSnapshotDirectory, in
 * the coverage the folder gives (a full dump unless its coverage.json says
 * otherwise), so that the CLI's score is the portal's. The CLI reads the
 * same files once more only to place findings at their lines and to list
 * what it skips.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import {
  listSnapshotFiles,
  readSnapshotDirectory,
  SNAPSHOT_FILES,
  SnapshotReadError,
  unwrapArmDocument,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from './errors';
import { parseSource } from './load/documents';
import { displayPath, readNamedFile } from './load/inputs';
import { BUILT_IN_RULE_SET, ScanRuleSet } from './load/rules';
import {
  aksDocument,
  AksDocument,
  LocationIndex,
  ReadInputs,
} from './locations';
import {
  Fates,
  forEachObject,
  isKubernetesDocument,
  looksLikeManagedCluster,
} from './objects';

const RESERVED: ReadonlySet<string> = new Set(Object.values(SNAPSHOT_FILES));

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether a folder is a cluster snapshot: its top level holds a
 * `coverage.json`, or a `cluster.json` that is a managed cluster (`az aks
 * show`, ARM REST or SDK output), not a Kubernetes object.
 */
export async function isSnapshotFolder(dir: string): Promise<boolean> {
  try {
    if (!(await fs.stat(dir)).isDirectory()) return false;
  } catch {
    return false;
  }
  if (await exists(path.join(dir, SNAPSHOT_FILES.coverage))) return true;
  const cluster = path.join(dir, SNAPSHOT_FILES.managedCluster);
  if (!(await exists(cluster))) return false;
  try {
    const docs = parseSource(await fs.readFile(cluster, 'utf8'), cluster);
    return (
      docs.length === 1 &&
      looksLikeManagedCluster(unwrapArmDocument(docs[0].value, cluster))
    );
  } catch {
    // Not parseable as one: scanned as manifests, where its error is reported.
    return false;
  }
}

/** Reads a snapshot folder as the portal does, and where its objects are. */
export async function readSnapshotFolder(
  folder: string,
  cwd: string,
  ruleSet: ScanRuleSet = BUILT_IN_RULE_SET,
): Promise<ReadInputs> {
  const dir = path.resolve(cwd, folder);
  const kinds = ruleSet.table;
  let snapshot;
  try {
    snapshot = await readSnapshotDirectory(dir, undefined, ruleSet.kinds);
  } catch (error) {
    if (!(error instanceof SnapshotReadError)) throw error;
    // The engine names files by their full path: shown from the working directory.
    const detail = error.message.slice(error.file.length + 2);
    throw new InputError(detail, displayPath(error.file, cwd));
  }

  const index = new LocationIndex(kinds);
  const files: string[] = [];
  const fates = new Fates([], kinds);
  let aks: AksDocument | undefined;
  // The files the engine's reader read, in its order (links followed alike).
  const { files: listed } = await listSnapshotFiles(dir);
  for (const rel of listed) {
    const input = await readNamedFile(path.join(dir, rel), cwd);
    files.push(input.file);
    if (rel === SNAPSHOT_FILES.managedCluster) {
      const [doc] = parseSource(input.text, input.file);
      aks = aksDocument(input, doc);
      continue;
    }
    if (RESERVED.has(rel)) continue;
    for (const doc of parseSource(input.text, input.file)) {
      if (!isKubernetesDocument(doc.value)) continue;
      forEachObject(doc, (object, line) => {
        index.add(object, { file: doc.file, line });
        fates.add(object, doc.file, line);
      });
    }
  }
  // The engine names its files by their full path: placed by the object.
  fates.settle(snapshot, s => {
    const namespace =
      s.namespace ?? (kinds.isNamespaced(s.kind) ? 'default' : undefined);
    const place = s.name ? index.first(s.kind, namespace, s.name) : undefined;
    return place ?? { file: displayPath(s.file, cwd) };
  });
  return {
    snapshot,
    index,
    aks,
    files,
    skipped: fates.skipped,
    ignoredKinds: fates.ignoredKinds,
    snapshotFolder: displayPath(dir, cwd),
  };
}
