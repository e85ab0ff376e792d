/*
 * Text → JSON values for the snapshot readers: the documents of
 * ./source-documents.ts without their lines. Errors become
 * SnapshotReadErrors naming the file and the line.
 */
import { SnapshotReadError } from './errors';
import { parseJsonSource } from './json-source';
import { SourceTextError } from './source-errors';
import { parseSourceDocuments } from './source-documents';
import { stripBom } from './source-text';

function toSnapshotReadError(error: unknown): unknown {
  if (!(error instanceof SourceTextError)) return error;
  return new SnapshotReadError(
    error.file,
    '',
    error.line !== undefined
      ? `line ${error.line}: ${error.reason}`
      : error.reason,
  );
}

/** Parses JSON text; a syntax error names the file and line. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return parseJsonSource(stripBom(text), file).value;
  } catch (error) {
    throw toSnapshotReadError(error);
  }
}

/**
 * The documents of a YAML or JSON text, empty YAML documents left out. For
 * JSON, one document. YAML is read as kubectl reads it (YAML 1.1).
 *
 * @public
 */
export function parseDocuments(text: string, file: string): unknown[] {
  if (typeof text !== 'string') {
    throw new SnapshotReadError(file, '', 'expected text');
  }
  try {
    return parseSourceDocuments(text, file).map(d => d.value);
  } catch (error) {
    throw toSnapshotReadError(error);
  }
}
