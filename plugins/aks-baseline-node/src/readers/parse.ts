/*
 * Text → JSON values: JSON, or YAML (one or many documents). Syntax errors
 * become SnapshotReadErrors naming the file and the position.
 */
import { parseAllDocuments } from 'yaml';
import { SnapshotReadError } from './errors';

/** Parses JSON text; a syntax error names the file and position. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(stripBom(text));
  } catch (error) {
    throw new SnapshotReadError(
      file,
      '',
      `not valid JSON (${(error as Error).message})`,
    );
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether text looks like JSON (first non-blank character `{` or `[`). */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) {
      continue;
    }
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

/**
 * The documents of a YAML or JSON text, empty YAML documents left out. For
 * JSON, one document. `documentPath(i)` names document i in errors.
 */
export function parseDocuments(text: string, file: string): unknown[] {
  if (typeof text !== 'string') {
    throw new SnapshotReadError(file, '', 'expected text');
  }
  if (looksLikeJson(text)) return [parseJsonText(text, file)];
  let docs;
  try {
    docs = parseAllDocuments(stripBom(text), { prettyErrors: true });
  } catch (error) {
    throw new SnapshotReadError(
      file,
      '',
      `not valid YAML (${(error as Error).message})`,
    );
  }
  // A stream with only an error comes back as a single object.
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    const doc = list[i];
    const where = list.length > 1 ? `document[${i}]` : '';
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      const line = first.linePos?.[0]?.line;
      throw new SnapshotReadError(
        file,
        where,
        `not valid YAML${line ? ` at line ${line}` : ''} (${
          first.message.split('\n')[0]
        })`,
      );
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      throw new SnapshotReadError(
        file,
        where,
        `YAML could not be converted (${(error as Error).message})`,
      );
    }
    if (value === null || value === undefined) continue;
    out.push(value);
  }
  return out;
}
