/*
 * Text → documents with their lines, through the engine's one parser for
 * manifests (YAML read as kubectl reads it, JSON); its errors become
 * InputErrors naming the file and line, and unrendered templates
 * UnrenderedTemplateErrors (./templates.ts).
 */
import {
  parseSourceDocuments,
  SourceDocument,
  SourceTextError,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from '../errors';
import { checkRendered, templateSyntaxError } from './templates';

export type { SourceDocument };

/** Turns the parser's error into the CLI's (exit code 2). */
export function toInputError(error: unknown): unknown {
  if (error instanceof SourceTextError) {
    return new InputError(error.reason, error.file, error.line);
  }
  return error;
}

/**
 * The documents of a YAML or JSON text; empty documents are left out.
 * Throws InputError (with the line where known) for anything unreadable,
 * UnrenderedTemplateError for a template that was never rendered.
 */
export function parseSource(text: string, file: string): SourceDocument[] {
  let docs: SourceDocument[];
  try {
    docs = parseSourceDocuments(text, file);
  } catch (error) {
    if (error instanceof SourceTextError) {
      throw (
        templateSyntaxError(text, file, error.reason) ?? toInputError(error)
      );
    }
    throw error;
  }
  checkRendered(
    text,
    file,
    docs.map(d => d.value),
  );
  return docs;
}
