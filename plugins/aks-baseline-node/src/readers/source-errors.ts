/*
 * Errors of source text (bytes → text → documents) and the nesting limit
 * every parser path checks before it recurses.
 */

/**
 * Deepest nesting of mappings and sequences a document may have. Kubernetes
 * objects stay far below it (a CRD schema is a few dozen levels); it keeps
 * every recursive walker after parsing (the engine's, evidence, the CLI's)
 * far from the stack limit.
 *
 * @public
 */
export const MAX_NESTING_DEPTH = 256;

/**
 * A file whose text or structure cannot be read; `line` where known.
 *
 * @public
 */
export class SourceTextError extends Error {
  readonly file: string;
  readonly line?: number;
  /** The problem without the file and line. */
  readonly reason: string;

  constructor(reason: string, file: string, line?: number) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'SourceTextError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/** The reason given for a document nested deeper than the limit. */
export const TOO_DEEP = `nested deeper than ${MAX_NESTING_DEPTH} levels (Kubernetes objects never are): refused`;

/** 1-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (
    let i = text.indexOf('\n');
    i >= 0 && i < offset;
    i = text.indexOf('\n', i + 1)
  ) {
    line++;
  }
  return line;
}
