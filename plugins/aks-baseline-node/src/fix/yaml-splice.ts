/*
 * One JSON Patch operation as an edit of a YAML document's source text:
 * only the lines the operation changes are written (a key added to a map
 * at its indentation, a scalar replaced in place, an item appended to a
 * list, a key removed), so that comments, key order, quoting and the rest
 * of the layout stay as they were. A shape it cannot edit this way (a
 * scalar replaced by a map, an item inserted mid-list, a removal inside a
 * flow collection) is refused, never re-serialised.
 */
import { JsonPatchOperation } from '@aks-baseline/plugin-aks-baseline-common';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  Node,
  Pair,
  stringify,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { parsePointer } from './pointer';

/** An operation the editor cannot write without re-serialising. */
export class YamlEditError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'YamlEditError';
  }
}

/** The layout the document already uses for lists under a key. */
export interface Layout {
  /** `key:\n  - item` (true) or `key:\n- item` (false, as kubectl writes). */
  indentSeq: boolean;
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

type Collection = YAMLMap | YAMLSeq;

function lineStart(src: string, pos: number): number {
  return src.lastIndexOf('\n', pos - 1) + 1;
}

function columnOf(src: string, pos: number): number {
  return pos - lineStart(src, pos);
}

/** After the line holding `pos - 1` (where a block collection ends). */
function afterLine(src: string, end: number): number {
  if (end > 0 && src[end - 1] === '\n') return end;
  const next = src.indexOf('\n', end);
  return next < 0 ? src.length : next + 1;
}

function isBlock(node: unknown): node is Collection {
  return (isMap(node) || isSeq(node)) && !node.flow;
}

/** A scalar in the document's plain style (`false`, `RuntimeDefault`, `"true"`). */
function scalarText(value: unknown): string {
  return stringify(value, {
    lineWidth: 0,
    aliasDuplicateObjects: false,
  }).trimEnd();
}

function flowText(value: unknown): string {
  return stringify(value, {
    collectionStyle: 'flow',
    flowCollectionPadding: false,
    lineWidth: 0,
    aliasDuplicateObjects: false,
  }).trimEnd();
}

function isCollectionValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/** A block collection's lines at column 0 (lists in the document's style). */
function blockLines(value: unknown, layout: Layout): string[] {
  return stringify(value, {
    lineWidth: 0,
    indentSeq: layout.indentSeq,
    aliasDuplicateObjects: false,
  })
    .replace(/\n$/, '')
    .split('\n');
}

/** `key: value` lines for a block map at `indent` columns, ending in a newline. */
function pairLines(
  key: string,
  value: unknown,
  indent: number,
  layout: Layout,
): string {
  const pad = ' '.repeat(indent);
  const keyText = scalarText(key);
  if (!isCollectionValue(value) || isEmptyCollection(value)) {
    return `${pad}${keyText}: ${
      isCollectionValue(value) ? flowText(value) : scalarText(value)
    }\n`;
  }
  const childPad = Array.isArray(value) && !layout.indentSeq ? pad : `${pad}  `;
  return `${pad}${keyText}:\n${blockLines(value, layout)
    .map(line => childPad + line)
    .join('\n')}\n`;
}

function isEmptyCollection(value: unknown): boolean {
  return Array.isArray(value)
    ? value.length === 0
    : isCollectionValue(value) && Object.keys(value as object).length === 0;
}

/** `- item` lines for a block list at `indent` columns, ending in a newline. */
function itemLines(value: unknown, indent: number, layout: Layout): string {
  const pad = ' '.repeat(indent);
  if (!isCollectionValue(value) || isEmptyCollection(value)) {
    return `${pad}- ${
      isCollectionValue(value) ? flowText(value) : scalarText(value)
    }\n`;
  }
  const lines = blockLines(value, layout);
  return `${lines
    .map((line, i) => (i === 0 ? `${pad}- ${line}` : `${pad}  ${line}`))
    .join('\n')}\n`;
}

function rangeOf(node: Node): [number, number, number] {
  const range = node.range;
  if (!range) throw new YamlEditError('a node without a place in the text');
  return range;
}

/** The collection at the segments (numbers for list items). */
function collectionAt(doc: Document, segments: readonly string[]): Collection {
  let node: unknown = doc.contents;
  for (const segment of segments) {
    if (isMap(node)) node = node.get(segment, true);
    else if (isSeq(node)) node = node.get(Number(segment), true);
    else node = undefined;
    if (node === undefined) {
      throw new YamlEditError(`nothing at ${segment}`);
    }
  }
  if (!isMap(node) && !isSeq(node)) {
    throw new YamlEditError('the parent is not a map or a list');
  }
  return node;
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find(
    p => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key,
  ) as Pair | undefined;
}

/** Replaces a value in place: a scalar or flow value by a scalar or flow text. */
function replaceValue(
  src: string,
  node: Node,
  value: unknown,
  layout: Layout,
): Splice {
  const [start, valueEnd] = rangeOf(node);
  if (!isBlock(node)) {
    if (
      isCollectionValue(value) &&
      !isEmptyCollection(value) &&
      !isScalar(node)
    ) {
      return { start, end: valueEnd, text: flowText(value) };
    }
    if (!isCollectionValue(value)) {
      // A quoted string stays quoted the same way.
      const type = isScalar(node) ? node.type : undefined;
      const text =
        typeof value === 'string' &&
        (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE')
          ? stringify(value, {
              defaultStringType: type,
              lineWidth: 0,
            }).trimEnd()
          : scalarText(value);
      return { start, end: valueEnd, text };
    }
    if (isEmptyCollection(value)) {
      return { start, end: valueEnd, text: flowText(value) };
    }
    throw new YamlEditError('a scalar replaced by a map or list');
  }
  if (!isCollectionValue(value) || isEmptyCollection(value)) {
    throw new YamlEditError('a block map or list replaced by a scalar');
  }
  // A block collection starts at its first key or dash: same column after.
  const column = columnOf(src, start);
  const lines = blockLines(value, layout);
  const end = afterLine(src, valueEnd);
  return {
    start,
    end,
    text: `${lines
      .map((line, i) => (i === 0 ? line : ' '.repeat(column) + line))
      .join('\n')}\n`,
  };
}

function addToMap(
  src: string,
  map: YAMLMap,
  key: string,
  value: unknown,
  layout: Layout,
): Splice {
  const existing = pairOf(map, key);
  if (existing) {
    if (!existing.value || !isNodeLike(existing.value)) {
      throw new YamlEditError(`${key} has no value to replace`);
    }
    return replaceValue(src, existing.value as Node, value, layout);
  }
  const [start, valueEnd] = rangeOf(map);
  if (map.flow) {
    // Before the closing brace: `{a: 1}` → `{a: 1, key: value}`.
    const close = src.lastIndexOf('}', valueEnd);
    if (close < start) throw new YamlEditError('a flow map without its brace');
    const entry = `${scalarText(key)}: ${
      isCollectionValue(value) ? flowText(value) : scalarText(value)
    }`;
    return {
      start: close,
      end: close,
      text: map.items.length > 0 ? `, ${entry}` : entry,
    };
  }
  if (map.items.length === 0) {
    throw new YamlEditError('an empty block map');
  }
  const first = map.items[0].key as Node;
  const indent = columnOf(src, rangeOf(first)[0]);
  const at = afterLine(src, valueEnd);
  const prefix = at === src.length && !src.endsWith('\n') ? '\n' : '';
  return {
    start: at,
    end: at,
    text: prefix + pairLines(key, value, indent, layout),
  };
}

function isNodeLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'range' in value;
}

function appendToSeq(
  src: string,
  seq: YAMLSeq,
  value: unknown,
  layout: Layout,
): Splice {
  const [start, valueEnd] = rangeOf(seq);
  if (seq.flow) {
    const close = src.lastIndexOf(']', valueEnd);
    if (close < start)
      throw new YamlEditError('a flow list without its bracket');
    const item = isCollectionValue(value) ? flowText(value) : scalarText(value);
    return {
      start: close,
      end: close,
      text: seq.items.length > 0 ? `, ${item}` : item,
    };
  }
  if (seq.items.length === 0) throw new YamlEditError('an empty block list');
  const indent = columnOf(src, start);
  const at = afterLine(src, valueEnd);
  const prefix = at === src.length && !src.endsWith('\n') ? '\n' : '';
  return {
    start: at,
    end: at,
    text: prefix + itemLines(value, indent, layout),
  };
}

function removeFromMap(src: string, map: YAMLMap, key: string): Splice {
  const pair = pairOf(map, key);
  if (!pair) throw new YamlEditError(`nothing to remove at ${key}`);
  if (map.flow) throw new YamlEditError('a removal inside a flow map');
  const keyStart = rangeOf(pair.key as Node)[0];
  const start = lineStart(src, keyStart);
  if (src.slice(start, keyStart).trim() !== '') {
    throw new YamlEditError('a key sharing its line with another');
  }
  const valueEnd = pair.value ? rangeOf(pair.value as Node)[2] : keyStart;
  return { start, end: afterLine(src, valueEnd), text: '' };
}

/** The source text with one operation applied to the document `doc` of it. */
export function spliceOperation(
  src: string,
  doc: Document,
  operation: JsonPatchOperation,
  layout: Layout,
): string {
  const segments = parsePointer(operation.path);
  if (segments.length === 0) {
    throw new YamlEditError('an operation on the whole document');
  }
  const parent = collectionAt(doc, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  let splice: Splice;
  switch (operation.op) {
    case 'add':
    case 'replace':
      if (isMap(parent)) {
        splice = addToMap(src, parent, last, operation.value, layout);
      } else if (
        last === '-' ||
        (operation.op === 'add' && Number(last) === parent.items.length)
      ) {
        splice = appendToSeq(src, parent, operation.value, layout);
      } else if (operation.op === 'replace') {
        const item = parent.get(Number(last), true) as Node | undefined;
        if (!item) throw new YamlEditError(`no item ${last}`);
        splice = replaceValue(src, item, operation.value, layout);
      } else {
        throw new YamlEditError('an item inserted inside a list');
      }
      break;
    case 'remove':
      if (!isMap(parent)) throw new YamlEditError('a removal from a list');
      splice = removeFromMap(src, parent, last);
      break;
    case 'test':
      return src;
    default:
      throw new YamlEditError(`the ${operation.op} operation`);
  }
  return src.slice(0, splice.start) + splice.text + src.slice(splice.end);
}
