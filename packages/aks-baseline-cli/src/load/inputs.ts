/*
 * Input paths → texts: files, folders walked recursively for *.yaml, *.yml
 * and *.json (node_modules and .git skipped), and standard input (`-`).
 * Names are shown relative to the working directory with forward slashes.
 */
import { promises as fs, Dirent, readFileSync } from 'fs';
import * as path from 'path';
import { InputError } from '../errors';

export const STDIN_NAME = '<stdin>';

export interface InputText {
  /** Display name: relative path with `/`, or `<stdin>`. */
  file: string;
  text: string;
  /** Found by walking a folder (not named on the command line). */
  walked: boolean;
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

async function walk(dir: string, out: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new InputError(
      `cannot list the folder (${(error as Error).message})`,
      dir,
    );
  }
  entries.sort((a, b) => {
    if (a.name === b.name) return 0;
    return a.name < b.name ? -1 : 1;
  });
  for (const entry of entries) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(child, out);
    } else if (entry.isFile() && MANIFEST_FILE.test(entry.name)) {
      out.push(child);
    }
  }
}

/** Reads all of a stream as UTF-8. */
export async function readStream(
  stream: NodeJS.ReadableStream,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer),
    );
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads every input. `-` is standard input (at most once). A missing path is
 * an InputError; a folder with no manifest files is one too.
 */
export async function readInputs(
  inputs: readonly string[],
  cwd: string,
  readStdin: () => Promise<string>,
): Promise<InputText[]> {
  const files: Array<{ abs: string; walked: boolean }> = [];
  const seen = new Set<string>();
  let stdin: InputText | undefined;
  const order: Array<'stdin' | number> = [];
  for (const input of inputs) {
    if (input === '-') {
      if (stdin)
        throw new InputError('standard input (-) can be given only once');
      stdin = { file: STDIN_NAME, text: await readStdin(), walked: false };
      order.push('stdin');
      continue;
    }
    const abs = path.resolve(cwd, input);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(
        code === 'ENOENT' ? 'no such file or folder' : (error as Error).message,
        input,
      );
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      await walk(abs, found);
      if (found.length === 0) {
        throw new InputError(
          'no *.yaml, *.yml or *.json files in this folder',
          input,
        );
      }
      for (const f of found) {
        if (seen.has(f)) continue;
        seen.add(f);
        order.push(files.length);
        files.push({ abs: f, walked: true });
      }
    } else if (!seen.has(abs)) {
      seen.add(abs);
      order.push(files.length);
      files.push({ abs, walked: false });
    }
  }
  // Synchronous reads: for thousands of small files far cheaper than promises.
  const texts = files.map(f => {
    try {
      return {
        file: displayPath(f.abs, cwd),
        text: readFileSync(f.abs, 'utf8'),
        walked: f.walked,
      };
    } catch (error) {
      throw new InputError(
        `cannot be read (${(error as Error).message})`,
        displayPath(f.abs, cwd),
      );
    }
  });
  return order.map(o => (o === 'stdin' ? stdin! : texts[o]));
}

/** Reads one named file (configuration, context, az output). */
export async function readNamedFile(
  p: string,
  cwd: string,
): Promise<InputText> {
  if (p === '-')
    throw new InputError('this option needs a file, not standard input');
  try {
    return {
      file: displayPath(p, cwd),
      text: await fs.readFile(path.resolve(cwd, p), 'utf8'),
      walked: false,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'no such file'
        : `cannot be read (${(error as Error).message})`,
      p,
    );
  }
}
