/*
 * JSON text → one document with its lines: JSON.parse for the value, one
 * scan for the lines and the nesting depth, and on a syntax error a
 * validating scan for the line JSON.parse does not always give. Nothing
 * here recurses, however deep the input.
 */
import { jsonLines } from './json-lines';
import { lineOfOffset, SourceTextError, TOO_DEEP } from './source-errors';
import type { SourceDocument } from './source-documents';

const WHITESPACE = ' \t\n\r';

/**
 * Offset of the first JSON syntax error, or -1: a validating scan without
 * building values (an explicit stack of open containers, no recursion).
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const open: number[] = []; // 0x7b `{` or 0x5b `[`
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < n && WHITESPACE.includes(text[i])) i++;
  };
  const string = () => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(e ?? 'x')) fail();
      }
      i++;
    }
    fail();
  };
  const key = () => {
    ws();
    if (text[i] !== '"') fail();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  try {
    for (;;) {
      // A value.
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) i++;
        else {
          open.push(c.charCodeAt(0));
          if (c === '{') key();
          continue;
        }
      } else if (c === '"') {
        string();
      } else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else {
        const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
          text.slice(i, i + 64),
        );
        if (!m) fail();
        i += m![0].length;
      }
      // After a value: a comma, or the end of containers.
      for (;;) {
        ws();
        if (open.length === 0) {
          if (i < n) fail();
          return -1;
        }
        const top = open[open.length - 1];
        if (text[i] === ',') {
          i++;
          if (top === 0x7b) key();
          break;
        }
        if (text[i] === (top === 0x7b ? '}' : ']')) {
          i++;
          open.pop();
          continue;
        }
        fail();
      }
    }
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, n);
    throw at;
  }
}

/** Parses JSON text (no byte order mark) into one document with its lines. */
export function parseJsonSource(text: string, file: string): SourceDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = jsonErrorOffset(text);
    const line = offset >= 0 ? lineOfOffset(text, offset) : undefined;
    // V8 quotes the whole text in some messages: keep the first line only.
    const detail = message
      .split('\n')[0]
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/, "[^"]*$/, '');
    throw new SourceTextError(`not valid JSON (${detail})`, file, line);
  }
  const lines = jsonLines(text);
  if (lines.tooDeepLine) {
    throw new SourceTextError(TOO_DEEP, file, lines.tooDeepLine);
  }
  const doc: SourceDocument = { file, line: lines.line, value };
  if (lines.itemLines) doc.itemLines = lines.itemLines;
  return doc;
}
