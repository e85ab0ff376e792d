/*
 * Text → documents with their lines: the one parser for manifests and
 * snapshot files (the CLI, the snapshot readers, the scaffolder). JSON goes
 * through JSON.parse (./json-source.ts); YAML through the block-style fast
 * path (./yaml-fast.ts), else the `yaml` package (./yaml-library.ts). Both
 * YAML paths give the values kubectl gives (YAML 1.1 as go-yaml v2 reads
 * it) or refuse the document with the line; none recurses deeper than
 * MAX_NESTING_DEPTH.
 */
import { parseJsonSource } from './json-source';
import { lineOfOffset, SourceTextError } from './source-errors';
import { looksLikeJson, stripBom } from './source-text';
import { checkRendered, templateSyntaxError } from './templates';
import { parseYamlFast } from './yaml-fast';
import { parseYamlWithLibrary } from './yaml-library';

/**
 * One YAML/JSON document of an input, with where it starts.
 *
 * @public
 */
export interface SourceDocument {
  /** Display name of the input (relative path, `<stdin>`). */
  file: string;
  /** 1-based line of its first key. */
  line: number;
  value: unknown;
  /** Lines of `items[i]` (Lists) or of each element of a root array. */
  itemLines?: number[];
}

/**
 * Characters kubectl's YAML reader refuses (control characters) or reads
 * as line breaks where the `yaml` package does not (NEL, LS, PS, a CR
 * without LF): refused, so that no value differs.
 */
const BAD_YAML_CHARACTER =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]|\r(?!\n)/;

/** Refuses YAML text with such characters, naming the line. */
export function checkYamlCharacters(text: string, file: string): void {
  const m = BAD_YAML_CHARACTER.exec(text);
  if (!m) return;
  const code = m[0].charCodeAt(0);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const what =
    code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029
      ? `the character ${name}, a line break in YAML 1.1 (kubectl) but not in YAML 1.2`
      : `the control character ${name}, which YAML does not allow`;
  throw new SourceTextError(
    `${what}: remove it or write it as an escape in a double-quoted string`,
    file,
    lineOfOffset(text, m.index),
  );
}

function parseYaml(text: string, file: string): SourceDocument[] {
  checkYamlCharacters(text, file);
  // CRLF files: the same lines and values with LF alone (YAML folds CRLF).
  const lf = text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
  const fast = parseYamlFast(lf);
  if (!fast) return parseYamlWithLibrary(text, file);
  const out: SourceDocument[] = [];
  for (const d of fast) {
    if (d.value === null || d.value === undefined) continue;
    const doc: SourceDocument = { file, line: d.line, value: d.value };
    if (d.itemLines) doc.itemLines = d.itemLines;
    out.push(doc);
  }
  return out;
}

/** @public */
export interface ParseOptions {
  /**
   * `refuse` (the default): unrendered templates are refused. `keep`: for
   * files that are not manifests, whose `${VAR}` are the reader's own
   * (an app-config's environment substitutions).
   */
  templates?: 'refuse' | 'keep';
}

function parseText(body: string, file: string): SourceDocument[] {
  if (looksLikeJson(body)) return [parseJsonSource(body, file)];
  return parseYaml(body, file);
}

/**
 * The documents of a YAML or JSON text; empty documents are left out.
 * Throws SourceTextError (with the line where known) for anything that is
 * not read exactly as kubectl would read it, and its UnrenderedTemplateError
 * (./templates.ts) for a template that was never rendered, whether or not
 * it parses.
 *
 * @public
 */
export function parseSourceDocuments(
  text: string,
  file: string,
  options: ParseOptions = {},
): SourceDocument[] {
  const body = stripBom(text);
  if (options.templates === 'keep') return parseText(body, file);
  let docs: SourceDocument[];
  try {
    docs = parseText(body, file);
  } catch (error) {
    if (error instanceof SourceTextError) {
      throw templateSyntaxError(body, file, error.reason) ?? error;
    }
    throw error;
  }
  checkRendered(
    body,
    file,
    docs.map(d => d.value),
  );
  return docs;
}

export { SourceTextError };
