/*
 * Finding manifest files in the workspace: a path (file or directory) and
 * glob patterns over paths relative to it (`**`, `*`, `?`, `{a,b}`).
 */
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const DEFAULT_PATTERNS = ['**/*.yaml', '**/*.yml', '**/*.json'];

function escape(ch: string): string {
  return /[.+^$()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles a glob to a regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` anything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '{') {
      inBraces = true;
      out += '(?:';
    } else if (ch === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (ch === ',' && inBraces) {
      out += '|';
    } else {
      out += escape(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

/** Files under `root` (or `root` itself if it is a file) matching any pattern. */
export async function findFiles(
  root: string,
  patterns: readonly string[],
): Promise<string[]> {
  const stat = await fs.stat(root);
  if (stat.isFile()) return [root];
  const regexps = patterns.map(globToRegExp);
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile()) {
        const rel = relative(root, full).split(sep).join('/');
        if (regexps.some(r => r.test(rel))) found.push(full);
      }
    }
  };
  await walk(root);
  return found;
}
