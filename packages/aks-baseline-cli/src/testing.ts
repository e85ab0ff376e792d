/*
 * Test helpers: run the CLI in-process with captured output.
 */
import { Readable } from 'stream';
import * as path from 'path';
import { main } from './cli';

// A test helper, never built: __dirname is the source folder.
// eslint-disable-next-line no-restricted-syntax
export const FIXTURES = path.resolve(__dirname, '__fixtures__');
/** Fixed evaluation time so reports are reproducible. */
export const NOW = '2026-01-15T00:00:00Z';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Length of each write to standard output. */
  stdoutWrites: number[];
}

export async function runCli(
  args: string[],
  options: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const stdoutWrites: number[] = [];
  const stdin =
    options.stdin !== undefined
      ? Object.assign(Readable.from([Buffer.from(options.stdin)]), {
          isTTY: false,
        })
      : Object.assign(Readable.from([]), { isTTY: true });
  const code = await main(args, {
    stdout: {
      write: (t: string) => {
        stdout += t;
        stdoutWrites.push(t.length);
        return true;
      },
    },
    stderr: {
      write: (t: string) => {
        stderr += t;
        return true;
      },
    },
    stdin,
    cwd: options.cwd ?? FIXTURES,
    env: options.env ?? {},
  });
  return { code, stdout, stderr, stdoutWrites };
}
