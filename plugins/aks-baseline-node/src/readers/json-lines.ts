/*
 * Line numbers for JSON documents without building a syntax tree: one pass
 * over the text (after JSON.parse has accepted it) that notes the line of
 * the root object's first key and of each element of the root array or of
 * the root object's `items` array (the first key's line for objects), which
 * is where `kubectl get -o json` Lists keep their objects. It also finds
 * the first bracket nested deeper than the limit, without recursion.
 */
import { MAX_NESTING_DEPTH } from './source-errors';

export interface JsonLines {
  /** 1-based line of the root object's first key (or of the root value). */
  line: number;
  itemLines?: number[];
  /** Line of the first `{` or `[` nested deeper than MAX_NESTING_DEPTH. */
  tooDeepLine?: number;
}

/** Index of the closing quote of the string opening at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return text.length;
    // Count the backslashes before the quote: an odd number escapes it.
    let b = q - 1;
    while (text.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    j = q + 1;
  }
}

export function jsonLines(text: string): JsonLines {
  let line = 1;
  let depth = 0;
  let rootLine = 0;
  let rootKind = 0;
  let expectKey = false; // at depth 1 of a root object: next string is a key
  let lastKey = '';
  let itemsDepth = -1; // depth of the array whose elements are recorded
  let expectElement = false;
  let pendingObject = false; // element is an object: record its first key
  let pendingLine = 0;
  let itemLines: number[] | undefined;
  let tooDeepLine = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x0a:
        line++;
        break;
      case 0x20:
      case 0x09:
      case 0x0d:
      case 0xfeff:
        break;
      case 0x22: {
        const end = stringEnd(text, i);
        if (depth === 1 && rootKind === 0x7b && expectKey) {
          if (rootLine === 0) rootLine = line;
          lastKey = text.slice(i + 1, end);
          expectKey = false;
        } else if (expectElement && depth === itemsDepth) {
          itemLines!.push(line);
          expectElement = false;
        } else if (pendingObject && depth === itemsDepth + 1) {
          itemLines!.push(line);
          pendingObject = false;
        }
        i = end;
        break;
      }
      case 0x7b: // {
      case 0x5b: // [
        if (depth === 0) {
          rootKind = c;
          if (c === 0x5b) {
            rootLine = line;
            itemsDepth = 1;
            itemLines = [];
            expectElement = true;
          } else {
            expectKey = true;
          }
          depth = 1;
          break;
        }
        if (expectElement && depth === itemsDepth) {
          expectElement = false;
          if (c === 0x7b) {
            pendingObject = true;
            pendingLine = line;
          } else {
            itemLines!.push(line);
          }
        }
        depth++;
        if (depth > MAX_NESTING_DEPTH && tooDeepLine === 0) tooDeepLine = line;
        if (
          depth === 2 &&
          rootKind === 0x7b &&
          c === 0x5b &&
          lastKey === 'items' &&
          itemLines === undefined
        ) {
          itemsDepth = 2;
          itemLines = [];
          expectElement = true;
        }
        break;
      case 0x7d: // }
      case 0x5d: // ]
        if (pendingObject && depth === itemsDepth + 1) {
          // An empty object: its own line.
          itemLines!.push(pendingLine);
          pendingObject = false;
        }
        if (depth === itemsDepth && c === 0x5d) {
          expectElement = false;
          itemsDepth = -1;
        }
        depth--;
        break;
      case 0x2c: // ,
        if (depth === 1 && rootKind === 0x7b) expectKey = true;
        if (depth === itemsDepth) expectElement = true;
        break;
      case 0x3a: // :
        break;
      default:
        // A number, true, false or null.
        if (depth === 0 && rootLine === 0) rootLine = line;
        if (expectElement && depth === itemsDepth) {
          itemLines!.push(line);
          expectElement = false;
        }
    }
  }
  const out: JsonLines = { line: rootLine || 1 };
  if (itemLines) out.itemLines = itemLines;
  if (tooDeepLine) out.tooDeepLine = tooDeepLine;
  return out;
}
