/*
 * Writing a report as it is produced: the format's pieces are gathered into
 * blocks of about 64 KiB and written one block at a time, waiting for a
 * stream to drain, so no report is ever held as one string.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { InputError } from './errors';

/** Where a report goes: standard output or a test's capture. */
export interface Sink {
  write(text: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
}

export const BLOCK_SIZE = 64 * 1024;

/** Writes the pieces in blocks; `write` may return a promise or a stream's boolean. */
async function writeBlocks(
  chunks: Iterable<string>,
  write: (block: string) => unknown,
): Promise<void> {
  let parts: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= BLOCK_SIZE) {
      await write(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  if (size > 0) await write(parts.join(''));
}

/** Writes to a stream, waiting for 'drain' when it asks to. */
export function writeToSink(
  chunks: Iterable<string>,
  sink: Sink,
): Promise<void> {
  return writeBlocks(chunks, block => {
    if (sink.write(block) === false && sink.once) {
      return new Promise<void>(resolve => sink.once!('drain', resolve));
    }
    return undefined;
  });
}

/** Writes to a file (folders created); file system errors name the file. */
export async function writeToFile(
  chunks: Iterable<string>,
  target: string,
  shown: string,
): Promise<void> {
  const cannot = (error: unknown): never => {
    throw new InputError(
      `cannot write the report (${(error as Error).message})`,
      shown,
    );
  };
  const handle = await fs
    .mkdir(path.dirname(target), { recursive: true })
    .then(() => fs.open(target, 'w'))
    .catch(cannot);
  try {
    await writeBlocks(chunks, block =>
      handle.write(block, null, 'utf8').catch(cannot),
    );
  } finally {
    await handle.close();
  }
}
