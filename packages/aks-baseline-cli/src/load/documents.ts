/*
 * Text → documents with their lines. JSON goes through JSON.parse and a line
 * scan; YAML through the fast path, else `yaml`'s parseAllDocuments with a
 * LineCounter, which also names the line of any syntax error.
 */
import {
  isMap,
  isSeq,
  LineCounter,
  Node as YamlNode,
  parseAllDocuments,
} from 'yaml';
import { InputError } from '../errors';
import { parseYamlFast } from './fast-yaml';
import { jsonLines } from './json-lines';

/** One YAML/JSON document of an input, with where it starts. */
export interface SourceDocument {
  /** Display name of the input (relative path, `<stdin>`). */
  file: string;
  /** 1-based line of its first key. */
  line: number;
  value: unknown;
  /** Lines of `items[i]` (Lists) or of each element of a root array. */
  itemLines?: number[];
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether text is JSON (first non-blank character `{` or `[`). */
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

function lineOfOffset(text: string, offset: number): number {
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

/**
 * Offset of the first JSON syntax error (JSON.parse does not always say
 * where): a validating scan without building values, for the error path.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
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
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    } else if (c === '"') {
      string();
    } else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
        text.slice(i, i + 64),
      );
      if (!m) fail();
      i += m![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < n) fail();
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, n);
    throw at;
  }
  return -1;
}

function parseJson(text: string, file: string): SourceDocument[] {
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
    throw new InputError(`not valid JSON (${detail})`, file, line);
  }
  const lines = jsonLines(text);
  const doc: SourceDocument = { file, line: lines.line, value };
  if (lines.itemLines) doc.itemLines = lines.itemLines;
  return [doc];
}

/** The line of a node: its first key's for a mapping. */
function nodeLine(node: unknown, counter: LineCounter): number | undefined {
  let target = node as YamlNode | undefined;
  if (isMap(node) && node.items.length > 0) {
    target = node.items[0].key as YamlNode;
  }
  const offset = target?.range?.[0];
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

function parseYamlSlow(text: string, file: string): SourceDocument[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: counter,
    prettyErrors: true,
  });
  // A stream with only an error comes back as an object with `errors`.
  const list = Array.isArray(docs) ? docs : [docs];
  const out: SourceDocument[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      const line = first.linePos?.[0]?.line;
      throw new InputError(
        `not valid YAML (${first.message.split('\n')[0]})`,
        file,
        line,
      );
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const line = nodeLine(doc.contents, counter);
      throw new InputError(
        `YAML could not be converted (${(error as Error).message})`,
        file,
        line,
      );
    }
    if (value === null || value === undefined) continue;
    const entry: SourceDocument = {
      file,
      line: nodeLine(doc.contents, counter) ?? 1,
      value,
    };
    const contents = doc.contents;
    let items: unknown;
    if (isMap(contents)) items = contents.get('items', true);
    else if (isSeq(contents)) items = contents;
    if (isSeq(items)) {
      entry.itemLines = items.items.map(
        item => nodeLine(item, counter) ?? entry.line,
      );
    }
    out.push(entry);
  }
  return out;
}

/**
 * The documents of a YAML or JSON text; empty documents are left out.
 * Throws InputError (with the line where known) on a syntax error.
 */
export function parseSource(text: string, file: string): SourceDocument[] {
  const body = stripBom(text);
  if (looksLikeJson(body)) return parseJson(body, file);
  const fast = parseYamlFast(body);
  if (fast) {
    const out: SourceDocument[] = [];
    for (const d of fast) {
      if (d.value === null || d.value === undefined) continue;
      const doc: SourceDocument = { file, line: d.line, value: d.value };
      if (d.itemLines) doc.itemLines = d.itemLines;
      out.push(doc);
    }
    return out;
  }
  return parseYamlSlow(body, file);
}

/** For tests: the slow path alone. */
export const parseYamlWithLibrary = parseYamlSlow;
