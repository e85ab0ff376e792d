/*
 * Writing a report as it is produced: the format's pieces are gathered into
 * blocks of about 64 KiB and written one block at a time, waiting for a
 * stream to drain, so no report is ever held as one string.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { InputError } from './errors';

/**
 * Where a report goes: standard output (a stream: each block is written
 * once the previous one was handed to the system, and its error is
 * reported) or a test's capture (anything with `write`).
 */
export interface Sink {
  write(text: string, done?: (error?: Error | null) => void): unknown;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
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

/**
 * Writes to standard output or a capture. A stream's write error (EPIPE
 * when the reader went away, `| head`) rejects instead of being thrown as
 * an unhandled 'error' event.
 */
export async function writeToSink(
  chunks: Iterable<string>,
  sink: Sink,
): Promise<void> {
  if (!sink.on || !sink.removeListener) {
    await writeBlocks(chunks, block => sink.write(block));
    return;
  }
  // The error reaches the write's callback; the event needs a listener too.
  const ignore = () => {};
  sink.on('error', ignore);
  try {
    await writeBlocks(
      chunks,
      block =>
        new Promise<void>((resolve, reject) => {
          sink.write(block, error => (error ? reject(error) : resolve()));
        }),
    );
  } finally {
    sink.removeListener('error', ignore);
  }
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
