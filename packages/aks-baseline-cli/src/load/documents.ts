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
  UnrenderedTemplateError as EngineTemplateError,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from '../errors';
import { fromEngineTemplateError } from './templates';

export type { SourceDocument };

/** Turns the parser's error into the CLI's (exit code 2). */
export function toInputError(error: unknown): unknown {
  if (error instanceof EngineTemplateError) {
    return fromEngineTemplateError(error);
  }
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
  try {
    return parseSourceDocuments(text, file);
  } catch (error) {
    throw toInputError(error);
  }
}
