/*
 * Input paths → texts: files, folders walked recursively for *.yaml, *.yml
 * and *.json (node_modules and .git skipped; symbolic links followed, each
 * real folder and file taken once), and standard input (`-`). Names are
 * shown relative to the working directory with forward slashes. Files are
 * read as bytes and decoded by their byte order mark (UTF-8, UTF-16), and
 * only when the scan comes to them, so that a scan never holds every text
 * at once. Only regular files are read: `/dev/zero`, FIFOs and sockets are
 * refused when named and listed as skipped when found in a folder.
 */
import { Dirent, promises as fs, readFileSync, Stats } from 'fs';
import * as path from 'path';
import {
  decodeSourceBytes,
  describeSpecialFile,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from '../errors';
import type { SkippedDocument } from '../report';
import { toInputError } from './documents';

export const STDIN_NAME = '<stdin>';

export interface InputText {
  /** Display name: relative path with `/`, or `<stdin>`. */
  file: string;
  text: string;
  /** Found by walking a folder (not named on the command line). */
  walked: boolean;
}

/** The inputs of a scan, each file read (and decoded) as the iteration reaches it. */
export interface Inputs extends Iterable<InputText> {
  /** Entries of the scanned folders that could not be scanned, with why. */
  skipped: SkippedDocument[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** `p` relative to `cwd` with forward slashes (absolute when outside it). */
export function displayPath(p: string, cwd: string): string {
  const abs = path.resolve(cwd, p);
  const rel = path.relative(cwd, abs);
  let shown = rel;
  if (rel === '') shown = '.';
  else if (rel.startsWith('..')) shown = abs;
  return shown.split(path.sep).join('/');
}

const NOT_REGULAR_HINT =
  'only regular files are read: pipe other sources to standard input (... | aks-baseline scan -)';

/** A file found while walking, by its real path (to take each file once). */
interface Found {
  abs: string;
  real: string;
}

/** Walks the scanned folders; links are followed, each real folder once. */
class Walker {
  readonly files: Found[] = [];
  readonly skipped: SkippedDocument[] = [];
  private readonly visited = new Set<string>();

  constructor(private readonly cwd: string) {}

  private skip(abs: string, reason: string): void {
    this.skipped.push({ file: displayPath(abs, this.cwd), reason });
  }

  /** Walks `dir` (whose real path is `real`) unless it was walked already. */
  async walk(dir: string, real: string): Promise<void> {
    if (this.visited.has(real)) return; // a link back into a walked folder
    this.visited.add(real);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new InputError(
        `cannot list the folder (${(error as Error).message})`,
        displayPath(dir, this.cwd),
      );
    }
    entries.sort((a, b) => {
      if (a.name === b.name) return 0;
      return a.name < b.name ? -1 : 1;
    });
    for (const entry of entries) {
      const child = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        await this.link(child, entry.name);
      } else if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) {
          await this.walk(child, path.join(real, entry.name));
        }
      } else if (MANIFEST_FILE.test(entry.name)) {
        if (entry.isFile()) {
          this.files.push({ abs: child, real: path.join(real, entry.name) });
        } else {
          const stat = await fs.lstat(child);
          this.skip(child, `${describeSpecialFile(stat)}: ${NOT_REGULAR_HINT}`);
        }
      }
    }
  }

  /** A symbolic link inside a scanned folder: scanned as what it points to. */
  private async link(link: string, name: string): Promise<void> {
    let stat: Stats;
    let real: string;
    try {
      stat = await fs.stat(link);
      real = await fs.realpath(link);
    } catch (error) {
      // A broken link to what could have been a manifest or a folder.
      if (MANIFEST_FILE.test(name) || path.extname(name) === '') {
        const code = (error as NodeJS.ErrnoException).code;
        const target = await fs.readlink(link).catch(() => '?');
        this.skip(
          link,
          code === 'ELOOP'
            ? `a symbolic link that loops (${target})`
            : `a broken symbolic link (its target ${target} does not exist)`,
        );
      }
      return;
    }
    if (stat.isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) await this.walk(link, real);
    } else if (MANIFEST_FILE.test(name)) {
      if (stat.isFile()) this.files.push({ abs: link, real });
      else
        this.skip(
          link,
          `links to ${describeSpecialFile(stat)}: ${NOT_REGULAR_HINT}`,
        );
    }
  }
}

/** Reads and decodes one file; InputError naming it if it cannot. */
function readText(abs: string, cwd: string): string {
  const file = displayPath(abs, cwd);
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (error) {
    throw new InputError(`cannot be read (${(error as Error).message})`, file);
  }
  try {
    return decodeSourceBytes(bytes, file);
  } catch (error) {
    throw toInputError(error);
  }
}

/** Reads all of a stream and decodes it as a file is decoded. */
export async function readStream(
  stream: NodeJS.ReadableStream,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer),
    );
  }
  try {
    return decodeSourceBytes(Buffer.concat(chunks), STDIN_NAME);
  } catch (error) {
    throw toInputError(error);
  }
}

/** `stat` of a named input, or an InputError saying why there is none. */
async function statInput(abs: string, shown: string): Promise<Stats> {
  try {
    return await fs.stat(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT' ? 'no such file or folder' : (error as Error).message,
      shown,
    );
  }
}

/**
 * The scan's inputs. `-` is standard input (at most once). A missing path,
 * a named path that is not a regular file or a folder, and a folder with no
 * manifest files are InputErrors; broken links and special files inside
 * folders are listed in `skipped`. Files are read when iterated.
 */
export async function readInputs(
  inputs: readonly string[],
  cwd: string,
  readStdin: () => Promise<string>,
): Promise<Inputs> {
  const sources: Array<InputText | { abs: string; walked: boolean }> = [];
  const seen = new Set<string>();
  let stdin = false;
  const skipped: SkippedDocument[] = [];
  for (const input of inputs) {
    if (input === '-') {
      if (stdin)
        throw new InputError('standard input (-) can be given only once');
      stdin = true;
      sources.push({
        file: STDIN_NAME,
        text: await readStdin(),
        walked: false,
      });
      continue;
    }
    const abs = path.resolve(cwd, input);
    const stat = await statInput(abs, input);
    if (stat.isDirectory()) {
      const walker = new Walker(cwd);
      await walker.walk(abs, await fs.realpath(abs));
      skipped.push(...walker.skipped);
      if (walker.files.length === 0 && walker.skipped.length === 0) {
        throw new InputError(
          'no *.yaml, *.yml or *.json files in this folder',
          input,
        );
      }
      for (const f of walker.files) {
        if (seen.has(f.real)) continue;
        seen.add(f.real);
        sources.push({ abs: f.abs, walked: true });
      }
    } else if (stat.isFile()) {
      const real = await fs.realpath(abs);
      if (!seen.has(real)) {
        seen.add(real);
        sources.push({ abs, walked: false });
      }
    } else {
      throw new InputError(
        `${describeSpecialFile(
          stat,
        )}, not a file or folder: ${NOT_REGULAR_HINT}`,
        input,
      );
    }
  }
  return {
    skipped,
    *[Symbol.iterator]() {
      for (const source of sources) {
        if ('text' in source) yield source;
        else {
          yield {
            file: displayPath(source.abs, cwd),
            text: readText(source.abs, cwd),
            walked: source.walked,
          };
        }
      }
    },
  };
}

/** Reads one named file (configuration, context, az output). */
export async function readNamedFile(
  p: string,
  cwd: string,
): Promise<InputText> {
  if (p === '-')
    throw new InputError('this option needs a file, not standard input');
  const abs = path.resolve(cwd, p);
  const stat = await fs.stat(abs).catch(error => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'no such file'
        : `cannot be read (${(error as Error).message})`,
      p,
    );
  });
  if (!stat.isFile()) {
    throw new InputError(
      stat.isDirectory()
        ? 'a folder: this option needs a file'
        : `${describeSpecialFile(stat)}, not a file: ${NOT_REGULAR_HINT}`,
      p,
    );
  }
  return { file: displayPath(p, cwd), text: readText(abs, cwd), walked: false };
}
