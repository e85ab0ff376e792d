/*
 * The files of a snapshot directory, as the engine's directory reader and
 * the CLI both read them (one list, one order). Hidden entries are left
 * out; symbolic links are followed to files and folders, each real folder
 * walked and each real file taken once, so that a snapshot mounted from a
 * Kubernetes ConfigMap (every file a link into the hidden `..data/`) reads
 * like a plain copy. Broken or looping links and entries that are not
 * regular files are listed, never passed over in silence.
 */
import { Dirent, promises as fs, Stats } from 'fs';
import * as path from 'path';

const SNAPSHOT_FILE = /\.(json|ya?ml)$/i;

/**
 * An entry that could have been part of the snapshot but cannot be read.
 *
 * @public
 */
export interface UnreadableEntry {
  /** Path relative to the snapshot directory. */
  file: string;
  reason: string;
}

/** @public */
export interface SnapshotFiles {
  /** Relative paths of the files to read, in reading order. */
  files: string[];
  unreadable: UnreadableEntry[];
}

/**
 * What a path is, in words, when it is neither a file nor a folder.
 *
 * @public
 */
export function describeSpecialFile(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Lists a snapshot directory's JSON and YAML files (recursively).
 *
 * @public
 */
export async function listSnapshotFiles(dir: string): Promise<SnapshotFiles> {
  const out: SnapshotFiles = { files: [], unreadable: [] };
  const walkedFolders = new Set<string>();
  const takenFiles = new Set<string>();

  const file = (rel: string, real: string, stat: Stats, linked: boolean) => {
    if (!stat.isFile()) {
      out.unreadable.push({
        file: rel,
        reason: `${linked ? 'links to ' : ''}${describeSpecialFile(
          stat,
        )}, not a regular file`,
      });
    } else if (!takenFiles.has(real)) {
      takenFiles.add(real);
      out.files.push(rel);
    }
  };

  const walk = async (rel: string, real: string): Promise<void> => {
    if (walkedFolders.has(real)) return; // a link back into a walked folder
    walkedFolders.add(real);
    const entries: Dirent[] = await fs.readdir(path.join(dir, rel), {
      withFileTypes: true,
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue; // ..data and other hidden ones
      const child = rel ? path.join(rel, entry.name) : entry.name;
      const wanted = SNAPSHOT_FILE.test(entry.name);
      if (entry.isSymbolicLink()) {
        const abs = path.join(dir, child);
        let stat: Stats;
        let target: string;
        try {
          stat = await fs.stat(abs);
          target = await fs.realpath(abs);
        } catch (error) {
          // A broken link to what could have been a snapshot file or folder.
          if (wanted || path.extname(entry.name) === '') {
            const code = (error as NodeJS.ErrnoException).code;
            const to = await fs.readlink(abs).catch(() => '?');
            out.unreadable.push({
              file: child,
              reason:
                code === 'ELOOP'
                  ? `a symbolic link that loops (${to})`
                  : `a broken symbolic link (its target ${to} does not exist)`,
            });
          }
          continue;
        }
        if (stat.isDirectory()) await walk(child, target);
        else if (wanted) file(child, target, stat, true);
      } else if (entry.isDirectory()) {
        await walk(child, path.join(real, entry.name));
      } else if (wanted) {
        file(
          child,
          path.join(real, entry.name),
          await fs.lstat(path.join(dir, child)),
          false,
        );
      }
    }
  };

  await walk('', await fs.realpath(dir));
  return out;
}
